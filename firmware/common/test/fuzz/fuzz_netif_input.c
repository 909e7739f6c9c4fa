/*
 * The netif driver's receive path on real lwIP (Debian's liblwip with its tcpip thread, as
 * host-sim runs it): a message on some topic, carrying some frame, into mqttvpn_netif_input,
 * through the codec into lwIP, and whatever lwIP answers back out through the driver's output
 * (next hop, topic, seal) to the publish hook. Two interfaces: "mqttip" with the vectors' key
 * ("secret"), IPv4 10.0.1.2/24 via 10.0.1.1, IPv6 fd00::2, NAT target 10.0.9.9; "p/q"
 * without a key, 10.0.2.2/24, no gateway.
 *
 * Input: a control byte (interface, topic, whether the harness seals the packet and whether
 * it fixes up the IP length and checksum fields, so that lwIP takes the packet deeper than
 * random bytes get), a topic when the control byte asks for one, then the packet or frame.
 * Checked: the return value matches the counters; every published message opens under the
 * interface's key into a packet the sanity check accepts, on a topic under its prefix.
 */
#include <sodium.h>

#include "lwip/tcpip.h"
#include "lwip/ip4_frag.h"
#include "lwip/ip6_frag.h"
#include "lwip/ip_addr.h"
#include "lwip/netif.h"

#include "mqttvpn/codec.h"
#include "mqttvpn/hooks.h"
#include "mqttvpn/netif.h"
#include "fuzz_check.h"

static struct netif nif_key, nif_plain;
static mqttvpn_key_t key, plain;
static uint32_t nonce_counter;

/* The platform pointer each interface was given; the hooks check it. */
static const char *const prefix_of_key = "mqttip";
static const char *const prefix_of_plain = "p/q";

/* ---- hooks: what the driver asks of its platform ----------------------------------------- */

int mqttvpn_hook_publish(void *ctx, const char *topic, const uint8_t *payload, size_t len)
{
    static uint8_t packet[MQTTVPN_MAX_FRAME];
    const char *prefix = (const char *)ctx;
    const mqttvpn_key_t *k = prefix == prefix_of_key ? &key : &plain;
    int opened;

    FUZZ_CHECK(prefix == prefix_of_key || prefix == prefix_of_plain);
    FUZZ_CHECK(strncmp(topic, prefix, strlen(prefix)) == 0 && topic[strlen(prefix)] == '/');
    FUZZ_CHECK(strlen(topic) < MQTTVPN_TOPIC_MAX);
    opened = mqttvpn_open(k, payload, len, packet, MQTTVPN_MTU);
    FUZZ_CHECK(opened >= (int)MQTTVPN_MIN_PACKET);
    FUZZ_CHECK(mqttvpn_packet_check(packet, (size_t)opened, MQTTVPN_MTU) < 0);
    return 1;
}

int mqttvpn_hook_subscribe(void *ctx, const char *topic)
{
    FUZZ_CHECK(ctx == prefix_of_key || ctx == prefix_of_plain);
    FUZZ_CHECK(strncmp(topic, (const char *)ctx, strlen((const char *)ctx)) == 0);
    return 1;
}

int mqttvpn_hook_unsubscribe(void *ctx, const char *topic)
{
    return mqttvpn_hook_subscribe(ctx, topic);
}

/* Nonces need not be secret here, only the code path real. */
int mqttvpn_hook_random(uint8_t *buf, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++) {
        buf[i] = (uint8_t)(nonce_counter >> (8 * (i % 4)));
    }
    nonce_counter++;
    return 1;
}

uint32_t mqttvpn_hook_now_ms(void)
{
    return 0;
}

void mqttvpn_hook_log(int level, const char *fmt, ...)
{
    (void)level;
    (void)fmt;
}

/* ---- set-up -------------------------------------------------------------------------------- */

static void add(struct netif *nif, const char *prefix, const char *password, const char *ip, const char *gw)
{
    struct mqttvpn_netif_config cfg;
    ip4_addr_t a, m, g;

    memset(&cfg, 0, sizeof cfg);
    cfg.topic_prefix = prefix;
    cfg.platform = (void *)(uintptr_t)prefix;
    mqttvpn_key_from_password(&cfg.key, password);
    FUZZ_CHECK(ip4addr_aton(ip, &a) && ip4addr_aton("255.255.255.0", &m) && ip4addr_aton(gw, &g));
    FUZZ_CHECK(mqttvpn_netif_attach(nif, &cfg) == ERR_OK);
    FUZZ_CHECK(netif_add(nif, &a, &m, &g, NULL, mqttvpn_netif_init, netif_input) != NULL);
    netif_set_up(nif);
}

static volatile int tcpip_up;

static void tcpip_started(void *arg)
{
    (void)arg;
    tcpip_up = 1;
}

/* lwIP as host-sim runs it: a tcpip thread (it takes what lwIP sends to its own addresses,
 * through the loopback), the driver called from here with the core lock held. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    ip_addr_t nat, own6;
    s8_t idx;

    (void)argc;
    (void)argv;
    FUZZ_CHECK(sodium_init() >= 0);
    tcpip_init(tcpip_started, NULL);
    while (!tcpip_up) {
        sys_msleep(1);
    }
    LOCK_TCPIP_CORE();
    mqttvpn_key_from_password(&key, "secret");
    mqttvpn_key_from_password(&plain, NULL);
    add(&nif_key, prefix_of_key, "secret", "10.0.1.2", "10.0.1.1");
    add(&nif_plain, prefix_of_plain, NULL, "10.0.2.2", "0.0.0.0");
    netif_set_default(&nif_key);
    FUZZ_CHECK(ipaddr_aton("fd00::2", &own6));
    FUZZ_CHECK(netif_add_ip6_address(&nif_key, ip_2_ip6(&own6), &idx) == ERR_OK);
    netif_ip6_addr_set_state(&nif_key, idx, IP6_ADDR_PREFERRED);
    FUZZ_CHECK(ipaddr_aton("10.0.9.9", &nat));
    FUZZ_CHECK(mqttvpn_netif_add_reading_topic(&nif_key, &nat) == ERR_OK);
    FUZZ_CHECK(mqttvpn_netif_add_reading_topic(&nif_key, &own6) == ERR_OK);
    FUZZ_CHECK(mqttvpn_netif_set_connected(&nif_key, 1) == ERR_OK);
    FUZZ_CHECK(mqttvpn_netif_set_connected(&nif_plain, 1) == ERR_OK);
    UNLOCK_TCPIP_CORE();
    return 0;
}

/* ---- making a packet lwIP takes ---------------------------------------------------------- */

static uint32_t sum16(const uint8_t *p, size_t len, uint32_t sum)
{
    size_t i;
    for (i = 0; i + 1 < len; i += 2) {
        sum += (uint32_t)p[i] << 8 | p[i + 1];
    }
    if (len & 1) {
        sum += (uint32_t)p[len - 1] << 8;
    }
    return sum;
}

static uint16_t fold(uint32_t sum)
{
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return (uint16_t)~sum;
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

/* The transport checksum at its place for ICMP, ICMPv6, UDP, TCP (pseudo header: `pseudo`). */
static void fix_transport(uint8_t *l4, size_t l4len, uint8_t proto, uint32_t pseudo)
{
    size_t at = proto == 6 ? 16 : proto == 17 ? 6 : 2;
    if ((proto != 1 && proto != 6 && proto != 17 && proto != 58) || l4len < at + 2) {
        return;
    }
    put16(l4 + at, 0);
    put16(l4 + at, fold(sum16(l4, l4len, proto == 1 ? 0 : pseudo + proto + (uint32_t)l4len)));
}

/* Length fields and checksums as a sender would write them (fragments left as they are). */
static void fix_up(uint8_t *p, size_t len)
{
    if (len >= 20 && p[0] >> 4 == 4) {
        size_t ihl = (size_t)(p[0] & 0x0f) * 4;
        if (ihl < 20) {
            p[0] = 0x45;
            ihl = 20;
        }
        if (ihl > len) {
            return;
        }
        put16(p + 2, (uint16_t)len);
        if ((p[6] & 0x3f) == 0 && p[7] == 0) { /* not a fragment */
            fix_transport(p + ihl, len - ihl, p[9], sum16(p + 12, 8, 0));
        }
        put16(p + 10, 0);
        put16(p + 10, fold(sum16(p, ihl, 0)));
    } else if (len >= 40 && p[0] >> 4 == 6) {
        put16(p + 4, (uint16_t)(len - 40));
        fix_transport(p + 40, len - 40, p[6], sum16(p + 8, 32, 0));
    }
}

/* ---- the target ------------------------------------------------------------------------------ */

/*
 * Whether the packet is UDP-Lite (IP protocol 136), after IPv6's extension headers. Debian's
 * liblwip, which this target links, is built with LWIP_UDPLITE and assertions; lwIP 2.1.3's
 * udp_input does not check a UDP-Lite checksum coverage against the datagram's length, and
 * inet_chksum.c then stops the process with its assertion "delete me" (found by this target).
 * The boards' lwIP is built without UDP-Lite (LWIP_UDPLITE 0 in the ESP8266 core's lwip2 and
 * in esp-lwip, which ESP-IDF does not override), where ip4_input drops such a packet; so this
 * target leaves lwIP's UDP-Lite out rather than report a fault of a configuration no board has.
 */
static int is_udplite(const uint8_t *p, size_t len)
{
    size_t off = 40;
    uint8_t next;
    if (len >= 20 && p[0] >> 4 == 4) {
        return p[9] == 136;
    }
    if (len < 40 || p[0] >> 4 != 6) {
        return 0;
    }
    next = p[6];
    while (off + 8 <= len && (next == 0 || next == 43 || next == 44 || next == 60)) {
        uint8_t following = p[off];
        off += next == 44 ? 8 : ((size_t)p[off + 1] + 1) * 8;
        next = following;
    }
    return next == 136;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t frame[MQTTVPN_MAX_FRAME + 256];
    struct fuzz_in in = {data, size};
    uint8_t ctl = fuzz_u8(&in);
    struct netif *nif = (ctl & 1) ? &nif_plain : &nif_key;
    const char *prefix = nif == &nif_key ? prefix_of_key : prefix_of_plain;
    char topic_buf[300];
    size_t topic_len, len, flen, i;
    const uint8_t *bytes;
    char *topic;
    uint8_t *copy;
    struct mqttvpn_netif_counters before, after;
    err_t err;

    switch ((ctl >> 1) & 7) {
    case 0: topic_len = (size_t)snprintf(topic_buf, sizeof topic_buf, "%s/%s", prefix, nif == &nif_key ? "10.0.1.2" : "10.0.2.2"); break;
    case 1: topic_len = (size_t)snprintf(topic_buf, sizeof topic_buf, "%s/255.255.255.255", prefix); break;
    case 2: topic_len = (size_t)snprintf(topic_buf, sizeof topic_buf, "%s/10.0.9.9", prefix); break;
    case 3: topic_len = (size_t)snprintf(topic_buf, sizeof topic_buf, "%s/fd00::2", prefix); break;
    case 4: topic_len = (size_t)snprintf(topic_buf, sizeof topic_buf, "%s/10.0.1.2x", prefix); break;
    case 5: topic_len = (size_t)snprintf(topic_buf, sizeof topic_buf, "%s", prefix); break;
    /* the own topic as RabbitMQ delivers it: every '.' made '/' */
    case 6: topic_len = (size_t)snprintf(topic_buf, sizeof topic_buf, "%s/%s", prefix, nif == &nif_key ? "10/0/1/2" : "10/0/2/2"); break;
    default:
        bytes = fuzz_bytes(&in, fuzz_u8(&in), &topic_len);
        memcpy(topic_buf, bytes, topic_len);
        break;
    }
    bytes = fuzz_bytes(&in, MQTTVPN_MAX_FRAME + 200, &len);
    if (ctl & 0x20) {
        /* The packet as a sender makes it: its lengths and checksums right. */
        memcpy(frame + MQTTVPN_OVERHEAD, bytes, len < MQTTVPN_MTU ? len : MQTTVPN_MTU);
        len = len < MQTTVPN_MTU ? len : MQTTVPN_MTU;
        fix_up(frame + MQTTVPN_OVERHEAD, len);
        bytes = frame + MQTTVPN_OVERHEAD;
    }
    if (is_udplite(bytes, len)) {
        return 0;
    }
    if ((ctl & 0x10) && nif == &nif_key && len <= MQTTVPN_MTU) {
        uint8_t nonce[MQTTVPN_NONCE_BYTES] = {0};
        memmove(frame + MQTTVPN_OVERHEAD, bytes, len);
        flen = mqttvpn_seal(&key, nonce, frame + MQTTVPN_OVERHEAD, len, frame);
    } else {
        memmove(frame, bytes, len);
        flen = len;
    }
    /* Exact-size heap copies: ASan sees a read past the topic or the frame. */
    topic = malloc(topic_len > 0 ? topic_len : 1);
    copy = malloc(flen > 0 ? flen : 1);
    FUZZ_CHECK(topic != NULL && copy != NULL);
    memcpy(topic, topic_buf, topic_len);
    memcpy(copy, frame, flen);

    LOCK_TCPIP_CORE();
    mqttvpn_netif_get_counters(nif, &before);
    err = mqttvpn_netif_input(nif, topic, topic_len, copy, flen);
    mqttvpn_netif_get_counters(nif, &after);
    if (err == ERR_OK) {
        FUZZ_CHECK(after.rx_packets == before.rx_packets + 1);
    } else {
        uint32_t drops_before = before.rx_unexpected_topic + before.rx_no_memory + before.rx_not_for_us;
        uint32_t drops_after = after.rx_unexpected_topic + after.rx_no_memory + after.rx_not_for_us;
        for (i = 0; i < MQTTVPN_DROP_COUNT; i++) {
            drops_before += before.rx_dropped[i];
            drops_after += after.rx_dropped[i];
        }
        FUZZ_CHECK(after.rx_packets == before.rx_packets);
        FUZZ_CHECK(drops_after == drops_before + 1);
    }
    /* Forget IP fragments lwIP holds, so that one input does not change the next one's run. */
    for (i = 0; i <= IP_REASS_MAXAGE; i++) {
        ip_reass_tmr();
    }
    for (i = 0; i <= IPV6_REASS_MAXAGE; i++) {
        ip6_reass_tmr();
    }
    UNLOCK_TCPIP_CORE();
    free(topic);
    free(copy);
    return 0;
}
