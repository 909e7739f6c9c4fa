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
#include "mqttvpn/netif.h"
#include "test_platform.h"
#include "../support/test_check.h"
#include "../support/test_ip.h"

/* ---- packets -------------------------------------------------------------------------- */

#define ECHO_ID 0x4d51u
#define ECHO_SEQ 7u

static void fill_payload(uint8_t *p, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        p[i] = (uint8_t)(i * 7u + 3u);
    }
}

/* An IPv4 ICMP echo request (type 8) or reply (0) with payload_len bytes of pattern. */
static size_t icmp4_echo(uint8_t *out, int type, const char *src, const char *dst, size_t payload_len)
{
    size_t len = 20 + 8 + payload_len;
    memset(out, 0, 28);
    out[0] = 0x45;
    put16(out + 2, (uint16_t)len);
    out[8] = 64;
    out[9] = 1;
    inet_pton(AF_INET, src, out + 12);
    inet_pton(AF_INET, dst, out + 16);
    put16(out + 10, fold(sum16(out, 20, 0)));
    out[20] = (uint8_t)type;
    put16(out + 24, ECHO_ID);
    put16(out + 26, ECHO_SEQ);
    fill_payload(out + 28, payload_len);
    put16(out + 22, fold(sum16(out + 20, 8 + payload_len, 0)));
    return len;
}

static uint32_t ip6_pseudo_sum(const uint8_t *ip6, size_t upper_len, uint8_t next)
{
    uint8_t tail[8] = {0};
    tail[2] = (uint8_t)(upper_len >> 8);
    tail[3] = (uint8_t)upper_len;
    tail[7] = next;
    return sum16(tail, 8, sum16(ip6 + 8, 32, 0));
}

/* An IPv6 ICMPv6 echo request (type 128) or reply (129). */
static size_t icmp6_echo(uint8_t *out, int type, const char *src, const char *dst, size_t payload_len)
{
    size_t upper = 8 + payload_len;
    memset(out, 0, 48);
    out[0] = 0x60;
    put16(out + 4, (uint16_t)upper);
    out[6] = 58;
    out[7] = 64;
    inet_pton(AF_INET6, src, out + 8);
    inet_pton(AF_INET6, dst, out + 24);
    out[40] = (uint8_t)type;
    put16(out + 44, ECHO_ID);
    put16(out + 46, ECHO_SEQ);
    fill_payload(out + 48, payload_len);
    put16(out + 42, fold(sum16(out + 40, upper, ip6_pseudo_sum(out, upper, 58))));
    return 40 + upper;
}

/* Whether pkt is a well-formed echo reply from src to dst carrying our id, seq, payload. */
static int is_icmp4_echo_reply(const uint8_t *pkt, size_t len, const char *src, const char *dst,
                               size_t payload_len)
{
    uint8_t want[2048];
    size_t want_len = icmp4_echo(want, 0, src, dst, payload_len);
    return len == want_len && pkt[0] == 0x45 && get16(pkt + 2) == len && pkt[9] == 1 &&
           fold(sum16(pkt, 20, 0)) == 0 && memcmp(pkt + 12, want + 12, 8) == 0 &&
           fold(sum16(pkt + 20, len - 20, 0)) == 0 && memcmp(pkt + 20, want + 20, 2) == 0 &&
           memcmp(pkt + 24, want + 24, len - 24) == 0;
}

static int is_icmp6_echo_reply(const uint8_t *pkt, size_t len, const char *src, const char *dst,
                               size_t payload_len)
{
    uint8_t want[2048];
    size_t want_len = icmp6_echo(want, 129, src, dst, payload_len);
    return len == want_len && (pkt[0] >> 4) == 6 && get16(pkt + 4) + 40u == len && pkt[6] == 58 &&
           memcmp(pkt + 8, want + 8, 32) == 0 && pkt[40] == 129 &&
           fold(sum16(pkt + 40, len - 40, ip6_pseudo_sum(pkt, len - 40, 58))) == 0 &&
           memcmp(pkt + 44, want + 44, len - 44) == 0;
}

/* ---- frames, with libsodium (independent of our codec) ------------------------------- */

static void derive_key(uint8_t key[32], const char *password)
{
    uint8_t h[crypto_hash_sha512_BYTES];
    crypto_hash_sha512(h, (const uint8_t *)password, strlen(password));
    memcpy(key, h, 32);
}

/* nonce || 16 zero bytes || secretbox_easy(packet) */
static size_t seal_frame(uint8_t *frame, const char *password, const uint8_t *pkt, size_t len)
{
    uint8_t key[32];
    derive_key(key, password);
    randombytes_buf(frame, 24);
    memset(frame + 24, 0, 16);
    crypto_secretbox_easy(frame + 40, pkt, len, frame, key);
    return len + 56;
}

/* Returns the packet length, or -1 if the frame does not open or its padding is not zero. */
static long open_frame(uint8_t *pkt, const char *password, const uint8_t *frame, size_t len)
{
    static const uint8_t zeros[16];
    uint8_t key[32];
    derive_key(key, password);
    if (len < 56 || memcmp(frame + 24, zeros, 16) != 0 ||
        crypto_secretbox_open_easy(pkt, frame + 40, len - 40, frame, key) != 0) {
        return -1;
    }
    return (long)(len - 56);
}

/* ---- fixture: one mqttvpn netif on real lwIP ----------------------------------------- */

static struct {
    struct netif nif;
    struct tp_platform tp;
    int added;
} fx;

/* Adds the netif (address/netmask/gateway, key password or NULL) and connects it. */
static int fx_up_prefix(const char *ip, const char *mask, const char *gw, const char *password,
                        const char *prefix)
{
    struct mqttvpn_netif_config cfg;
    ip4_addr_t a, m, g;

    memset(&cfg, 0, sizeof(cfg));
    tp_reset(&fx.tp);
    cfg.topic_prefix = prefix;
    cfg.platform = &fx.tp;
    mqttvpn_key_from_password(&cfg.key, password);
    ip4addr_aton(ip, &a);
    ip4addr_aton(mask, &m);
    ip4addr_aton(gw, &g);
    memset(&fx.nif, 0, sizeof(fx.nif));
    if (netif_add(&fx.nif, &a, &m, &g, &cfg, mqttvpn_netif_init, netif_input) == NULL) {
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
    uint32_t n = c->rx_unexpected_topic + c->rx_no_memory + c->tx_publish_failed +
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
    size_t len = icmp4_echo(pkt, 8, "10.0.1.1", "10.0.1.2", 56);
    struct mqttvpn_netif_counters c;

    CHECK(fx_up("10.0.1.2", "0.0.0.0", NULL));
    CHECK(fx_input("mqttip/10.0.1.2", pkt, len) == ERR_OK);
    CHECK(fx.tp.n_published == 1);
    CHECK(strcmp(fx.tp.published[0].topic, "mqttip/10.0.1.1") == 0);
    CHECK(is_icmp4_echo_reply(fx.tp.published[0].payload, fx.tp.published[0].len,
                              "10.0.1.2", "10.0.1.1", 56));
    c = fx_counters();
    CHECK(c.rx_packets == 1 && c.rx_bytes == len);
    CHECK(c.tx_packets == 1 && c.tx_bytes == len);
    CHECK(total_drops(&c) == 0);
}

static void echo_request_sealed_with_the_key_is_answered_with_a_frame_that_opens_with_it(void)
{
    uint8_t pkt[256], frame[512], reply[512];
    size_t len = icmp4_echo(pkt, 8, "10.0.1.1", "10.0.1.2", 56);
    size_t flen = seal_frame(frame, "correct horse battery staple", pkt, len);
    long rlen;

    CHECK(fx_up("10.0.1.2", "0.0.0.0", "correct horse battery staple"));
    CHECK(fx_input("mqttip/10.0.1.2", frame, flen) == ERR_OK);
    CHECK(fx.tp.n_published == 1);
    CHECK(strcmp(fx.tp.published[0].topic, "mqttip/10.0.1.1") == 0);
    CHECK(fx.tp.published[0].len == len + 56);
    rlen = open_frame(reply, "correct horse battery staple", fx.tp.published[0].payload,
                      fx.tp.published[0].len);
    CHECK(rlen == (long)len);
    CHECK(is_icmp4_echo_reply(reply, (size_t)rlen, "10.0.1.2", "10.0.1.1", 56));
    CHECK(fx_counters().tx_bytes == len);
}

static void two_replies_carry_different_nonces(void)
{
    uint8_t pkt[256], frame[512];
    size_t len = icmp4_echo(pkt, 8, "10.0.1.1", "10.0.1.2", 8);
    size_t flen = seal_frame(frame, "k", pkt, len);

    CHECK(fx_up("10.0.1.2", "0.0.0.0", "k"));
    CHECK(fx_input("mqttip/10.0.1.2", frame, flen) == ERR_OK);
    CHECK(fx_input("mqttip/10.0.1.2", frame, flen) == ERR_OK);
    CHECK(fx.tp.n_published == 2);
    CHECK(memcmp(fx.tp.published[0].payload, fx.tp.published[1].payload, 24) != 0);
}

static void mtu_sized_echo_request_is_answered_whole_with_and_without_key(void)
{
    uint8_t pkt[1600], frame[1700], reply[1700];
    size_t len = icmp4_echo(pkt, 8, "10.0.1.1", "10.0.1.2", 1500 - 28);
    size_t flen;
    long rlen;

    CHECK(len == 1500);
    CHECK(fx_up("10.0.1.2", "0.0.0.0", NULL));
    CHECK(fx_input("mqttip/10.0.1.2", pkt, len) == ERR_OK);
    CHECK(fx.tp.n_published == 1);
    CHECK(is_icmp4_echo_reply(fx.tp.published[0].payload, fx.tp.published[0].len,
                              "10.0.1.2", "10.0.1.1", 1500 - 28));
    fx_cleanup();

    flen = seal_frame(frame, "k", pkt, len);
    CHECK(flen == 1556);
    CHECK(fx_up("10.0.1.2", "0.0.0.0", "k"));
    CHECK(fx_input("mqttip/10.0.1.2", frame, flen) == ERR_OK);
    CHECK(fx.tp.n_published == 1 && fx.tp.published[0].len == 1556);
    rlen = open_frame(reply, "k", fx.tp.published[0].payload, fx.tp.published[0].len);
    CHECK(rlen == 1500);
    CHECK(is_icmp4_echo_reply(reply, 1500, "10.0.1.2", "10.0.1.1", 1500 - 28));
}

static void reply_to_an_off_link_sender_is_published_to_the_gateways_topic(void)
{
    uint8_t pkt[256];
    size_t len = icmp4_echo(pkt, 8, "192.168.7.7", "10.0.1.2", 16);

    CHECK(fx_up("10.0.1.2", "10.0.1.1", NULL));
    CHECK(fx_input("mqttip/10.0.1.2", pkt, len) == ERR_OK);
    CHECK(fx.tp.n_published == 1);
    CHECK(strcmp(fx.tp.published[0].topic, "mqttip/10.0.1.1") == 0);
    /* The packet itself still goes to the far host: only the topic is the next hop. */
    CHECK(is_icmp4_echo_reply(fx.tp.published[0].payload, fx.tp.published[0].len,
                              "10.0.1.2", "192.168.7.7", 16));
}

static void reply_to_an_on_link_sender_skips_the_gateway(void)
{
    uint8_t pkt[256];
    size_t len = icmp4_echo(pkt, 8, "10.0.1.3", "10.0.1.2", 16);

    CHECK(fx_up("10.0.1.2", "10.0.1.1", NULL));
    CHECK(fx_input("mqttip/10.0.1.2", pkt, len) == ERR_OK);
    CHECK(fx.tp.n_published == 1);
    CHECK(strcmp(fx.tp.published[0].topic, "mqttip/10.0.1.3") == 0);
}

static void reply_to_an_off_link_sender_without_gateway_goes_to_its_own_topic(void)
{
    uint8_t pkt[256];
    size_t len = icmp4_echo(pkt, 8, "192.168.7.7", "10.0.1.2", 16);

    CHECK(fx_up("10.0.1.2", "0.0.0.0", NULL));
    CHECK(fx_input("mqttip/10.0.1.2", pkt, len) == ERR_OK);
    CHECK(fx.tp.n_published == 1);
    CHECK(strcmp(fx.tp.published[0].topic, "mqttip/192.168.7.7") == 0);
}

static void topic_prefix_is_used_for_reading_and_publishing(void)
{
    uint8_t pkt[256];
    size_t len = icmp4_echo(pkt, 8, "10.0.1.1", "10.0.1.2", 16);

    CHECK(fx_up_prefix("10.0.1.2", "255.255.255.0", "0.0.0.0", NULL, "site/vpn"));
    CHECK(tp_is_subscribed(&fx.tp, "site/vpn/10.0.1.2"));
    CHECK(fx_input("mqttip/10.0.1.2", pkt, len) == ERR_VAL);
    CHECK(fx_input("site/vpn/10.0.1.2", pkt, len) == ERR_OK);
    CHECK(fx.tp.n_published == 1);
    CHECK(strcmp(fx.tp.published[0].topic, "site/vpn/10.0.1.1") == 0);
}

static void prefix_with_a_wildcard_is_refused(void)
{
    CHECK(!fx_up_prefix("10.0.1.2", "255.255.255.0", "0.0.0.0", NULL, "mqttip/#"));
    CHECK(!fx.added);
}

static void request_on_the_broadcast_topic_is_accepted(void)
{
    uint8_t pkt[256];
    size_t len = icmp4_echo(pkt, 8, "10.0.1.1", "10.0.1.2", 16);

    CHECK(fx_up("10.0.1.2", "0.0.0.0", NULL));
    CHECK(fx_input("mqttip/255.255.255.255", pkt, len) == ERR_OK);
    CHECK(fx.tp.n_published == 1);
    CHECK(fx_counters().rx_packets == 1);
}

static void frame_sealed_with_another_key_is_dropped_as_auth_failed(void)
{
    uint8_t pkt[256], frame[512];
    size_t len = icmp4_echo(pkt, 8, "10.0.1.1", "10.0.1.2", 56);
    size_t flen = seal_frame(frame, "not the key", pkt, len);
    struct mqttvpn_netif_counters c;

    CHECK(fx_up("10.0.1.2", "0.0.0.0", "the key"));
    CHECK(fx_input("mqttip/10.0.1.2", frame, flen) != ERR_OK);
    CHECK(fx.tp.n_published == 0);
    c = fx_counters();
    CHECK(c.rx_dropped[MQTTVPN_DROP_AUTH_FAILED] == 1);
    CHECK(c.rx_packets == 0);
    CHECK(total_drops(&c) == 1);
}

static void damaged_frame_is_dropped_as_auth_failed(void)
{
    uint8_t pkt[256], frame[512];
    size_t len = icmp4_echo(pkt, 8, "10.0.1.1", "10.0.1.2", 56);
    size_t flen = seal_frame(frame, "k", pkt, len);

    frame[70] ^= 0x01;
    CHECK(fx_up("10.0.1.2", "0.0.0.0", "k"));
    CHECK(fx_input("mqttip/10.0.1.2", frame, flen) != ERR_OK);
    CHECK(fx.tp.n_published == 0);
    CHECK(fx_counters().rx_dropped[MQTTVPN_DROP_AUTH_FAILED] == 1);
}

static void truncated_frames_are_dropped_and_counted(void)
{
    uint8_t pkt[256], frame[512];
    size_t len = icmp4_echo(pkt, 8, "10.0.1.1", "10.0.1.2", 56);
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
    CHECK(fx.tp.n_published == 0 && c.rx_packets == 0);
    fx_cleanup();

    CHECK(fx_up("10.0.1.2", "0.0.0.0", NULL));
    CHECK(fx_input("mqttip/10.0.1.2", pkt, 19) != ERR_OK);
    /* a plain packet cut short: its length field no longer matches */
    CHECK(fx_input("mqttip/10.0.1.2", pkt, len - 10) != ERR_OK);
    c = fx_counters();
    CHECK(c.rx_dropped[MQTTVPN_DROP_TOO_SHORT] == 1);
    CHECK(c.rx_dropped[MQTTVPN_DROP_NOT_IP] == 1);
    CHECK(fx.tp.n_published == 0 && c.rx_packets == 0);
}

static void frame_longer_than_the_mtu_is_dropped_as_too_long(void)
{
    static uint8_t big[1600];
    uint8_t frame[1700];
    size_t flen;

    icmp4_echo(big, 8, "10.0.1.1", "10.0.1.2", 1501 - 28);
    CHECK(fx_up("10.0.1.2", "0.0.0.0", NULL));
    CHECK(fx_input("mqttip/10.0.1.2", big, 1501) != ERR_OK);
    CHECK(fx_counters().rx_dropped[MQTTVPN_DROP_TOO_LONG] == 1);
    fx_cleanup();

    flen = seal_frame(frame, "k", big, 1501);
    CHECK(fx_up("10.0.1.2", "0.0.0.0", "k"));
    CHECK(fx_input("mqttip/10.0.1.2", frame, flen) != ERR_OK);
    CHECK(fx_counters().rx_dropped[MQTTVPN_DROP_TOO_LONG] == 1);
    CHECK(fx.tp.n_published == 0);
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
    size_t len = icmp4_echo(pkt, 8, "10.0.1.1", "10.0.1.3", 16);
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

static void connect_subscribes_every_reading_topic_and_raises_the_link(void)
{
    ip_addr_t nat;

    CHECK(fx_up("10.0.1.2", "0.0.0.0", NULL));
    CHECK(netif_is_link_up(&fx.nif));
    CHECK(fx.tp.n_subscribed == 2);
    CHECK(tp_is_subscribed(&fx.tp, "mqttip/10.0.1.2"));
    CHECK(tp_is_subscribed(&fx.tp, "mqttip/255.255.255.255"));

    CHECK(mqttvpn_netif_set_connected(&fx.nif, 0) == ERR_OK);
    CHECK(!netif_is_link_up(&fx.nif));
    IP_ADDR4(&nat, 192, 168, 4, 10);
    CHECK(mqttvpn_netif_add_reading_topic(&fx.nif, &nat) == ERR_OK);
    CHECK(fx.tp.n_subscribed == 2); /* not connected: subscribed on the next connect */

    tp_reset(&fx.tp);
    CHECK(mqttvpn_netif_set_connected(&fx.nif, 1) == ERR_OK);
    CHECK(fx.tp.n_subscribed == 3);
    CHECK(tp_is_subscribed(&fx.tp, "mqttip/192.168.4.10"));
    CHECK(netif_is_link_up(&fx.nif));
}

static void nothing_is_published_while_disconnected(void)
{
    uint8_t pkt[256];
    size_t len = icmp4_echo(pkt, 8, "10.0.1.1", "10.0.1.2", 16);

    CHECK(fx_up("10.0.1.2", "0.0.0.0", NULL));
    CHECK(mqttvpn_netif_set_connected(&fx.nif, 0) == ERR_OK);
    (void)fx_input("mqttip/10.0.1.2", pkt, len);
    CHECK(fx.tp.n_published == 0);
    CHECK(fx_counters().tx_publish_failed == 1);
}

static void failed_subscription_is_reported(void)
{
    CHECK(fx_up("10.0.1.2", "0.0.0.0", NULL));
    CHECK(mqttvpn_netif_set_connected(&fx.nif, 0) == ERR_OK);
    fx.tp.subscribe_fails = 1;
    CHECK(mqttvpn_netif_set_connected(&fx.nif, 1) == ERR_IF);
}

static void nat_target_topic_is_accepted_and_removable(void)
{
    uint8_t pkt[256];
    size_t len = icmp4_echo(pkt, 8, "10.0.1.1", "10.0.1.2", 16);
    ip_addr_t nat;

    IP_ADDR4(&nat, 192, 168, 4, 10);
    CHECK(fx_up("10.0.1.2", "0.0.0.0", NULL));
    CHECK(mqttvpn_netif_add_reading_topic(&fx.nif, &nat) == ERR_OK);
    CHECK(tp_is_subscribed(&fx.tp, "mqttip/192.168.4.10")); /* connected: at once */
    CHECK(mqttvpn_netif_add_reading_topic(&fx.nif, &nat) == ERR_OK); /* again: no-op */
    CHECK(mqttvpn_netif_topic_count(&fx.nif) == 3);
    CHECK(fx_input("mqttip/192.168.4.10", pkt, len) == ERR_OK);
    CHECK(fx_counters().rx_unexpected_topic == 0);

    CHECK(mqttvpn_netif_remove_reading_topic(&fx.nif, &nat) == ERR_OK);
    CHECK(!tp_is_subscribed(&fx.tp, "mqttip/192.168.4.10"));
    CHECK(mqttvpn_netif_remove_reading_topic(&fx.nif, &nat) == ERR_VAL);
    CHECK(fx_input("mqttip/192.168.4.10", pkt, len) == ERR_VAL);
    CHECK(fx_counters().rx_unexpected_topic == 1);
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
    CHECK(!tp_is_subscribed(&fx.tp, "mqttip/192.168.9.200"));
    for (i = 0; i < MQTTVPN_MAX_TOPICS; i++) {
        CHECK(mqttvpn_netif_topic(&fx.nif, i, topic, sizeof(topic)) > 0);
        CHECK(strcmp(topic, "mqttip/192.168.9.200") != 0);
    }
    CHECK(mqttvpn_netif_topic(&fx.nif, MQTTVPN_MAX_TOPICS, topic, sizeof(topic)) == 0);
}

static void failed_publish_is_counted(void)
{
    uint8_t pkt[256];
    size_t len = icmp4_echo(pkt, 8, "10.0.1.1", "10.0.1.2", 16);
    struct mqttvpn_netif_counters c;

    CHECK(fx_up("10.0.1.2", "0.0.0.0", NULL));
    fx.tp.publish_fails = 1;
    CHECK(fx_input("mqttip/10.0.1.2", pkt, len) == ERR_OK);
    c = fx_counters();
    CHECK(c.tx_publish_failed == 1);
    CHECK(c.tx_packets == 0);
}

#if LWIP_IPV6
static void ipv6_echo_request_is_answered_on_the_senders_topic(void)
{
    uint8_t pkt[256], frame[512], reply[512];
    size_t len = icmp6_echo(pkt, 128, "fd00::1", "fd00::2", 32);
    size_t flen;
    long rlen;

    CHECK(fx_up("10.0.1.2", "0.0.0.0", NULL));
    CHECK(fx_add_ip6("fd00::2"));
    CHECK(fx_input("mqttip/10.0.1.2", pkt, len) == ERR_OK); /* own IPv4 topic works too */
    CHECK(fx.tp.n_published == 1);
    CHECK(strcmp(fx.tp.published[0].topic, "mqttip/fd00::1") == 0);
    CHECK(is_icmp6_echo_reply(fx.tp.published[0].payload, fx.tp.published[0].len,
                              "fd00::2", "fd00::1", 32));
    fx_cleanup();

    flen = seal_frame(frame, "k6", pkt, len);
    CHECK(fx_up("10.0.1.2", "0.0.0.0", "k6"));
    CHECK(fx_add_ip6("fd00::2"));
    {
        ip_addr_t own6;
        CHECK(ipaddr_aton("fd00::2", &own6));
        CHECK(mqttvpn_netif_add_reading_topic(&fx.nif, &own6) == ERR_OK);
    }
    CHECK(tp_is_subscribed(&fx.tp, "mqttip/fd00::2"));
    CHECK(fx_input("mqttip/fd00::2", frame, flen) == ERR_OK);
    CHECK(fx.tp.n_published == 1);
    CHECK(strcmp(fx.tp.published[0].topic, "mqttip/fd00::1") == 0);
    rlen = open_frame(reply, "k6", fx.tp.published[0].payload, fx.tp.published[0].len);
    CHECK(rlen == (long)len);
    CHECK(is_icmp6_echo_reply(reply, (size_t)rlen, "fd00::2", "fd00::1", 32));
}

static void ipv6_reply_to_an_off_link_sender_goes_to_gateway6(void)
{
    struct mqttvpn_netif_config cfg;
    uint8_t pkt[256];
    size_t len = icmp6_echo(pkt, 128, "2001:db8::9", "fd00::2", 8);
    size_t len2;
    ip4_addr_t a, m, g;

    memset(&cfg, 0, sizeof(cfg));
    tp_reset(&fx.tp);
    cfg.platform = &fx.tp;
    inet_pton(AF_INET6, "fd00::1", cfg.gateway6);
    IP4_ADDR(&a, 10, 0, 1, 2);
    IP4_ADDR(&m, 255, 255, 255, 0);
    ip4_addr_set_zero(&g);
    CHECK(netif_add(&fx.nif, &a, &m, &g, &cfg, mqttvpn_netif_init, netif_input) != NULL);
    fx.added = 1;
    netif_set_up(&fx.nif);
    CHECK(mqttvpn_netif_set_connected(&fx.nif, 1) == ERR_OK);
    CHECK(fx_add_ip6("fd00::2"));
    CHECK(fx_input("mqttip/10.0.1.2", pkt, len) == ERR_OK);
    CHECK(fx.tp.n_published == 1);
    CHECK(strcmp(fx.tp.published[0].topic, "mqttip/fd00::1") == 0);
    CHECK(is_icmp6_echo_reply(fx.tp.published[0].payload, fx.tp.published[0].len,
                              "fd00::2", "2001:db8::9", 8));

    len2 = icmp6_echo(pkt, 128, "fd00::7", "fd00::2", 8); /* on-link: no gateway */
    CHECK(fx_input("mqttip/10.0.1.2", pkt, len2) == ERR_OK);
    CHECK(fx.tp.n_published == 2);
    CHECK(strcmp(fx.tp.published[1].topic, "mqttip/fd00::7") == 0);
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
    CHECK(fx.tp.n_published == 0);
    CHECK(fx_counters().tx_multicast6 == 1);
}
#endif /* LWIP_IPV6 */

/* ---- runner ----------------------------------------------------------------------------- */

#define TEST(fn) { #fn, fn }
static const struct {
    const char *name;
    void (*fn)(void);
} tests[] = {
    TEST(echo_request_on_own_topic_is_answered_on_the_senders_topic),
    TEST(echo_request_sealed_with_the_key_is_answered_with_a_frame_that_opens_with_it),
    TEST(two_replies_carry_different_nonces),
    TEST(mtu_sized_echo_request_is_answered_whole_with_and_without_key),
    TEST(reply_to_an_off_link_sender_is_published_to_the_gateways_topic),
    TEST(reply_to_an_on_link_sender_skips_the_gateway),
    TEST(reply_to_an_off_link_sender_without_gateway_goes_to_its_own_topic),
    TEST(topic_prefix_is_used_for_reading_and_publishing),
    TEST(prefix_with_a_wildcard_is_refused),
    TEST(request_on_the_broadcast_topic_is_accepted),
    TEST(frame_sealed_with_another_key_is_dropped_as_auth_failed),
    TEST(damaged_frame_is_dropped_as_auth_failed),
    TEST(truncated_frames_are_dropped_and_counted),
    TEST(frame_longer_than_the_mtu_is_dropped_as_too_long),
    TEST(plaintext_that_is_not_ip_is_dropped_as_not_ip),
    TEST(frame_on_a_foreign_topic_is_dropped_and_counted),
    TEST(connect_subscribes_every_reading_topic_and_raises_the_link),
    TEST(nothing_is_published_while_disconnected),
    TEST(failed_subscription_is_reported),
    TEST(nat_target_topic_is_accepted_and_removable),
    TEST(reading_topics_beyond_the_cap_are_refused),
    TEST(failed_publish_is_counted),
#if LWIP_IPV6
    TEST(ipv6_echo_request_is_answered_on_the_senders_topic),
    TEST(ipv6_reply_to_an_off_link_sender_goes_to_gateway6),
    TEST(ipv6_multicast_is_counted_and_not_published),
#endif
};

int main(void)
{
    size_t i, failed = 0, n = sizeof(tests) / sizeof(tests[0]);

    if (sodium_init() < 0) {
        fprintf(stderr, "libsodium failed to initialise\n");
        return 1;
    }
    lwip_init();
    for (i = 0; i < n; i++) {
        current_failed = 0;
        tests[i].fn();
        fx_cleanup();
        printf("%s - %s\n", current_failed ? "not ok" : "ok", tests[i].name);
        failed += (size_t)current_failed;
    }
    printf("%zu of %zu netif tests passed\n", n - failed, n);
    return failed == 0 ? 0 : 1;
}
