/* The mqttvpn interface as the ESP platforms manage it (see mqttvpn/glue/iface.h). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lwip/opt.h"
#include "lwip/err.h"
#include "lwip/ip.h"
#include "lwip/ip4_addr.h"
#include "lwip/ip_addr.h"
#include "lwip/netif.h"

#include "mqttvpn/codec.h"
#include "mqttvpn/glue/iface.h"
#include "mqttvpn/hooks.h"
#include "mqttvpn/netif.h"
#include "wipe.h"

#if !LWIP_IPV4
#error "mqttvpn/glue/iface.c configures IPv4 addresses: needs LWIP_IPV4"
#endif

/* Stands in for the driver's output while its state is hidden: nothing may reach it then. */
static err_t
parked_output4(struct netif *netif, struct pbuf *p, const ip4_addr_t *ipaddr)
{
    LWIP_UNUSED_ARG(netif);
    LWIP_UNUSED_ARG(p);
    LWIP_UNUSED_ARG(ipaddr);
    return ERR_IF;
}

#if LWIP_IPV6
static err_t
parked_output6(struct netif *netif, struct pbuf *p, const ip6_addr_t *ipaddr)
{
    LWIP_UNUSED_ARG(netif);
    LWIP_UNUSED_ARG(p);
    LWIP_UNUSED_ARG(ipaddr);
    return ERR_IF;
}
#endif

/* netif_add with no addresses: lwIP then has no IPv4 change to report while netif->state is
 * still the config pointer (esp-idf #9643). The driver copies the config, key included. */
static err_t
add_netif(struct mqttvpn_iface *f, const char *password)
{
    struct mqttvpn_netif_config cfg;
    struct netif *added;

    memset(&cfg, 0, sizeof(cfg));
    cfg.topic_prefix = f->prefix;
    cfg.platform = f->platform;
    mqttvpn_key_from_password(&cfg.key, password);
    memset(&f->netif, 0, sizeof(f->netif));
    added = netif_add(&f->netif, NULL, NULL, NULL, &cfg, mqttvpn_netif_init, f->input);
    mqttvpn_wipe(&cfg.key, sizeof(cfg.key)); /* a memset of a dying local may be optimised away */
    if (added == NULL) {
        return ERR_IF;
    }
    f->added = 1;
    f->connected = 0;
    return ERR_OK;
}

err_t
mqttvpn_iface_add(struct mqttvpn_iface *f, const char *prefix, const char *password, void *platform,
                  const ip4_addr_t *ip, const ip4_addr_t *mask, const ip4_addr_t *gw,
                  netif_input_fn input)
{
    err_t err;

    LWIP_ASSERT_CORE_LOCKED();
    memset(f, 0, sizeof(*f));
    if (prefix == NULL) {
        prefix = MQTTVPN_DEFAULT_TOPIC_PREFIX;
    }
    /* Checked here too: netif_add() reports a refused prefix only as "no interface". */
    if (!mqttvpn_topic_prefix_valid(prefix)) {
        MQTTVPN_LOG(MQTTVPN_LOG_ERROR, "mqttvpn: topic prefix \"%.*s\" refused: use 1..%u characters "
                    "without '+' or '#', the same as the host's --topic-prefix",
                    (int)MQTTVPN_TOPIC_PREFIX_MAX, prefix, (unsigned)MQTTVPN_TOPIC_PREFIX_MAX);
        return ERR_ARG;
    }
    memcpy(f->prefix, prefix, strlen(prefix) + 1u);
    f->platform = platform;
    f->input = input != NULL ? input : ip_input;
    err = add_netif(f, password);
    if (err != ERR_OK) {
        goto err_ret;
    }
    err = mqttvpn_iface_set_addr(f, ip, mask, gw);
    if (err != ERR_OK) {
        goto err_ret;
    }
    return ERR_OK;

err_ret:
    mqttvpn_iface_remove(f);
    MQTTVPN_LOG(MQTTVPN_LOG_ERROR, "mqttvpn: cannot add the interface (lwIP error %d): most likely lwIP's "
                "heap has no room for the driver's state; raise MEM_SIZE or free memory first", (int)err);
    return err;
}

void
mqttvpn_iface_remove(struct mqttvpn_iface *f)
{
    LWIP_ASSERT_CORE_LOCKED();
    if (f->added) {
        mqttvpn_netif_remove(&f->netif);
        f->added = 0;
        f->connected = 0;
    }
}

static int
is_target(const struct mqttvpn_iface *f, uint32_t addr)
{
    uint8_t i;
    for (i = 0; i < f->n_targets; i++) {
        if (f->targets[i] == addr) {
            return 1;
        }
    }
    return 0;
}

err_t
mqttvpn_iface_set_addr(struct mqttvpn_iface *f, const ip4_addr_t *ip, const ip4_addr_t *mask,
                       const ip4_addr_t *gw)
{
    struct netif *nif = &f->netif;
    ip4_addr_t old_ip, new_ip;
    ip_addr_t topic_addr;
    void *state;
    netif_output_fn output;
#if LWIP_IPV6
    netif_output_ip6_fn output6;
#endif
    int was_up;
    err_t err = ERR_OK;

    LWIP_ASSERT_CORE_LOCKED();
    if (!f->added) {
        return ERR_IF;
    }
    ip4_addr_copy(old_ip, *netif_ip4_addr(nif));
    new_ip = ip != NULL ? *ip : old_ip;
    was_up = netif_is_up(nif);
    if (was_up) {
        netif_set_down(nif); /* routes skip it: nothing is sent into the parked output */
    }
    state = nif->state;
    output = nif->output;
    nif->state = NULL;
    nif->output = parked_output4;
#if LWIP_IPV6
    output6 = nif->output_ip6;
    nif->output_ip6 = parked_output6;
#endif
    netif_set_addr(nif, &new_ip, mask != NULL ? mask : netif_ip4_netmask(nif),
                   gw != NULL ? gw : netif_ip4_gw(nif));
    nif->state = state;
    nif->output = output;
#if LWIP_IPV6
    nif->output_ip6 = output6;
#endif
    if (was_up) {
        netif_set_up(nif);
    }

    if (ip4_addr_cmp(&old_ip, &new_ip)) {
        return ERR_OK;
    }
    if (!ip4_addr_isany_val(old_ip) && !is_target(f, ip4_addr_get_u32(&old_ip))) {
        ip_addr_copy_from_ip4(topic_addr, old_ip);
        (void)mqttvpn_netif_remove_reading_topic(nif, &topic_addr);
    }
    if (!ip4_addr_isany_val(new_ip)) {
        ip_addr_copy_from_ip4(topic_addr, new_ip);
        err = mqttvpn_netif_add_reading_topic(nif, &topic_addr);
    }
    return err;
}

err_t
mqttvpn_iface_set_connected(struct mqttvpn_iface *f, int connected)
{
    LWIP_ASSERT_CORE_LOCKED();
    if (!f->added) {
        return ERR_IF;
    }
    f->connected = connected != 0;
    return mqttvpn_netif_set_connected(&f->netif, connected);
}

err_t
mqttvpn_iface_unsubscribe(struct mqttvpn_iface *f)
{
    char topic[MQTTVPN_TOPIC_MAX];
    size_t i, n;

    LWIP_ASSERT_CORE_LOCKED();
    if (!f->added) {
        return ERR_IF;
    }
    n = mqttvpn_netif_topic_count(&f->netif);
    for (i = 0; i < n; i++) {
        if (mqttvpn_netif_topic(&f->netif, i, topic, sizeof(topic)) > 0) {
            (void)mqttvpn_hook_unsubscribe(f->platform, topic);
        }
    }
    return mqttvpn_iface_set_connected(f, 0);
}

err_t
mqttvpn_iface_add_target(struct mqttvpn_iface *f, const ip4_addr_t *target)
{
    ip_addr_t a;
    uint32_t u = ip4_addr_get_u32(target);
    err_t err;

    LWIP_ASSERT_CORE_LOCKED();
    if (!f->added) {
        return ERR_IF;
    }
    if (is_target(f, u)) {
        return ERR_OK;
    }
    if (f->n_targets >= MQTTVPN_MAX_TOPICS) {
        return ERR_MEM;
    }
    ip_addr_copy_from_ip4(a, *target);
    err = mqttvpn_netif_add_reading_topic(&f->netif, &a);
    if (err == ERR_OK || err == ERR_IF) { /* ERR_IF: kept, subscribed on the next connect */
        f->targets[f->n_targets++] = u;
    }
    return err;
}

void
mqttvpn_iface_flush_targets(struct mqttvpn_iface *f)
{
    ip_addr_t a;
    ip4_addr_t t;
    uint8_t i;

    LWIP_ASSERT_CORE_LOCKED();
    for (i = 0; i < f->n_targets && f->added; i++) {
        ip4_addr_set_u32(&t, f->targets[i]);
        /* The own address and broadcast stay readable even if they were also added as targets. */
        if (ip4_addr_cmp(&t, netif_ip4_addr(&f->netif)) || ip4_addr_isbroadcast_u32(f->targets[i], &f->netif)) {
            continue;
        }
        ip_addr_copy_from_ip4(a, t);
        (void)mqttvpn_netif_remove_reading_topic(&f->netif, &a);
    }
    f->n_targets = 0;
}

err_t
mqttvpn_iface_set_password(struct mqttvpn_iface *f, const char *password)
{
    ip4_addr_t ip, mask, gw, t;
    uint32_t targets[MQTTVPN_MAX_TOPICS];
    uint8_t n_targets = f->n_targets, i;
    int up, is_default, connected;
    u16_t mtu;
    err_t err;

    LWIP_ASSERT_CORE_LOCKED();
    if (!f->added) {
        return ERR_IF;
    }
    ip4_addr_copy(ip, *netif_ip4_addr(&f->netif));
    ip4_addr_copy(mask, *netif_ip4_netmask(&f->netif));
    ip4_addr_copy(gw, *netif_ip4_gw(&f->netif));
    memcpy(targets, f->targets, sizeof(targets));
    up = netif_is_up(&f->netif);
    is_default = netif_default == &f->netif;
    connected = f->connected;
    mtu = f->netif.mtu;

    mqttvpn_iface_remove(f);
    f->n_targets = 0;
    err = add_netif(f, password);
    if (err != ERR_OK) {
        goto err_ret;
    }
    err = mqttvpn_iface_set_addr(f, &ip, &mask, &gw);
    if (err != ERR_OK) {
        goto err_ret;
    }
    for (i = 0; i < n_targets; i++) {
        ip4_addr_set_u32(&t, targets[i]);
        err = mqttvpn_iface_add_target(f, &t);
        if (err != ERR_OK) {
            goto err_ret;
        }
    }
    f->netif.mtu = mtu;
    if (up) {
        netif_set_up(&f->netif);
    }
    if (is_default) {
        netif_set_default(&f->netif);
    }
    if (connected) {
        (void)mqttvpn_iface_set_connected(f, 1); /* a failed subscription is retried on reconnect */
    }
    return ERR_OK;

err_ret:
    mqttvpn_iface_remove(f);
    MQTTVPN_LOG(MQTTVPN_LOG_ERROR, "mqttvpn: rebuilding the interface for the new password failed (%d)",
                (int)err);
    return err;
}
