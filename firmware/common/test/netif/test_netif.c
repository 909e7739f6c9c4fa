/*
 * The netif driver with real lwIP (no tcpip thread: lwip_init(), everything on this
 * thread, as with NO_SYS=1), no broker: the test platform records what would be
 * published. Frames are built and opened with libsodium, not with our codec, so these
 * tests also check that the driver speaks the classic wire format.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "lwip/init.h"
#include "lwip/ip_addr.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/udp.h"

#include "mqttvpn/codec.h"
#include "mqttvpn/hooks.h"
#include "mqttvpn/netif.h"
#include "../support/test_check.h"
#include "../support/test_frames.h"
#include "../support/test_ip.h"
#include "../support/test_platform.h"

/* The sequence number of every echo request here. */
#define ECHO_SEQ 7u

/* ---- fixture: one mqttvpn netif on real lwIP ----------------------------------------- */

static struct {
    struct netif nif;
    int added;
} fx;

/* Adds the netif (address/netmask/gateway, key password or NULL) and connects it. */
static int fx_up_prefix(const char *ip, const char *mask, const char *gw, const char *password,
                        const char *prefix)
{
    struct mqttvpn_netif_config cfg;
    ip4_addr_t a, m, g;

    memset(&cfg, 0, sizeof(cfg));
    tp_reset();
    cfg.topic_prefix = prefix;
    cfg.platform = &tp;
    mqttvpn_key_from_password(&cfg.key, password);
    ip4addr_aton(ip, &a);
    ip4addr_aton(mask, &m);
    ip4addr_aton(gw, &g);
    memset(&fx.nif, 0, sizeof(fx.nif));
    if (mqttvpn_netif_attach(&fx.nif, &cfg) != ERR_OK) {
        return 0;
    }
    if (netif_add(&fx.nif, &a, &m, &g, NULL, mqttvpn_netif_init, netif_input) == NULL) {
        mqttvpn_netif_detach(&fx.nif);
        return 0;
    }
    fx.added = 1;
    netif_set_up(&fx.nif);
    netif_set_default(&fx.nif);
    return mqttvpn_netif_set_connected(&fx.nif, 1) == ERR_OK;
}

static int fx_up(const char *ip, const char *gw, const char *password)
{
    return fx_up_prefix(ip, "255.255.255.0", gw, password, NULL);
}

static void fx_cleanup(void)
{
    if (fx.added) {
        mqttvpn_netif_remove(&fx.nif);
        fx.added = 0;
    }
}

static int fx_add_ip6(const char *addr)
{
    ip6_addr_t a;
    s8_t idx;
    if (!ip6addr_aton(addr, &a) || netif_add_ip6_address(&fx.nif, &a, &idx) != ERR_OK) {
        return 0;
    }
    /* No duplicate address detection on this link: it carries no multicast. */
    netif_ip6_addr_set_state(&fx.nif, idx, IP6_ADDR_PREFERRED);
    return 1;
}

static err_t fx_input(const char *topic, const uint8_t *frame, size_t len)
{
    return mqttvpn_netif_input(&fx.nif, topic, strlen(topic), frame, len);
}

static struct mqttvpn_netif_counters fx_counters(void)
{
    struct mqttvpn_netif_counters c;
    mqttvpn_netif_get_counters(&fx.nif, &c);
    return c;
}

/* Sum of all drop counters, so a test can say "exactly this one, nothing else". */
static uint32_t total_drops(const struct mqttvpn_netif_counters *c)
{
    uint32_t n = c->rx_unexpected_topic + c->rx_not_for_us + c->rx_no_memory + c->tx_publish_failed +
                 c->tx_no_random + c->tx_too_long + c->tx_multicast6;
    int i;
    for (i = 0; i < MQTTVPN_DROP_COUNT; i++) {
        n += c->rx_dropped[i];
    }
    return n;
}

/* ---- tests ------------------------------------------------------------------------------ */

static void echo_request_on_own_topic_is_answered_on_the_senders_topic(void)
{
    uint8_t pkt[256];
    size_t len = icmp4_echo(pkt, 8, "10.0.1.1", "10.0.1.2", ECHO_SEQ, 56);
    struct mqttvpn_netif_counters c;

    CHECK(fx_up("10.0.1.2", "0.0.0.0", NULL));
    CHECK(fx_input("mqttip/10.0.1.2", pkt, len) == ERR_OK);
    CHECK(tp.n_published == 1);
    CHECK(strcmp(tp.published[0].topic, "mqttip/10.0.1.1") == 0);
    CHECK(is_icmp4_echo_reply(tp.published[0].payload, tp.published[0].len,
                              "10.0.1.2", "10.0.1.1", ECHO_SEQ, 56));
    c = fx_counters();
    CHECK(c.rx_packets == 1 && c.rx_bytes == len);
    CHECK(c.tx_packets == 1 && c.tx_bytes == len);
    CHECK(total_drops(&c) == 0);
}

static void echo_request_sealed_with_the_key_is_answered_with_a_frame_that_opens_with_it(void)
{
    uint8_t pkt[256], frame[512], reply[512];
    size_t len = icmp4_echo(pkt, 8, "10.0.1.1", "10.0.1.2", ECHO_SEQ, 56);
    size_t flen = seal_frame(frame, "correct horse battery staple", pkt, len);
    long rlen;

    CHECK(fx_up("10.0.1.2", "0.0.0.0", "correct horse battery staple"));
    CHECK(fx_input("mqttip/10.0.1.2", frame, flen) == ERR_OK);
    CHECK(tp.n_published == 1);
    CHECK(strcmp(tp.published[0].topic, "mqttip/10.0.1.1") == 0);
    CHECK(tp.published[0].len == len + 56);
    rlen = open_frame(reply, "correct horse battery staple", tp.published[0].payload,
                      tp.published[0].len);
    CHECK(rlen == (long)len);
    CHECK(is_icmp4_echo_reply(reply, (size_t)rlen, "10.0.1.2", "10.0.1.1", ECHO_SEQ, 56));
    CHECK(fx_counters().tx_bytes == len);
}

static void two_replies_carry_different_nonces(void)
{
    uint8_t pkt[256], frame[512];
    size_t len = icmp4_echo(pkt, 8, "10.0.1.1", "10.0.1.2", ECHO_SEQ, 8);
    size_t flen = seal_frame(frame, "k", pkt, len);

    CHECK(fx_up("10.0.1.2", "0.0.0.0", "k"));
    CHECK(fx_input("mqttip/10.0.1.2", frame, flen) == ERR_OK);
    CHECK(fx_input("mqttip/10.0.1.2", frame, flen) == ERR_OK);
    CHECK(tp.n_published == 2);
    CHECK(memcmp(tp.published[0].payload, tp.published[1].payload, 24) != 0);
}

static void mtu_sized_echo_request_is_answered_whole_with_and_without_key(void)
{
    uint8_t pkt[1600], frame[1700], reply[1700];
    size_t len = icmp4_echo(pkt, 8, "10.0.1.1", "10.0.1.2", ECHO_SEQ, 1500 - 28);
    size_t flen;
    long rlen;

    CHECK(len == 1500);
    CHECK(fx_up("10.0.1.2", "0.0.0.0", NULL));
    CHECK(fx_input("mqttip/10.0.1.2", pkt, len) == ERR_OK);
    CHECK(tp.n_published == 1);
    CHECK(is_icmp4_echo_reply(tp.published[0].payload, tp.published[0].len,
                              "10.0.1.2", "10.0.1.1", ECHO_SEQ, 1500 - 28));
    fx_cleanup();

    flen = seal_frame(frame, "k", pkt, len);
    CHECK(flen == 1556);
    CHECK(fx_up("10.0.1.2", "0.0.0.0", "k"));
    CHECK(fx_input("mqttip/10.0.1.2", frame, flen) == ERR_OK);
    CHECK(tp.n_published == 1 && tp.published[0].len == 1556);
    rlen = open_frame(reply, "k", tp.published[0].payload, tp.published[0].len);
    CHECK(rlen == 1500);
    CHECK(is_icmp4_echo_reply(reply, 1500, "10.0.1.2", "10.0.1.1", ECHO_SEQ, 1500 - 28));
}

static void reply_to_an_off_link_sender_is_published_to_the_gateways_topic(void)
{
    uint8_t pkt[256];
    size_t len = icmp4_echo(pkt, 8, "192.168.7.7", "10.0.1.2", ECHO_SEQ, 16);

    CHECK(fx_up("10.0.1.2", "10.0.1.1", NULL));
    CHECK(fx_input("mqttip/10.0.1.2", pkt, len) == ERR_OK);
    CHECK(tp.n_published == 1);
    CHECK(strcmp(tp.published[0].topic, "mqttip/10.0.1.1") == 0);
    /* The packet itself still goes to the far host: only the topic is the next hop. */
    CHECK(is_icmp4_echo_reply(tp.published[0].payload, tp.published[0].len,
                              "10.0.1.2", "192.168.7.7", ECHO_SEQ, 16));
}

static void reply_to_an_on_link_sender_skips_the_gateway(void)
{
    uint8_t pkt[256];
    size_t len = icmp4_echo(pkt, 8, "10.0.1.3", "10.0.1.2", ECHO_SEQ, 16);

    CHECK(fx_up("10.0.1.2", "10.0.1.1", NULL));
    CHECK(fx_input("mqttip/10.0.1.2", pkt, len) == ERR_OK);
    CHECK(tp.n_published == 1);
    CHECK(strcmp(tp.published[0].topic, "mqttip/10.0.1.3") == 0);
}

static void reply_to_an_off_link_sender_without_gateway_goes_to_its_own_topic(void)
{
    uint8_t pkt[256];
    size_t len = icmp4_echo(pkt, 8, "192.168.7.7", "10.0.1.2", ECHO_SEQ, 16);

    CHECK(fx_up("10.0.1.2", "0.0.0.0", NULL));
    CHECK(fx_input("mqttip/10.0.1.2", pkt, len) == ERR_OK);
    CHECK(tp.n_published == 1);
    CHECK(strcmp(tp.published[0].topic, "mqttip/192.168.7.7") == 0);
}

/* The driver keeps the last next hop's topic: it must never answer one peer on another's. */
static void replies_to_alternating_senders_each_go_to_their_senders_topic(void)
{
    static const char *const senders[] = {"10.0.1.1", "10.0.1.3", "10.0.1.3", "10.0.1.30", "10.0.1.1"};
    char topic[MQTTVPN_TOPIC_MAX];
    uint8_t pkt[256];
    size_t i, len;

    CHECK(fx_up("10.0.1.2", "0.0.0.0", NULL));
    for (i = 0; i < sizeof(senders) / sizeof(senders[0]); i++) {
        len = icmp4_echo(pkt, 8, senders[i], "10.0.1.2", (uint16_t)i, 16);
        CHECK(fx_input("mqttip/10.0.1.2", pkt, len) == ERR_OK);
        CHECK(tp.n_published == i + 1);
        snprintf(topic, sizeof(topic), "mqttip/%s", senders[i]);
        CHECK(strcmp(tp.published[i].topic, topic) == 0);
        CHECK(is_icmp4_echo_reply(tp.published[i].payload, tp.published[i].len, "10.0.1.2", senders[i],
                                  (uint16_t)i, 16));
    }
#if LWIP_IPV6
    /* a00:101::5 begins with the bytes of 10.0.1.1, the IPv4 next hop just used. */
    CHECK(fx_add_ip6("fd00::2"));
    len = icmp6_echo(pkt, 128, "a00:101::5", "fd00::2", ECHO_SEQ, 16);
    CHECK(fx_input("mqttip/10.0.1.2", pkt, len) == ERR_OK);
    len = icmp4_echo(pkt, 8, "10.0.1.1", "10.0.1.2", ECHO_SEQ, 16);
    CHECK(fx_input("mqttip/10.0.1.2", pkt, len) == ERR_OK);
    CHECK(tp.n_published == i + 2);
    CHECK(strcmp(tp.published[i].topic, "mqttip/a00:101::5") == 0);
    CHECK(is_icmp6_echo_reply(tp.published[i].payload, tp.published[i].len, "fd00::2", "a00:101::5",
                              ECHO_SEQ, 16));
    CHECK(strcmp(tp.published[i + 1].topic, "mqttip/10.0.1.1") == 0);
#endif
}

static void topic_prefix_is_used_for_reading_and_publishing(void)
{
    uint8_t pkt[256];
    size_t len = icmp4_echo(pkt, 8, "10.0.1.1", "10.0.1.2", ECHO_SEQ, 16);

    CHECK(fx_up_prefix("10.0.1.2", "255.255.255.0", "0.0.0.0", NULL, "site/vpn"));
    CHECK(tp_is_subscribed("site/vpn/10.0.1.2"));
    CHECK(fx_input("mqttip/10.0.1.2", pkt, len) == ERR_VAL);
    CHECK(fx_input("site/vpn/10.0.1.2", pkt, len) == ERR_OK);
    CHECK(tp.n_published == 1);
    CHECK(strcmp(tp.published[0].topic, "site/vpn/10.0.1.1") == 0);
}

static void prefix_with_a_wildcard_is_refused(void)
{
    CHECK(!fx_up_prefix("10.0.1.2", "255.255.255.0", "0.0.0.0", NULL, "mqttip/#"));
    CHECK(!fx.added);
}

/* The same rule as the Java host's --topic-prefix: refused at attach with ERR_ARG. */
static void prefix_the_host_would_refuse_is_refused_at_attach(void)
{
    static const char *const bad[] = {"$SYS/vpn", "vpn/", "my vpn", "vpn\x01"};
    struct mqttvpn_netif_config cfg;
    struct netif nif;
    size_t i;

    memset(&cfg, 0, sizeof(cfg));
    cfg.platform = &tp;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cfg.topic_prefix = bad[i];
        memset(&nif, 0, sizeof(nif));
        CHECK(mqttvpn_netif_attach(&nif, &cfg) == ERR_ARG);
        CHECK(!mqttvpn_netif_is_attached(&nif));
    }
}

static void request_on_the_broadcast_topic_is_accepted(void)
{
    uint8_t pkt[256];
    size_t len = icmp4_echo(pkt, 8, "10.0.1.1", "10.0.1.2", ECHO_SEQ, 16);

    CHECK(fx_up("10.0.1.2", "0.0.0.0", NULL));
    CHECK(fx_input("mqttip/255.255.255.255", pkt, len) == ERR_OK);
    CHECK(tp.n_published == 1);
    CHECK(fx_counters().rx_packets == 1);
}

static void frame_sealed_with_another_key_is_dropped_as_auth_failed(void)
{
    uint8_t pkt[256], frame[512];
    size_t len = icmp4_echo(pkt, 8, "10.0.1.1", "10.0.1.2", ECHO_SEQ, 56);
    size_t flen = seal_frame(frame, "not the key", pkt, len);
    struct mqttvpn_netif_counters c;

    CHECK(fx_up("10.0.1.2", "0.0.0.0", "the key"));
    CHECK(fx_input("mqttip/10.0.1.2", frame, flen) != ERR_OK);
    CHECK(tp.n_published == 0);
    c = fx_counters();
    CHECK(c.rx_dropped[MQTTVPN_DROP_AUTH_FAILED] == 1);
    CHECK(c.rx_packets == 0);
    CHECK(total_drops(&c) == 1);
}

static void damaged_frame_is_dropped_as_auth_failed(void)
{
    uint8_t pkt[256], frame[512];
    size_t len = icmp4_echo(pkt, 8, "10.0.1.1", "10.0.1.2", ECHO_SEQ, 56);
    size_t flen = seal_frame(frame, "k", pkt, len);

    frame[70] ^= 0x01;
    CHECK(fx_up("10.0.1.2", "0.0.0.0", "k"));
    CHECK(fx_input("mqttip/10.0.1.2", frame, flen) != ERR_OK);
    CHECK(tp.n_published == 0);
    CHECK(fx_counters().rx_dropped[MQTTVPN_DROP_AUTH_FAILED] == 1);
}

static void truncated_frames_are_dropped_and_counted(void)
{
    uint8_t pkt[256], frame[512];
    size_t len = icmp4_echo(pkt, 8, "10.0.1.1", "10.0.1.2", ECHO_SEQ, 56);
    size_t flen = seal_frame(frame, "k", pkt, len);
    struct mqttvpn_netif_counters c;

    CHECK(fx_up("10.0.1.2", "0.0.0.0", "k"));
    /* shorter than 56 + 20: too short to hold a packet */
    CHECK(fx_input("mqttip/10.0.1.2", frame, 60) != ERR_OK);
    CHECK(fx_input("mqttip/10.0.1.2", frame, 0) != ERR_OK);
    /* long enough, but cut: the tag no longer matches */
    CHECK(fx_input("mqttip/10.0.1.2", frame, flen - 10) != ERR_OK);
    c = fx_counters();
    CHECK(c.rx_dropped[MQTTVPN_DROP_TOO_SHORT] == 2);
    CHECK(c.rx_dropped[MQTTVPN_DROP_AUTH_FAILED] == 1);
    CHECK(tp.n_published == 0 && c.rx_packets == 0);
    fx_cleanup();

    CHECK(fx_up("10.0.1.2", "0.0.0.0", NULL));
    CHECK(fx_input("mqttip/10.0.1.2", pkt, 19) != ERR_OK);
    /* a plain packet cut short: its length field no longer matches */
    CHECK(fx_input("mqttip/10.0.1.2", pkt, len - 10) != ERR_OK);
    c = fx_counters();
    CHECK(c.rx_dropped[MQTTVPN_DROP_TOO_SHORT] == 1);
    CHECK(c.rx_dropped[MQTTVPN_DROP_NOT_IP] == 1);
    CHECK(tp.n_published == 0 && c.rx_packets == 0);
}

static void frame_longer_than_the_mtu_is_dropped_as_too_long(void)
{
    static uint8_t big[1600];
    uint8_t frame[1700];
    size_t flen;

    icmp4_echo(big, 8, "10.0.1.1", "10.0.1.2", ECHO_SEQ, 1501 - 28);
    CHECK(fx_up("10.0.1.2", "0.0.0.0", NULL));
    CHECK(fx_input("mqttip/10.0.1.2", big, 1501) != ERR_OK);
    CHECK(fx_counters().rx_dropped[MQTTVPN_DROP_TOO_LONG] == 1);
    fx_cleanup();

    flen = seal_frame(frame, "k", big, 1501);
    CHECK(fx_up("10.0.1.2", "0.0.0.0", "k"));
    CHECK(fx_input("mqttip/10.0.1.2", frame, flen) != ERR_OK);
    CHECK(fx_counters().rx_dropped[MQTTVPN_DROP_TOO_LONG] == 1);
    CHECK(tp.n_published == 0);
}

static void plaintext_that_is_not_ip_is_dropped_as_not_ip(void)
{
    uint8_t junk[64], frame[256];
    size_t flen;

    memset(junk, 0x11, sizeof(junk)); /* version 1 */
    flen = seal_frame(frame, "k", junk, sizeof(junk));
    CHECK(fx_up("10.0.1.2", "0.0.0.0", "k"));
    CHECK(fx_input("mqttip/10.0.1.2", frame, flen) != ERR_OK);
    CHECK(fx_counters().rx_dropped[MQTTVPN_DROP_NOT_IP] == 1);
    CHECK(fx_counters().rx_packets == 0);
}

static void frame_on_a_foreign_topic_is_dropped_and_counted(void)
{
    uint8_t pkt[256];
    size_t len = icmp4_echo(pkt, 8, "10.0.1.1", "10.0.1.2", ECHO_SEQ, 16);
    struct mqttvpn_netif_counters c;

    CHECK(fx_up("10.0.1.2", "0.0.0.0", NULL));
    CHECK(fx_input("mqttip/10.0.1.3", pkt, len) == ERR_VAL);
    CHECK(fx_input("mqttip/10.0.1.20", pkt, len) == ERR_VAL);   /* own address as a prefix */
    CHECK(fx_input("mqttip/10.0.1.", pkt, len) == ERR_VAL);
    CHECK(fx_input("other/10.0.1.2", pkt, len) == ERR_VAL);
    CHECK(fx_input("mqttip", pkt, len) == ERR_VAL);
    CHECK(mqttvpn_netif_input(&fx.nif, "mqttip/10.0.1.2x", 15, pkt, len) == ERR_OK); /* length counts */
    c = fx_counters();
    CHECK(c.rx_unexpected_topic == 5);
    CHECK(c.rx_packets == 1);
}

/*
 * RabbitMQ's MQTT plugin delivers a frame published to mqttip/10.0.1.2 as mqttip/10/0/1/2 (it
 * maps '/' to '.' into its routing keys and '.' to '/' out of them): accepted as the reading
 * topic, and said once, while replies still go to the classic topic.
 */
static void frame_on_a_reading_topic_with_its_dots_made_slashes_is_accepted_and_said_once(void)
{
    uint8_t pkt[256];
    size_t len = icmp4_echo(pkt, 8, "10.0.1.1", "10.0.1.2", ECHO_SEQ, 16);
    size_t logs;
    struct mqttvpn_netif_counters c;

    CHECK(fx_up("10.0.1.2", "0.0.0.0", NULL));
    logs = tp.n_logs;
    CHECK(fx_input("mqttip/10/0/1/2", pkt, len) == ERR_OK);
    CHECK(tp.n_logs == logs + 1);
    CHECK(tp.last_log_level == MQTTVPN_LOG_WARN);
    CHECK(strstr(tp.last_log, "mqttip/10/0/1/2") != NULL);
    CHECK(strstr(tp.last_log, "mqttip/10.0.1.2") != NULL);
    CHECK(strstr(tp.last_log, "RabbitMQ") != NULL);
    CHECK(tp.n_published == 1);
    CHECK(strcmp(tp.published[0].topic, "mqttip/10.0.1.1") == 0);

    len = icmp4_echo(pkt, 8, "10.0.1.1", "255.255.255.255", ECHO_SEQ, 16);
    CHECK(fx_input("mqttip/255/255/255/255", pkt, len) == ERR_OK);
    CHECK(fx_input("mqttip/10/0/1/2", pkt, len) == ERR_OK);
    CHECK(tp.n_logs == logs + 1); /* once */
    c = fx_counters();
    CHECK(c.rx_packets == 3);
    CHECK(total_drops(&c) == 0);
}

/* Only that exact alias: anything else on other topics is still unexpected. */
static void only_the_exact_slashed_alias_of_a_reading_topic_is_accepted(void)
{
    uint8_t pkt[256];
    size_t len = icmp4_echo(pkt, 8, "10.0.1.1", "10.0.1.2", ECHO_SEQ, 16);
    size_t logs;
    struct mqttvpn_netif_counters c;

    CHECK(fx_up("10.0.1.2", "0.0.0.0", NULL));
    logs = tp.n_logs;
    CHECK(fx_input("mqttip/10/0/1.2", pkt, len) == ERR_VAL);   /* a dot left */
    CHECK(fx_input("mqttip/10/0/1/3", pkt, len) == ERR_VAL);   /* another node's */
    CHECK(fx_input("mqttip/10/0/1/20", pkt, len) == ERR_VAL);
    CHECK(fx_input("mqttip/10/0/1/", pkt, len) == ERR_VAL);
    CHECK(fx_input("mqttip/10/0/1", pkt, len) == ERR_VAL);
    CHECK(fx_input("mqttip.10.0.1.2", pkt, len) == ERR_VAL);   /* '/' made '.': no broker does that */
    CHECK(fx_input("other/10/0/1/2", pkt, len) == ERR_VAL);
    CHECK(mqttvpn_netif_input(&fx.nif, "mqttip/10/0/1/2/", 15, pkt, len) == ERR_OK); /* length counts */
    c = fx_counters();
    CHECK(c.rx_unexpected_topic == 7);
    CHECK(c.rx_packets == 1);
    CHECK(tp.n_logs == logs + 1);
}

/* The broker turns the prefix's dots into slashes too; a half-turned topic is not the alias. */
static void slashed_alias_covers_a_prefix_with_dots(void)
{
    uint8_t pkt[256];
    size_t len = icmp4_echo(pkt, 8, "10.0.1.1", "10.0.1.2", ECHO_SEQ, 16);

    CHECK(fx_up_prefix("10.0.1.2", "255.255.255.0", "0.0.0.0", NULL, "site.vpn"));
    CHECK(tp_is_subscribed("site.vpn/10.0.1.2"));
    CHECK(fx_input("site/vpn/10/0/1/2", pkt, len) == ERR_OK);
    CHECK(fx_input("site.vpn/10/0/1/2", pkt, len) == ERR_VAL);
    CHECK(fx_input("site/vpn/10.0.1.2", pkt, len) == ERR_VAL);
    CHECK(fx_counters().rx_unexpected_topic == 2);
    CHECK(strcmp(tp.published[0].topic, "site.vpn/10.0.1.1") == 0);
}

static void connect_subscribes_every_reading_topic_and_raises_the_link(void)
{
    ip_addr_t nat;

    CHECK(fx_up("10.0.1.2", "0.0.0.0", NULL));
    CHECK(netif_is_link_up(&fx.nif));
    CHECK(tp.n_subscribed == 2);
    CHECK(tp_is_subscribed("mqttip/10.0.1.2"));
    CHECK(tp_is_subscribed("mqttip/255.255.255.255"));

    CHECK(mqttvpn_netif_set_connected(&fx.nif, 0) == ERR_OK);
    CHECK(!netif_is_link_up(&fx.nif));
    IP_ADDR4(&nat, 192, 168, 4, 10);
    CHECK(mqttvpn_netif_add_reading_topic(&fx.nif, &nat) == ERR_OK);
    CHECK(tp.n_subscribed == 2); /* not connected: subscribed on the next connect */

    tp_reset();
    CHECK(mqttvpn_netif_set_connected(&fx.nif, 1) == ERR_OK);
    CHECK(tp.n_subscribed == 3);
    CHECK(tp_is_subscribed("mqttip/192.168.4.10"));
    CHECK(netif_is_link_up(&fx.nif));
}

static void nothing_is_published_while_disconnected(void)
{
    uint8_t pkt[256];
    size_t len = icmp4_echo(pkt, 8, "10.0.1.1", "10.0.1.2", ECHO_SEQ, 16);

    CHECK(fx_up("10.0.1.2", "0.0.0.0", NULL));
    CHECK(mqttvpn_netif_set_connected(&fx.nif, 0) == ERR_OK);
    (void)fx_input("mqttip/10.0.1.2", pkt, len);
    CHECK(tp.n_published == 0);
    CHECK(fx_counters().tx_publish_failed == 1);
}

static void failed_subscription_is_reported(void)
{
    CHECK(fx_up("10.0.1.2", "0.0.0.0", NULL));
    CHECK(mqttvpn_netif_set_connected(&fx.nif, 0) == ERR_OK);
    tp.subscribe_fails = 1;
    CHECK(mqttvpn_netif_set_connected(&fx.nif, 1) == ERR_IF);
    CHECK(netif_is_link_up(&fx.nif)); /* the link comes up all the same (netif.h) */
}

static void nat_target_topic_is_accepted_and_removable(void)
{
    uint8_t pkt[256];
    size_t len = icmp4_echo(pkt, 8, "10.0.1.1", "10.0.1.2", ECHO_SEQ, 16);
    ip_addr_t nat;

    IP_ADDR4(&nat, 192, 168, 4, 10);
    CHECK(fx_up("10.0.1.2", "0.0.0.0", NULL));
    CHECK(mqttvpn_netif_add_reading_topic(&fx.nif, &nat) == ERR_OK);
    CHECK(tp_is_subscribed("mqttip/192.168.4.10")); /* connected: at once */
    CHECK(mqttvpn_netif_add_reading_topic(&fx.nif, &nat) == ERR_OK); /* again: no-op */
    CHECK(mqttvpn_netif_topic_count(&fx.nif) == 3);
    CHECK(fx_input("mqttip/192.168.4.10", pkt, len) == ERR_OK);
    CHECK(fx_counters().rx_unexpected_topic == 0);

    CHECK(mqttvpn_netif_remove_reading_topic(&fx.nif, &nat) == ERR_OK);
    CHECK(!tp_is_subscribed("mqttip/192.168.4.10"));
    CHECK(mqttvpn_netif_remove_reading_topic(&fx.nif, &nat) == ERR_VAL);
    CHECK(fx_input("mqttip/192.168.4.10", pkt, len) == ERR_VAL);
    CHECK(fx_counters().rx_unexpected_topic == 1);
}

/* Removing a topic from the middle of the list must not lose the one after it. */
static void removing_one_nat_target_keeps_the_others_readable(void)
{
    uint8_t pkt[256];
    size_t len = icmp4_echo(pkt, 8, "10.0.1.1", "10.0.1.2", ECHO_SEQ, 16);
    ip_addr_t first, second;

    IP_ADDR4(&first, 192, 168, 4, 10);
    IP_ADDR4(&second, 192, 168, 4, 11);
    CHECK(fx_up("10.0.1.2", "0.0.0.0", NULL));
    CHECK(mqttvpn_netif_add_reading_topic(&fx.nif, &first) == ERR_OK);
    CHECK(mqttvpn_netif_add_reading_topic(&fx.nif, &second) == ERR_OK);
    CHECK(mqttvpn_netif_remove_reading_topic(&fx.nif, &first) == ERR_OK);
    CHECK(mqttvpn_netif_topic_count(&fx.nif) == 3);
    CHECK(fx_input("mqttip/192.168.4.10", pkt, len) == ERR_VAL);
    CHECK(fx_input("mqttip/192.168.4.11", pkt, len) == ERR_OK);
    CHECK(fx_input("mqttip/10.0.1.2", pkt, len) == ERR_OK);
    CHECK(fx_input("mqttip/255.255.255.255", pkt, len) == ERR_OK);
    CHECK(tp_is_subscribed("mqttip/192.168.4.11") && !tp_is_subscribed("mqttip/192.168.4.10"));
}

static void removing_a_connected_interface_unsubscribes_every_reading_topic(void)
{
    ip_addr_t nat;

    IP_ADDR4(&nat, 192, 168, 4, 10);
    CHECK(fx_up("10.0.1.2", "0.0.0.0", NULL));
    CHECK(mqttvpn_netif_add_reading_topic(&fx.nif, &nat) == ERR_OK);
    mqttvpn_netif_remove(&fx.nif);
    fx.added = 0;
    CHECK(tp.n_unsubscribed == 3);
    CHECK(!tp_is_subscribed("mqttip/10.0.1.2") && !tp_is_subscribed("mqttip/255.255.255.255") &&
          !tp_is_subscribed("mqttip/192.168.4.10"));
}

static void reading_topics_beyond_the_cap_are_refused(void)
{
    char topic[MQTTVPN_TOPIC_MAX];
    ip_addr_t a;
    size_t i, n;

    CHECK(fx_up("10.0.1.2", "0.0.0.0", NULL));
    n = mqttvpn_netif_topic_count(&fx.nif);
    CHECK(n == 2);
    for (i = n; i < MQTTVPN_MAX_TOPICS; i++) {
        IP_ADDR4(&a, 192, 168, 9, (u8_t)i);
        CHECK(mqttvpn_netif_add_reading_topic(&fx.nif, &a) == ERR_OK);
    }
    CHECK(mqttvpn_netif_topic_count(&fx.nif) == MQTTVPN_MAX_TOPICS);
    IP_ADDR4(&a, 192, 168, 9, 200);
    CHECK(mqttvpn_netif_add_reading_topic(&fx.nif, &a) == ERR_MEM);
    CHECK(mqttvpn_netif_topic_count(&fx.nif) == MQTTVPN_MAX_TOPICS);
    CHECK(!tp_is_subscribed("mqttip/192.168.9.200"));
    for (i = 0; i < MQTTVPN_MAX_TOPICS; i++) {
        CHECK(mqttvpn_netif_topic(&fx.nif, i, topic, sizeof(topic)) > 0);
        CHECK(strcmp(topic, "mqttip/192.168.9.200") != 0);
    }
    CHECK(mqttvpn_netif_topic(&fx.nif, MQTTVPN_MAX_TOPICS, topic, sizeof(topic)) == 0);
}

static void failed_publish_is_counted(void)
{
    uint8_t pkt[256];
    size_t len = icmp4_echo(pkt, 8, "10.0.1.1", "10.0.1.2", ECHO_SEQ, 16);
    struct mqttvpn_netif_counters c;

    CHECK(fx_up("10.0.1.2", "0.0.0.0", NULL));
    tp.publish_fails = 1;
    CHECK(fx_input("mqttip/10.0.1.2", pkt, len) == ERR_OK);
    c = fx_counters();
    CHECK(c.tx_publish_failed == 1);
    CHECK(c.tx_packets == 0);
}

/* Hands an IPv4 echo request src -> dst to the netif on the own topic; returns what input said. */
static err_t fx_echo4(const char *src, const char *dst)
{
    uint8_t pkt[256];
    size_t len = icmp4_echo(pkt, 8, src, dst, ECHO_SEQ, 16);
    return fx_input("mqttip/10.0.1.2", pkt, len);
}

static void packet_for_an_address_that_is_not_this_nodes_is_dropped_and_counted(void)
{
    struct mqttvpn_netif_counters c;

    CHECK(fx_up("10.0.1.2", "0.0.0.0", NULL));
    CHECK(fx_echo4("10.0.1.1", "10.0.1.7") == ERR_RTE);    /* another node of the subnet */
    CHECK(fx_echo4("10.0.1.1", "192.168.9.9") == ERR_RTE); /* off the VPN */
    CHECK(fx_echo4("10.0.1.2", "8.8.8.8") == ERR_RTE);     /* a spoofed source changes nothing */
    CHECK(tp.n_published == 0);
    c = fx_counters();
    CHECK(c.rx_not_for_us == 3);
    CHECK(c.rx_packets == 0);
    CHECK(total_drops(&c) == 3);
}

static void packets_for_the_own_address_broadcast_multicast_and_nat_targets_are_delivered(void)
{
    uint8_t pkt[256];
    size_t len = icmp4_echo(pkt, 8, "10.0.1.1", "192.168.4.10", ECHO_SEQ, 16);
    ip_addr_t nat;
    struct mqttvpn_netif_counters c;

    IP_ADDR4(&nat, 192, 168, 4, 10);
    CHECK(fx_up("10.0.1.2", "0.0.0.0", NULL));
    CHECK(mqttvpn_netif_add_reading_topic(&fx.nif, &nat) == ERR_OK);
    CHECK(fx_echo4("10.0.1.1", "10.0.1.2") == ERR_OK);
    CHECK(fx_echo4("10.0.1.1", "255.255.255.255") == ERR_OK);
    CHECK(fx_echo4("10.0.1.1", "10.0.1.255") == ERR_OK);  /* the subnet's broadcast */
    CHECK(fx_echo4("10.0.1.1", "224.0.0.1") == ERR_OK);
    CHECK(fx_input("mqttip/192.168.4.10", pkt, len) == ERR_OK); /* for the NAT target, on its topic */
    CHECK(fx_echo4("10.0.1.1", "192.168.4.10") == ERR_OK);      /* or on the own one */
    c = fx_counters();
    CHECK(c.rx_packets == 6);
    CHECK(c.rx_not_for_us == 0);
    CHECK(total_drops(&c) == 0);
}

static void a_node_that_routes_for_others_delivers_packets_for_any_address(void)
{
    struct mqttvpn_netif_config cfg;
    ip4_addr_t a, m, g;

    memset(&cfg, 0, sizeof(cfg));
    tp_reset();
    cfg.platform = &tp;
    cfg.route_for_others = 1;
    IP4_ADDR(&a, 10, 0, 1, 2);
    IP4_ADDR(&m, 255, 255, 255, 0);
    ip4_addr_set_zero(&g);
    CHECK(mqttvpn_netif_attach(&fx.nif, &cfg) == ERR_OK);
    fx.added = 1;
    CHECK(netif_add(&fx.nif, &a, &m, &g, NULL, mqttvpn_netif_init, netif_input) != NULL);
    netif_set_up(&fx.nif);
    CHECK(mqttvpn_netif_set_connected(&fx.nif, 1) == ERR_OK);
    CHECK(fx_echo4("10.0.1.1", "192.168.9.9") == ERR_OK);
    CHECK(fx_counters().rx_packets == 1);
    CHECK(fx_counters().rx_not_for_us == 0);

    /* and switched at run time */
    CHECK(mqttvpn_netif_set_route_for_others(&fx.nif, 0) == ERR_OK);
    CHECK(fx_echo4("10.0.1.1", "192.168.9.9") == ERR_RTE);
    CHECK(fx_counters().rx_not_for_us == 1);
    CHECK(mqttvpn_netif_set_route_for_others(&fx.nif, 1) == ERR_OK);
    CHECK(fx_echo4("10.0.1.1", "192.168.9.9") == ERR_OK);
    CHECK(fx_counters().rx_packets == 2);
    fx_cleanup();
    CHECK(mqttvpn_netif_set_route_for_others(&fx.nif, 1) == ERR_IF); /* detached */
}

#if LWIP_IPV6
static err_t fx_echo6(const char *src, const char *dst)
{
    uint8_t pkt[256];
    size_t len = icmp6_echo(pkt, 128, src, dst, ECHO_SEQ, 16);
    return fx_input("mqttip/10.0.1.2", pkt, len);
}

static void ipv6_packet_for_an_address_that_is_not_this_nodes_is_dropped_unless_it_routes_for_others(void)
{
    ip_addr_t target;

    CHECK(fx_up("10.0.1.2", "0.0.0.0", NULL));
    CHECK(fx_add_ip6("fd00::2"));
    CHECK(fx_echo6("fd00::1", "fd00::9") == ERR_RTE);
    CHECK(fx_echo6("fd00::2", "2001:db8::1") == ERR_RTE); /* spoofed source */
    CHECK(tp.n_published == 0);
    CHECK(fx_counters().rx_not_for_us == 2);

    CHECK(fx_echo6("fd00::1", "fd00::2") == ERR_OK); /* the netif's address */
    CHECK(tp.n_published == 1);
    CHECK(fx_echo6("fd00::1", "ff02::1") == ERR_OK); /* multicast */
    CHECK(ipaddr_aton("2001:db8::7", &target));
    CHECK(mqttvpn_netif_add_reading_topic(&fx.nif, &target) == ERR_OK); /* an IPv6 NAT target */
    CHECK(fx_echo6("fd00::1", "2001:db8::7") == ERR_OK);
    CHECK(fx_counters().rx_packets == 3);

    CHECK(mqttvpn_netif_set_route_for_others(&fx.nif, 1) == ERR_OK);
    CHECK(fx_echo6("fd00::1", "fd00::9") == ERR_OK);
    CHECK(fx_counters().rx_packets == 4);
    CHECK(fx_counters().rx_not_for_us == 2);
}

static void ipv6_echo_request_is_answered_on_the_senders_topic(void)
{
    uint8_t pkt[256], frame[512], reply[512];
    size_t len = icmp6_echo(pkt, 128, "fd00::1", "fd00::2", ECHO_SEQ, 32);
    size_t flen;
    long rlen;

    CHECK(fx_up("10.0.1.2", "0.0.0.0", NULL));
    CHECK(fx_add_ip6("fd00::2"));
    CHECK(fx_input("mqttip/10.0.1.2", pkt, len) == ERR_OK); /* own IPv4 topic works too */
    CHECK(tp.n_published == 1);
    CHECK(strcmp(tp.published[0].topic, "mqttip/fd00::1") == 0);
    CHECK(is_icmp6_echo_reply(tp.published[0].payload, tp.published[0].len,
                              "fd00::2", "fd00::1", ECHO_SEQ, 32));
    fx_cleanup();

    flen = seal_frame(frame, "k6", pkt, len);
    CHECK(fx_up("10.0.1.2", "0.0.0.0", "k6"));
    CHECK(fx_add_ip6("fd00::2"));
    {
        ip_addr_t own6;
        CHECK(ipaddr_aton("fd00::2", &own6));
        CHECK(mqttvpn_netif_add_reading_topic(&fx.nif, &own6) == ERR_OK);
    }
    CHECK(tp_is_subscribed("mqttip/fd00::2"));
    CHECK(fx_input("mqttip/fd00::2", frame, flen) == ERR_OK);
    CHECK(tp.n_published == 1);
    CHECK(strcmp(tp.published[0].topic, "mqttip/fd00::1") == 0);
    rlen = open_frame(reply, "k6", tp.published[0].payload, tp.published[0].len);
    CHECK(rlen == (long)len);
    CHECK(is_icmp6_echo_reply(reply, (size_t)rlen, "fd00::2", "fd00::1", ECHO_SEQ, 32));
}

static void ipv6_reply_to_an_off_link_sender_goes_to_gateway6(void)
{
    struct mqttvpn_netif_config cfg;
    uint8_t pkt[256];
    size_t len = icmp6_echo(pkt, 128, "2001:db8::9", "fd00::2", ECHO_SEQ, 8);
    size_t len2;
    ip4_addr_t a, m, g;

    memset(&cfg, 0, sizeof(cfg));
    tp_reset();
    cfg.platform = &tp;
    inet_pton(AF_INET6, "fd00::1", cfg.gateway6);
    IP4_ADDR(&a, 10, 0, 1, 2);
    IP4_ADDR(&m, 255, 255, 255, 0);
    ip4_addr_set_zero(&g);
    CHECK(mqttvpn_netif_attach(&fx.nif, &cfg) == ERR_OK);
    fx.added = 1; /* remove detaches, and netif_remove ignores a netif lwIP never added */
    CHECK(netif_add(&fx.nif, &a, &m, &g, NULL, mqttvpn_netif_init, netif_input) != NULL);
    netif_set_up(&fx.nif);
    CHECK(mqttvpn_netif_set_connected(&fx.nif, 1) == ERR_OK);
    CHECK(fx_add_ip6("fd00::2"));
    CHECK(fx_input("mqttip/10.0.1.2", pkt, len) == ERR_OK);
    CHECK(tp.n_published == 1);
    CHECK(strcmp(tp.published[0].topic, "mqttip/fd00::1") == 0);
    CHECK(is_icmp6_echo_reply(tp.published[0].payload, tp.published[0].len,
                              "fd00::2", "2001:db8::9", ECHO_SEQ, 8));

    len2 = icmp6_echo(pkt, 128, "fd00::7", "fd00::2", ECHO_SEQ, 8); /* on-link: no gateway */
    CHECK(fx_input("mqttip/10.0.1.2", pkt, len2) == ERR_OK);
    CHECK(tp.n_published == 2);
    CHECK(strcmp(tp.published[1].topic, "mqttip/fd00::7") == 0);
}

static void ipv6_multicast_is_counted_and_not_published(void)
{
    struct udp_pcb *pcb;
    struct pbuf *p;
    ip_addr_t dst, src;
    err_t err;

    CHECK(fx_up("10.0.1.2", "0.0.0.0", NULL));
    CHECK(fx_add_ip6("fd00::2"));
    CHECK(ipaddr_aton("ff02::1", &dst));
    CHECK(ipaddr_aton("fd00::2", &src));
    pcb = udp_new_ip_type(IPADDR_TYPE_V6);
    CHECK(pcb != NULL);
    p = pbuf_alloc(PBUF_TRANSPORT, 8, PBUF_RAM);
    if (p == NULL) {
        udp_remove(pcb);
    }
    CHECK(p != NULL);
    memset(p->payload, 0x5a, 8);
    err = udp_sendto_if_src(pcb, p, &dst, 9, &fx.nif, &src);
    pbuf_free(p);
    udp_remove(pcb);
    CHECK(err != ERR_OK);
    CHECK(tp.n_published == 0);
    CHECK(fx_counters().tx_multicast6 == 1);
}
#endif /* LWIP_IPV6 */

/* ---- runner ----------------------------------------------------------------------------- */

static const struct test_case tests[] = {
    TEST(echo_request_on_own_topic_is_answered_on_the_senders_topic),
    TEST(echo_request_sealed_with_the_key_is_answered_with_a_frame_that_opens_with_it),
    TEST(two_replies_carry_different_nonces),
    TEST(mtu_sized_echo_request_is_answered_whole_with_and_without_key),
    TEST(reply_to_an_off_link_sender_is_published_to_the_gateways_topic),
    TEST(reply_to_an_on_link_sender_skips_the_gateway),
    TEST(reply_to_an_off_link_sender_without_gateway_goes_to_its_own_topic),
    TEST(replies_to_alternating_senders_each_go_to_their_senders_topic),
    TEST(topic_prefix_is_used_for_reading_and_publishing),
    TEST(prefix_with_a_wildcard_is_refused),
    TEST(prefix_the_host_would_refuse_is_refused_at_attach),
    TEST(request_on_the_broadcast_topic_is_accepted),
    TEST(frame_sealed_with_another_key_is_dropped_as_auth_failed),
    TEST(damaged_frame_is_dropped_as_auth_failed),
    TEST(truncated_frames_are_dropped_and_counted),
    TEST(frame_longer_than_the_mtu_is_dropped_as_too_long),
    TEST(plaintext_that_is_not_ip_is_dropped_as_not_ip),
    TEST(frame_on_a_foreign_topic_is_dropped_and_counted),
    TEST(frame_on_a_reading_topic_with_its_dots_made_slashes_is_accepted_and_said_once),
    TEST(only_the_exact_slashed_alias_of_a_reading_topic_is_accepted),
    TEST(slashed_alias_covers_a_prefix_with_dots),
    TEST(connect_subscribes_every_reading_topic_and_raises_the_link),
    TEST(nothing_is_published_while_disconnected),
    TEST(failed_subscription_is_reported),
    TEST(nat_target_topic_is_accepted_and_removable),
    TEST(removing_one_nat_target_keeps_the_others_readable),
    TEST(removing_a_connected_interface_unsubscribes_every_reading_topic),
    TEST(reading_topics_beyond_the_cap_are_refused),
    TEST(failed_publish_is_counted),
    TEST(packet_for_an_address_that_is_not_this_nodes_is_dropped_and_counted),
    TEST(packets_for_the_own_address_broadcast_multicast_and_nat_targets_are_delivered),
    TEST(a_node_that_routes_for_others_delivers_packets_for_any_address),
#if LWIP_IPV6
    TEST(ipv6_packet_for_an_address_that_is_not_this_nodes_is_dropped_unless_it_routes_for_others),
    TEST(ipv6_echo_request_is_answered_on_the_senders_topic),
    TEST(ipv6_reply_to_an_off_link_sender_goes_to_gateway6),
    TEST(ipv6_multicast_is_counted_and_not_published),
#endif
};

int main(void)
{
    if (sodium_init() < 0) {
        fprintf(stderr, "libsodium failed to initialise\n");
        return 1;
    }
    lwip_init();
    return run_tests("netif", tests, sizeof(tests) / sizeof(tests[0]), tp_reset, fx_cleanup);
}
