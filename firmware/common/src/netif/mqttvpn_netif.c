/*
 * The MQTT-VPN lwIP netif driver (see mqttvpn/netif.h for the contract).
 *
 * Output: lwIP hands a packet and its destination; the driver picks the next hop (as
 * etharp_output would), copies the packet behind MQTTVPN_OVERHEAD bytes of headroom in the
 * state's frame buffer, seals it in place and publishes it to <prefix>/<next hop> (the topic
 * of the last next hop is kept, so a stream to one peer formats it once).
 * Input: the platform hands an MQTT message; if its topic is a reading topic (or one as
 * RabbitMQ delivers it, its '.' made '/': mqttvpn_find_topic) the frame is
 * opened straight into a fresh pbuf for netif->input, when the packet is for this node (or
 * the node routes for others).
 *
 * The state of each attached netif is found by the netif's address in a small table
 * (mqttvpn/netif.h says why not netif->state or lwIP's client data).
 *
 * Portable: lwIP headers, the C library's string functions and our headers only. All
 * entry points run in the lwIP core context, which serialises them: the table and the
 * shared scratch buffers in the state need no lock.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lwip/opt.h"
#include "lwip/def.h"
#include "lwip/err.h"
#include "lwip/ip_addr.h"
#include "lwip/mem.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"

#include "mqttvpn/codec.h"
#include "mqttvpn/hooks.h"
#include "mqttvpn/netif.h"
#include "wipe.h"

/* Longest address text in a topic: an IPv6 address with an embedded IPv4, plus NUL. */
#define MQTTVPN_ADDR_TEXT_MAX 46u

#if MQTTVPN_MAX_TOPICS < 2 || MQTTVPN_MAX_TOPICS > 255
#error "MQTTVPN_MAX_TOPICS must be 2..255 (own address and broadcast need two)"
#endif
#if MQTTVPN_MAX_NETIFS < 1
#error "MQTTVPN_MAX_NETIFS must be at least 1"
#endif

struct mqttvpn_netif_state {
    char prefix[MQTTVPN_TOPIC_PREFIX_MAX + 1u];
    size_t prefix_len;
    mqttvpn_key_t key;
    void *platform;
    netif_input_fn input;     /* NULL: netif->input */
    ip_addr_t bypass;         /* packets for it go through the interface bypass_via */
    u8_t bypass_via;          /* that interface's index (netif_get_by_index); 0: no bypass */
    uint8_t gateway6[16];
    uint8_t has_gateway6;
    uint8_t prefix6_len;
    uint8_t connected;
    uint8_t route_for_others;
    uint8_t slashed_seen;     /* a frame came on a reading topic with its '.' made '/' (logged once) */
    uint8_t n_topics;
    /* Reading topics as the address part only; the topic is "<prefix>/<addr_text>". */
    char addr_text[MQTTVPN_MAX_TOPICS][MQTTVPN_ADDR_TEXT_MAX];
    /* The same addresses as bytes (4: IPv4, 16: IPv6), for the destination check on input. */
    uint8_t addr_bytes[MQTTVPN_MAX_TOPICS][16];
    uint8_t addr_len[MQTTVPN_MAX_TOPICS];
    struct mqttvpn_netif_counters counters;
    /* The topic of the last packet sent and its next hop (4 bytes IPv4, 16 IPv6; length 0:
     * none yet). A topic is a pure function of the next hop, so it never goes stale. */
    uint8_t tx_hop[16];
    uint8_t tx_hop_len;
    char tx_topic[MQTTVPN_TOPIC_MAX];
    uint8_t frame[MQTTVPN_MAX_FRAME];  /* scratch: the frame being sealed */
};

/* Which netif each state belongs to. A netif's address identifies it while it is attached. */
static struct {
    const struct netif *netif;
    struct mqttvpn_netif_state *st;
} mqttvpn_attached[MQTTVPN_MAX_NETIFS];

/* The driver's state of netif, NULL when it is not attached. */
static struct mqttvpn_netif_state *
mqttvpn_state(const struct netif *netif)
{
    size_t i;

    for (i = 0; i < MQTTVPN_MAX_NETIFS; i++) {
        if (mqttvpn_attached[i].netif == netif && netif != NULL) {
            return mqttvpn_attached[i].st;
        }
    }
    return NULL;
}

/* "<prefix>/<addr>" for an lwIP address into out; returns strlen, 0 if it cannot be written. */
static size_t
mqttvpn_topic_for_addr(const struct mqttvpn_netif_state *st, const ip_addr_t *addr,
                       char *out, size_t cap)
{
#if LWIP_IPV6
    if (IP_IS_V6(addr)) {
        uint8_t bytes[16];
        memcpy(bytes, ip_2_ip6(addr)->addr, sizeof(bytes));
        return mqttvpn_topic_v6(out, cap, st->prefix, bytes);
    }
#endif
#if LWIP_IPV4
    if (!IP_IS_V6(addr)) {
        uint8_t bytes[4];
        memcpy(bytes, &ip_2_ip4(addr)->addr, sizeof(bytes));
        return mqttvpn_topic_v4(out, cap, st->prefix, bytes);
    }
#endif
    LWIP_UNUSED_ARG(st);
    LWIP_UNUSED_ARG(addr);
    LWIP_UNUSED_ARG(out);
    LWIP_UNUSED_ARG(cap);
    return 0;
}

static size_t
mqttvpn_write_topic(const struct mqttvpn_netif_state *st, size_t i, char *out, size_t cap)
{
    size_t alen = strlen(st->addr_text[i]);
    if (cap < st->prefix_len + 1u + alen + 1u) {
        return 0;
    }
    memcpy(out, st->prefix, st->prefix_len);
    out[st->prefix_len] = '/';
    memcpy(out + st->prefix_len + 1u, st->addr_text[i], alen + 1u);
    return st->prefix_len + 1u + alen;
}

/* addr's bytes in network order into out; returns 4 (IPv4), 16 (IPv6), 0 for neither in this build. */
static uint8_t
mqttvpn_addr_bytes(const ip_addr_t *addr, uint8_t out[16])
{
#if LWIP_IPV6
    if (IP_IS_V6(addr)) {
        memcpy(out, ip_2_ip6(addr)->addr, 16);
        return 16u;
    }
#endif
#if LWIP_IPV4
    if (!IP_IS_V6(addr)) {
        memcpy(out, &ip_2_ip4(addr)->addr, 4);
        return 4u;
    }
#endif
    LWIP_UNUSED_ARG(addr);
    LWIP_UNUSED_ARG(out);
    return 0;
}

/*
 * A topic as RabbitMQ's MQTT plugin delivers it: it maps '/' to '.' on the way into its AMQP
 * routing key and '.' to '/' on the way out, so every '.' of a topic arrives as '/'
 * (mqttip/10.0.1.2 as mqttip/10/0/1/2). No setting of the plugin avoids it.
 */
static char
mqttvpn_slashed(char c)
{
    return c == '.' ? '/' : c;
}

/* Whether text (n bytes) is s, or with slashed, s with every '.' made '/'. */
static int
mqttvpn_text_is(const char *text, const char *s, size_t n, int slashed)
{
    size_t j;

    if (!slashed) {
        return memcmp(text, s, n) == 0;
    }
    for (j = 0; j < n && text[j] == mqttvpn_slashed(s[j]); j++) {
    }
    return j == n;
}

/*
 * Index of the reading topic equal to topic (topic_len bytes, no NUL needed), or -1. With
 * slashed: of the reading topic whose every '.' made '/' is topic; only that exact alias, not a
 * topic with some of its dots left.
 */
static int
mqttvpn_find_topic(const struct mqttvpn_netif_state *st, const char *topic, size_t topic_len, int slashed)
{
    size_t alen;
    uint8_t i;

    if (topic_len <= st->prefix_len + 1u || topic[st->prefix_len] != '/' ||
        !mqttvpn_text_is(topic, st->prefix, st->prefix_len, slashed)) {
        return -1;
    }
    alen = topic_len - st->prefix_len - 1u;
    for (i = 0; i < st->n_topics; i++) {
        if (strlen(st->addr_text[i]) == alen &&
            mqttvpn_text_is(topic + st->prefix_len + 1u, st->addr_text[i], alen, slashed)) {
            return (int)i;
        }
    }
    return -1;
}

/* The reading-topic index of addr, or -1; its "<prefix>/<addr>" is left in topic (*len: its
 * strlen, 0 when addr has no topic in this lwIP build). */
static int
mqttvpn_find_addr(const struct mqttvpn_netif_state *st, const ip_addr_t *addr,
                  char topic[MQTTVPN_TOPIC_MAX], size_t *len)
{
    *len = mqttvpn_topic_for_addr(st, addr, topic, MQTTVPN_TOPIC_MAX);
    if (*len == 0) {
        return -1;
    }
    return mqttvpn_find_topic(st, topic, *len, 0);
}

static err_t
mqttvpn_add_topic(struct mqttvpn_netif_state *st, const ip_addr_t *addr)
{
    char topic[MQTTVPN_TOPIC_MAX];
    size_t len;

    if (mqttvpn_find_addr(st, addr, topic, &len) >= 0) {
        return ERR_OK;
    }
    if (len == 0 || len - st->prefix_len - 1u >= MQTTVPN_ADDR_TEXT_MAX) {
        return ERR_ARG;
    }
    if (st->n_topics >= MQTTVPN_MAX_TOPICS) {
        return ERR_MEM; /* the caller reports it: no silent overflow, no log spam */
    }
    memcpy(st->addr_text[st->n_topics], topic + st->prefix_len + 1u, len - st->prefix_len);
    st->addr_len[st->n_topics] = mqttvpn_addr_bytes(addr, st->addr_bytes[st->n_topics]);
    st->n_topics++;
    if (st->connected && !mqttvpn_hook_subscribe(st->platform, topic)) {
        MQTTVPN_LOG(MQTTVPN_LOG_WARN, "mqttvpn: subscribe %s failed", topic);
        return ERR_IF;
    }
    return ERR_OK;
}

/*
 * The topic for a next hop (hop_len 4: IPv4, 16: IPv6), formatted only when it differs from
 * the last packet's. NULL if it cannot be written (cannot happen: the prefix length was
 * checked at init).
 */
static const char *
mqttvpn_tx_topic(struct mqttvpn_netif_state *st, const uint8_t *hop, uint8_t hop_len)
{
    size_t n;

    if (st->tx_hop_len == hop_len && memcmp(st->tx_hop, hop, hop_len) == 0) {
        return st->tx_topic;
    }
    n = hop_len == 4u ? mqttvpn_topic_v4(st->tx_topic, sizeof(st->tx_topic), st->prefix, hop)
                      : mqttvpn_topic_v6(st->tx_topic, sizeof(st->tx_topic), st->prefix, hop);
    if (n == 0) {
        st->tx_hop_len = 0;
        return NULL;
    }
    memcpy(st->tx_hop, hop, hop_len);
    st->tx_hop_len = hop_len;
    return st->tx_topic;
}

/*
 * Copies p behind the frame headroom, seals it in place and publishes it to topic. The pbuf
 * stays the caller's (lwIP frees it after output returns).
 */
static err_t
mqttvpn_send(struct mqttvpn_netif_state *st, struct pbuf *p, const char *topic)
{
    uint8_t nonce[MQTTVPN_NONCE_BYTES] = {0};
    size_t headroom = mqttvpn_frame_len(&st->key, 0);
    uint8_t *packet = st->frame + headroom; /* == frame + MQTTVPN_OVERHEAD with a key */
    size_t len = p->tot_len;
    size_t frame_len;

    if (topic == NULL) {
        return ERR_BUF;
    }
    if (!st->connected) {
        st->counters.tx_publish_failed++; /* lwIP may still send through a netif whose link is down */
        return ERR_CONN;
    }
    if (len > MQTTVPN_MTU || headroom + len > sizeof(st->frame)) {
        st->counters.tx_too_long++;
        return ERR_BUF;
    }
    if (pbuf_copy_partial(p, packet, p->tot_len, 0) != p->tot_len) {
        st->counters.tx_too_long++;
        return ERR_BUF;
    }
    if (headroom > 0 && !mqttvpn_hook_random(nonce, sizeof(nonce))) {
        st->counters.tx_no_random++;
        return ERR_IF;
    }
    frame_len = mqttvpn_seal(&st->key, nonce, packet, len, st->frame);
    if (!mqttvpn_hook_publish(st->platform, topic, st->frame, frame_len)) {
        st->counters.tx_publish_failed++;
        MQTTVPN_LOG(MQTTVPN_LOG_DEBUG, "mqttvpn: publish of %u bytes to %s failed",
                    (unsigned)frame_len, topic);
        return ERR_IF;
    }
    st->counters.tx_packets++;
    st->counters.tx_bytes += (uint32_t)len;
    return ERR_OK;
}

/*
 * The interface a packet for the bypass address goes through instead of the tunnel, NULL
 * (counted) when it is gone or down. Looked up by index: the interface may have been
 * removed since, and an index, unlike a pointer, cannot dangle.
 */
static struct netif *
mqttvpn_bypass_netif(struct mqttvpn_netif_state *st, struct netif *netif)
{
    struct netif *via = netif_get_by_index(st->bypass_via);

    if (via == NULL || via == netif || !netif_is_up(via) || !netif_is_link_up(via)) {
        st->counters.tx_bypass_failed++;
        return NULL;
    }
    st->counters.tx_bypassed++;
    return via;
}

#if LWIP_IPV4
/*
 * The next hop of an IPv4 destination, chosen as etharp_output() chooses it on Ethernet:
 * lwIP hands every netif->output the destination and leaves the gateway choice to the
 * link layer, which here is the topic. Broadcast, multicast, link-local and on-link
 * destinations are their own next hop; others go to the netif's gateway, or, without
 * one, to their own topic (where a node that reads it as a NAT target may pick them up).
 */
static const ip4_addr_t *
mqttvpn_next_hop4(struct netif *netif, const ip4_addr_t *dest)
{
    if (ip4_addr_isbroadcast(dest, netif) || ip4_addr_ismulticast(dest) ||
        ip4_addr_islinklocal(dest) ||
        ip4_addr_netcmp(dest, netif_ip4_addr(netif), netif_ip4_netmask(netif)) ||
        ip4_addr_isany(netif_ip4_gw(netif))) {
        return dest;
    }
    return netif_ip4_gw(netif);
}

/* netif->output: ipaddr is the packet's destination (lwIP does not resolve next hops). */
static err_t
mqttvpn_output4(struct netif *netif, struct pbuf *p, const ip4_addr_t *ipaddr)
{
    struct mqttvpn_netif_state *st = mqttvpn_state(netif);
    const ip4_addr_t *next_hop;

    LWIP_ASSERT("p != NULL", p != NULL);
    LWIP_ASSERT("ipaddr != NULL", ipaddr != NULL);
    if (st == NULL) {
        return ERR_IF; /* detached: the platform is removing the interface */
    }
    if (st->bypass_via != 0 && IP_IS_V4_VAL(st->bypass) && ip4_addr_cmp(ipaddr, ip_2_ip4(&st->bypass))) {
        struct netif *via = mqttvpn_bypass_netif(st, netif);
        return via != NULL ? via->output(via, p, ipaddr) : ERR_RTE;
    }
    next_hop = mqttvpn_next_hop4(netif, ipaddr);
    return mqttvpn_send(st, p, mqttvpn_tx_topic(st, (const uint8_t *)&next_hop->addr, 4u));
}
#endif /* LWIP_IPV4 */

#if LWIP_IPV6
/* Whether dest shares the first prefix6_len bits with one of the netif's valid addresses. */
static int
mqttvpn_on_link6(struct netif *netif, const struct mqttvpn_netif_state *st, const ip6_addr_t *dest)
{
    const uint8_t *d = (const uint8_t *)dest->addr;
    s8_t i;

    for (i = 0; i < LWIP_IPV6_NUM_ADDRESSES; i++) {
        const uint8_t *a = (const uint8_t *)netif_ip6_addr(netif, i)->addr;
        uint8_t bits = st->prefix6_len;
        uint8_t whole = (uint8_t)(bits / 8u);
        uint8_t mask = (uint8_t)(0xffu << (8u - bits % 8u));

        if (!ip6_addr_isvalid(netif_ip6_addr_state(netif, i))) {
            continue;
        }
        if (memcmp(a, d, whole) == 0 && (bits % 8u == 0 || ((a[whole] ^ d[whole]) & mask) == 0)) {
            return 1;
        }
    }
    return 0;
}

/*
 * netif->output_ip6: lwIP passes the destination (next hops are resolved by ND, which
 * this link has not). Multicast is not carried; off-link unicast goes to gateway6 if set.
 */
static err_t
mqttvpn_output6(struct netif *netif, struct pbuf *p, const ip6_addr_t *ipaddr)
{
    struct mqttvpn_netif_state *st = mqttvpn_state(netif);
    const uint8_t *next_hop;

    LWIP_ASSERT("p != NULL", p != NULL);
    LWIP_ASSERT("ipaddr != NULL", ipaddr != NULL);
    if (st == NULL) {
        return ERR_IF; /* detached: the platform is removing the interface */
    }
    if (st->bypass_via != 0 && IP_IS_V6_VAL(st->bypass) && ip6_addr_cmp(ipaddr, ip_2_ip6(&st->bypass))) {
        struct netif *via = mqttvpn_bypass_netif(st, netif);
        return via != NULL ? via->output_ip6(via, p, ipaddr) : ERR_RTE;
    }
    if (ip6_addr_ismulticast(ipaddr)) {
        st->counters.tx_multicast6++;
        return ERR_RTE;
    }
    if (st->has_gateway6 && !ip6_addr_islinklocal(ipaddr) && !mqttvpn_on_link6(netif, st, ipaddr)) {
        next_hop = st->gateway6;
    } else {
        next_hop = (const uint8_t *)ipaddr->addr;
    }
    return mqttvpn_send(st, p, mqttvpn_tx_topic(st, next_hop, 16u));
}
#endif /* LWIP_IPV6 */

/* The state holds the key: wipe it before the memory goes back to the heap. */
static void
mqttvpn_free_state(struct mqttvpn_netif_state *st)
{
    mqttvpn_wipe(&st->key, sizeof(st->key));
    mem_free(st);
}

err_t
mqttvpn_netif_attach(struct netif *netif, const struct mqttvpn_netif_config *cfg)
{
    static const uint8_t no_gateway6[16];
    struct mqttvpn_netif_state *st;
    const char *prefix;
    ip_addr_t broadcast;
    size_t slot;
    err_t err;

    LWIP_ASSERT("netif != NULL", netif != NULL);
    LWIP_ASSERT("cfg != NULL", cfg != NULL);
    prefix = cfg->topic_prefix != NULL ? cfg->topic_prefix : MQTTVPN_DEFAULT_TOPIC_PREFIX;
    if (!mqttvpn_topic_prefix_valid(prefix) || cfg->prefix6_len > 128) {
        return ERR_ARG;
    }
    if (mqttvpn_state(netif) != NULL) {
        return ERR_VAL;
    }
    for (slot = 0; slot < MQTTVPN_MAX_NETIFS && mqttvpn_attached[slot].netif != NULL; slot++) {
    }
    if (slot == MQTTVPN_MAX_NETIFS) {
        return ERR_MEM;
    }
    st = (struct mqttvpn_netif_state *)mem_malloc(sizeof(*st));
    if (st == NULL) {
        return ERR_MEM;
    }
    memset(st, 0, sizeof(*st));
    st->prefix_len = strlen(prefix);
    memcpy(st->prefix, prefix, st->prefix_len + 1u);
    st->key = cfg->key;
    st->platform = cfg->platform;
    st->input = cfg->input;
    memcpy(st->gateway6, cfg->gateway6, sizeof(st->gateway6));
    st->has_gateway6 = memcmp(st->gateway6, no_gateway6, sizeof(no_gateway6)) != 0;
    st->prefix6_len = cfg->prefix6_len != 0 ? cfg->prefix6_len : 64u;
    st->route_for_others = cfg->route_for_others != 0;
#if LWIP_IPV4
    ip_addr_set_ip4_u32_val(broadcast, IPADDR_BROADCAST);
    err = mqttvpn_add_topic(st, &broadcast);
    if (err != ERR_OK) {
        mqttvpn_free_state(st);
        return err;
    }
#else
    LWIP_UNUSED_ARG(broadcast);
    LWIP_UNUSED_ARG(err);
#endif
    mqttvpn_attached[slot].netif = netif;
    mqttvpn_attached[slot].st = st;
    return ERR_OK;
}

err_t
mqttvpn_netif_init(struct netif *netif)
{
    struct mqttvpn_netif_state *st;

    LWIP_ASSERT("netif != NULL", netif != NULL);
    st = mqttvpn_state(netif);
    if (st == NULL) {
        MQTTVPN_LOG(MQTTVPN_LOG_ERROR, "mqttvpn: netif_add before mqttvpn_netif_attach: attach the driver first");
        return ERR_IF;
    }
#if LWIP_IPV4
    if (!ip4_addr_isany(netif_ip4_addr(netif))) {
        ip_addr_t own;
        err_t err;
        ip_addr_copy_from_ip4(own, *netif_ip4_addr(netif));
        err = mqttvpn_add_topic(st, &own);
        if (err != ERR_OK) {
            return err;
        }
    }
    netif->output = mqttvpn_output4;
#endif
#if LWIP_IPV6
    netif->output_ip6 = mqttvpn_output6;
#endif
    netif->name[0] = 'm';
    netif->name[1] = 'q';
    netif->mtu = (u16_t)MQTTVPN_MTU;
    netif->hwaddr_len = 0;
    /* No ARP, no Ethernet, no multicast; NETIF_FLAG_LINK_UP follows the MQTT session. */
    netif->flags = 0;
    return ERR_OK;
}

void
mqttvpn_netif_detach(struct netif *netif)
{
    struct mqttvpn_netif_state *st = mqttvpn_state(netif);
    char topic[MQTTVPN_TOPIC_MAX];
    size_t i;

    LWIP_ASSERT_CORE_LOCKED();
    if (st == NULL) {
        return;
    }
    if (st->connected) {
        for (i = 0; i < st->n_topics; i++) {
            if (mqttvpn_write_topic(st, i, topic, sizeof(topic)) > 0) {
                (void)mqttvpn_hook_unsubscribe(st->platform, topic);
            }
        }
        st->connected = 0;
        netif_set_link_down(netif);
    }
    for (i = 0; i < MQTTVPN_MAX_NETIFS; i++) {
        if (mqttvpn_attached[i].st == st) {
            mqttvpn_attached[i].netif = NULL;
            mqttvpn_attached[i].st = NULL;
        }
    }
    mqttvpn_free_state(st);
}

void
mqttvpn_netif_remove(struct netif *netif)
{
    LWIP_ASSERT_CORE_LOCKED();
    mqttvpn_netif_detach(netif);
    netif_remove(netif);
}

int
mqttvpn_netif_is_attached(const struct netif *netif)
{
    return mqttvpn_state(netif) != NULL;
}

err_t
mqttvpn_netif_set_key(struct netif *netif, const mqttvpn_key_t *key)
{
    struct mqttvpn_netif_state *st = mqttvpn_state(netif);

    LWIP_ASSERT_CORE_LOCKED();
    LWIP_ASSERT("key != NULL", key != NULL);
    if (st == NULL) {
        return ERR_IF;
    }
    mqttvpn_wipe(&st->key, sizeof(st->key));
    st->key = *key;
    return ERR_OK;
}

err_t
mqttvpn_netif_set_bypass(struct netif *netif, const ip_addr_t *addr, struct netif *via)
{
    struct mqttvpn_netif_state *st = mqttvpn_state(netif);

    LWIP_ASSERT_CORE_LOCKED();
    if (st == NULL) {
        return ERR_IF;
    }
    if (addr == NULL || via == NULL) {
        st->bypass_via = 0;
        return ERR_OK;
    }
    if (via == netif || (IP_IS_V4(addr) && !LWIP_IPV4) || (IP_IS_V6(addr) && !LWIP_IPV6)) {
        return ERR_ARG;
    }
    ip_addr_copy(st->bypass, *addr);
    st->bypass_via = netif_get_index(via);
    return ERR_OK;
}

/*
 * Whether a received packet (checked as IP by the codec) is for this node: its destination is
 * one of the netif's addresses, a reading topic's address (NAT targets, the own IPv6 address),
 * the limited or the subnet's broadcast, or multicast. Bytes are compared, no lwIP address
 * macros: they differ between lwIP versions and address families this build may lack.
 */
static int
mqttvpn_for_us(struct netif *netif, const struct mqttvpn_netif_state *st, const uint8_t *packet, size_t len)
{
    const uint8_t *dest;
    uint8_t n;
    uint8_t i;

    if ((packet[0] >> 4) == 4u && len >= 20u) {
        dest = packet + 16;
        n = 4u;
        if ((dest[0] & 0xf0u) == 0xe0u || (dest[0] & dest[1] & dest[2] & dest[3]) == 0xffu) {
            return 1; /* multicast 224/4, broadcast 255.255.255.255 */
        }
#if LWIP_IPV4
        {
            uint32_t own = ip4_addr_get_u32(netif_ip4_addr(netif));
            uint32_t mask = ip4_addr_get_u32(netif_ip4_netmask(netif));
            uint32_t d;
            memcpy(&d, dest, 4); /* network order, as lwIP keeps addresses */
            if (own != IPADDR_ANY && (d == own || (mask != 0xffffffffUL && mask != PP_HTONL(0xfffffffeUL) &&
                                                   (d & mask) == (own & mask) && (d | mask) == 0xffffffffUL))) {
                return 1; /* the own address, the subnet's broadcast */
            }
        }
#endif
    } else if ((packet[0] >> 4) == 6u && len >= 40u) {
        dest = packet + 24;
        n = 16u;
        if (dest[0] == 0xffu) {
            return 1; /* multicast ff00::/8 */
        }
#if LWIP_IPV6
        {
            s8_t a;
            for (a = 0; a < LWIP_IPV6_NUM_ADDRESSES; a++) {
                if (ip6_addr_isvalid(netif_ip6_addr_state(netif, a)) &&
                    memcmp(netif_ip6_addr(netif, a)->addr, dest, 16) == 0) {
                    return 1;
                }
            }
        }
#endif
    } else {
        return 0;
    }
    for (i = 0; i < st->n_topics; i++) {
        if (st->addr_len[i] == n && memcmp(st->addr_bytes[i], dest, n) == 0) {
            return 1;
        }
    }
    LWIP_UNUSED_ARG(netif);
    return 0;
}

err_t
mqttvpn_netif_set_route_for_others(struct netif *netif, int on)
{
    struct mqttvpn_netif_state *st = mqttvpn_state(netif);

    LWIP_ASSERT_CORE_LOCKED();
    if (st == NULL) {
        return ERR_IF;
    }
    st->route_for_others = on != 0;
    return ERR_OK;
}

err_t
mqttvpn_netif_input(struct netif *netif, const char *topic, size_t topic_len,
                    const uint8_t *frame, size_t len)
{
    struct mqttvpn_netif_state *st = mqttvpn_state(netif);
    netif_input_fn input;
    size_t headroom;
    size_t packet_len;
    struct pbuf *p;
    int opened;
    err_t err;

    LWIP_ASSERT_CORE_LOCKED();
    LWIP_ASSERT("topic != NULL", topic != NULL);
    LWIP_ASSERT("frame != NULL || len == 0", frame != NULL || len == 0);

    if (st == NULL) {
        return ERR_IF;
    }
    headroom = mqttvpn_frame_len(&st->key, 0);
    if (mqttvpn_find_topic(st, topic, topic_len, 0) < 0) {
        int i = mqttvpn_find_topic(st, topic, topic_len, 1);
        if (i < 0) {
            st->counters.rx_unexpected_topic++;
            return ERR_VAL;
        }
        if (!st->slashed_seen) {
            st->slashed_seen = 1;
            MQTTVPN_LOG(MQTTVPN_LOG_WARN,
                        "mqttvpn: frames arrive on %.*s for %s/%s: the broker turns the '.' of topics into '/'"
                        " (RabbitMQ's MQTT plugin does); accepted as that topic, but nodes of the original"
                        " MQTT_VPN drop them", (int)topic_len, topic, st->prefix, st->addr_text[i]);
        }
    }
    /* Sizes that cannot hold a packet are decided here, before a pbuf is spent on them. */
    if (len < headroom + MQTTVPN_MIN_PACKET) {
        st->counters.rx_dropped[MQTTVPN_DROP_TOO_SHORT]++;
        return ERR_VAL;
    }
    packet_len = len - headroom;
    if (packet_len > MQTTVPN_MTU) {
        st->counters.rx_dropped[MQTTVPN_DROP_TOO_LONG]++;
        return ERR_VAL;
    }
    p = pbuf_alloc(PBUF_LINK, (u16_t)packet_len, PBUF_RAM);
    if (p == NULL) {
        st->counters.rx_no_memory++;
        return ERR_MEM;
    }
    LWIP_ASSERT("PBUF_RAM is one piece", p->len == p->tot_len);
    opened = mqttvpn_open(&st->key, frame, len, (uint8_t *)p->payload, packet_len);
    if (opened < 0) {
        pbuf_free(p);
        if (mqttvpn_drop_reason(opened) < MQTTVPN_DROP_COUNT) {
            st->counters.rx_dropped[mqttvpn_drop_reason(opened)]++;
        }
        MQTTVPN_LOG(MQTTVPN_LOG_DEBUG, "mqttvpn: dropped %u bytes on %.*s: %s", (unsigned)len,
                    (int)topic_len, topic, mqttvpn_drop_name(mqttvpn_drop_reason(opened)));
        return ERR_VAL;
    }
    if (!st->route_for_others && !mqttvpn_for_us(netif, st, (const uint8_t *)p->payload, (size_t)opened)) {
        pbuf_free(p);
        st->counters.rx_not_for_us++;
        MQTTVPN_LOG(MQTTVPN_LOG_DEBUG, "mqttvpn: dropped a %u-byte packet on %.*s: drop_not_for_us",
                    (unsigned)opened, (int)topic_len, topic);
        return ERR_RTE;
    }
    if ((size_t)opened < packet_len) {
        pbuf_realloc(p, (u16_t)opened);
    }
    /*
     * Ownership: from this call on the pbuf is lwIP's. The input function frees it when done
     * (netif_input/ip_input) or queues it and frees it later (tcpip_input). Only when it
     * returns an error is the pbuf still ours, and freed here.
     */
    input = st->input != NULL ? st->input : netif->input;
    err = input(p, netif);
    if (err != ERR_OK) {
        pbuf_free(p);
        st->counters.rx_no_memory++;
        return err;
    }
    st->counters.rx_packets++;
    st->counters.rx_bytes += (uint32_t)opened;
    return ERR_OK;
}

err_t
mqttvpn_netif_set_connected(struct netif *netif, int connected)
{
    struct mqttvpn_netif_state *st = mqttvpn_state(netif);
    char topic[MQTTVPN_TOPIC_MAX];
    err_t err = ERR_OK;
    size_t i;

    LWIP_ASSERT_CORE_LOCKED();
    if (st == NULL) {
        return ERR_IF;
    }
    st->connected = connected != 0;
    if (!st->connected) {
        netif_set_link_down(netif);
        return ERR_OK;
    }
    for (i = 0; i < st->n_topics; i++) {
        if (mqttvpn_write_topic(st, i, topic, sizeof(topic)) == 0 ||
            !mqttvpn_hook_subscribe(st->platform, topic)) {
            MQTTVPN_LOG(MQTTVPN_LOG_WARN, "mqttvpn: subscribe %s/%s failed", st->prefix, st->addr_text[i]);
            err = ERR_IF;
        }
    }
    netif_set_link_up(netif);
    return err;
}

err_t
mqttvpn_netif_add_reading_topic(struct netif *netif, const ip_addr_t *addr)
{
    struct mqttvpn_netif_state *st = mqttvpn_state(netif);

    LWIP_ASSERT_CORE_LOCKED();
    LWIP_ASSERT("addr != NULL", addr != NULL);
    return st != NULL ? mqttvpn_add_topic(st, addr) : ERR_IF;
}

err_t
mqttvpn_netif_remove_reading_topic(struct netif *netif, const ip_addr_t *addr)
{
    struct mqttvpn_netif_state *st = mqttvpn_state(netif);
    char topic[MQTTVPN_TOPIC_MAX];
    size_t len;
    int i;

    LWIP_ASSERT_CORE_LOCKED();
    LWIP_ASSERT("addr != NULL", addr != NULL);
    if (st == NULL) {
        return ERR_IF;
    }
    i = mqttvpn_find_addr(st, addr, topic, &len);
    if (i < 0) {
        return ERR_VAL;
    }
    if (st->connected) {
        (void)mqttvpn_hook_unsubscribe(st->platform, topic);
    }
    st->n_topics--;
    if ((size_t)i != st->n_topics) {
        memcpy(st->addr_text[i], st->addr_text[st->n_topics], sizeof(st->addr_text[i]));
        memcpy(st->addr_bytes[i], st->addr_bytes[st->n_topics], sizeof(st->addr_bytes[i]));
        st->addr_len[i] = st->addr_len[st->n_topics];
    }
    return ERR_OK;
}

size_t
mqttvpn_netif_topic_count(struct netif *netif)
{
    const struct mqttvpn_netif_state *st = mqttvpn_state(netif);
    return st != NULL ? st->n_topics : 0;
}

size_t
mqttvpn_netif_topic(struct netif *netif, size_t i, char *out, size_t cap)
{
    const struct mqttvpn_netif_state *st = mqttvpn_state(netif);

    if (st == NULL || i >= st->n_topics) {
        return 0;
    }
    return mqttvpn_write_topic(st, i, out, cap);
}

void
mqttvpn_netif_get_counters(struct netif *netif, struct mqttvpn_netif_counters *out)
{
    const struct mqttvpn_netif_state *st = mqttvpn_state(netif);

    LWIP_ASSERT("out != NULL", out != NULL);
    if (st != NULL) {
        *out = st->counters;
    } else {
        memset(out, 0, sizeof(*out));
    }
}
