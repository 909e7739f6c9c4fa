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

err_t
mqttvpn_iface_attach(struct mqttvpn_iface *f, struct netif *netif, const char *prefix, const char *password,
                     void *platform, netif_input_fn input)
{
    struct mqttvpn_netif_config cfg;
    err_t err;

    LWIP_ASSERT_CORE_LOCKED();
    memset(f, 0, sizeof(*f));
    f->netif = netif;
    f->platform = platform;
    memset(&cfg, 0, sizeof(cfg));
    cfg.topic_prefix = prefix;
    cfg.platform = platform;
    cfg.input = input;
    mqttvpn_key_from_password(&cfg.key, password);
    err = mqttvpn_netif_attach(netif, &cfg);
    mqttvpn_wipe(&cfg.key, sizeof(cfg.key)); /* a memset of a dying local may be optimised away */
    if (err == ERR_ARG) {
        const char *problem = mqttvpn_topic_prefix_problem(prefix != NULL ? prefix : MQTTVPN_DEFAULT_TOPIC_PREFIX);
        MQTTVPN_LOG(MQTTVPN_LOG_ERROR, "mqttvpn: topic prefix \"%.*s\" refused: it %s; use 1..%u printable ASCII "
                    "characters without '+' or '#', a leading '$' or a final '/', the same as the host's --topic-prefix",
                    (int)MQTTVPN_TOPIC_PREFIX_MAX, prefix != NULL ? prefix : "",
                    problem != NULL ? problem : "is not valid", (unsigned)MQTTVPN_TOPIC_PREFIX_MAX);
        return err;
    }
    if (err != ERR_OK) {
        MQTTVPN_LOG(MQTTVPN_LOG_ERROR, "mqttvpn: cannot attach the driver (lwIP error %d): lwIP's heap has no "
                    "room for its state (raise MEM_SIZE or free memory first), or MQTTVPN_MAX_NETIFS (%u) "
                    "interfaces are in use", (int)err, (unsigned)MQTTVPN_MAX_NETIFS);
        return err;
    }
    f->attached = 1;
    return ERR_OK;
}

/* The interface to make the default when the VPN gives it back: the one it took it from if
 * that is still usable, else the first other interface that is up with an address. */
static struct netif *
other_default(const struct mqttvpn_iface *f)
{
    struct netif *n = netif_get_by_index(f->prev_default);

    if (n != NULL && n != f->netif && netif_is_up(n) && netif_is_link_up(n)) {
        return n;
    }
    NETIF_FOREACH(n) {
        if (n != f->netif && netif_is_up(n) && netif_is_link_up(n) && !ip4_addr_isany(netif_ip4_addr(n))) {
            return n;
        }
    }
    return NULL;
}

/* Only an interface that is up may be the default: lwIP routes nothing through a default
 * that is down (ip4_route), so taking it would cut every off-link destination. */
static void
take_default(struct mqttvpn_iface *f)
{
    if (netif_default != f->netif && netif_is_up(f->netif)) {
        f->prev_default = netif_default != NULL ? netif_get_index(netif_default) : 0;
        netif_set_default(f->netif);
    }
}

static void
give_back_default(struct mqttvpn_iface *f)
{
    if (netif_default == f->netif) {
        netif_set_default(other_default(f));
    }
    f->prev_default = 0;
}

void
mqttvpn_iface_detach(struct mqttvpn_iface *f)
{
    LWIP_ASSERT_CORE_LOCKED();
    if (f->attached) {
        give_back_default(f);
        mqttvpn_netif_detach(f->netif);
        f->attached = 0;
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
    struct netif *nif = f->netif;
    ip4_addr_t old_ip, new_ip;
    ip_addr_t topic_addr;
    err_t err = ERR_OK;

    LWIP_ASSERT_CORE_LOCKED();
    if (!f->attached) {
        return ERR_IF;
    }
    ip4_addr_copy(old_ip, *netif_ip4_addr(nif));
    new_ip = ip != NULL ? *ip : old_ip;
    netif_set_addr(nif, &new_ip, mask != NULL ? mask : netif_ip4_netmask(nif),
                   gw != NULL ? gw : netif_ip4_gw(nif));
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
    err_t err;

    LWIP_ASSERT_CORE_LOCKED();
    if (!f->attached) {
        return ERR_IF;
    }
    f->connected = connected != 0;
    if (!f->connected) {
        give_back_default(f); /* first: the reconnection must not be routed into the VPN */
    }
    err = mqttvpn_netif_set_connected(f->netif, connected);
    if (f->connected && f->default_route) {
        take_default(f);
    }
    return err;
}

void
mqttvpn_iface_set_default_route(struct mqttvpn_iface *f, int on)
{
    LWIP_ASSERT_CORE_LOCKED();
    f->default_route = on != 0;
    if (!f->attached) {
        return;
    }
    if (f->default_route && f->connected) {
        take_default(f);
    } else if (!f->default_route) {
        give_back_default(f);
    }
}

void
mqttvpn_iface_keep_default_route(struct mqttvpn_iface *f)
{
    LWIP_ASSERT_CORE_LOCKED();
    if (f->attached && f->connected && f->default_route && netif_default != f->netif) {
        take_default(f);
    }
}

err_t
mqttvpn_iface_set_broker(struct mqttvpn_iface *f, const ip_addr_t *broker)
{
    struct netif *via = NULL;

    LWIP_ASSERT_CORE_LOCKED();
    if (!f->attached) {
        return ERR_IF;
    }
    if (broker != NULL) {
#if LWIP_IPV6
        via = IP_IS_V6(broker) ? ip6_route(IP6_ADDR_ANY6, ip_2_ip6(broker)) : ip4_route(ip_2_ip4(broker));
#else
        via = ip4_route(ip_2_ip4(broker));
#endif
        if (via == NULL || via == f->netif) {
            (void)mqttvpn_netif_set_bypass(f->netif, NULL, NULL);
            return ERR_RTE;
        }
    }
    return mqttvpn_netif_set_bypass(f->netif, broker, via);
}

err_t
mqttvpn_iface_unsubscribe(struct mqttvpn_iface *f)
{
    char topic[MQTTVPN_TOPIC_MAX];
    size_t i, n;

    LWIP_ASSERT_CORE_LOCKED();
    if (!f->attached) {
        return ERR_IF;
    }
    n = mqttvpn_netif_topic_count(f->netif);
    for (i = 0; i < n; i++) {
        if (mqttvpn_netif_topic(f->netif, i, topic, sizeof(topic)) > 0) {
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
    if (!f->attached) {
        return ERR_IF;
    }
    if (is_target(f, u)) {
        return ERR_OK;
    }
    if (f->n_targets >= MQTTVPN_MAX_TOPICS) {
        return ERR_MEM;
    }
    ip_addr_copy_from_ip4(a, *target);
    err = mqttvpn_netif_add_reading_topic(f->netif, &a);
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
    for (i = 0; i < f->n_targets && f->attached; i++) {
        ip4_addr_set_u32(&t, f->targets[i]);
        /* The own address and broadcast stay readable even if they were also added as targets. */
        if (ip4_addr_cmp(&t, netif_ip4_addr(f->netif)) || ip4_addr_isbroadcast_u32(f->targets[i], f->netif)) {
            continue;
        }
        ip_addr_copy_from_ip4(a, t);
        (void)mqttvpn_netif_remove_reading_topic(f->netif, &a);
    }
    f->n_targets = 0;
}

err_t
mqttvpn_iface_set_password(struct mqttvpn_iface *f, const char *password)
{
    mqttvpn_key_t key;
    err_t err;

    LWIP_ASSERT_CORE_LOCKED();
    if (!f->attached) {
        return ERR_IF;
    }
    mqttvpn_key_from_password(&key, password);
    err = mqttvpn_netif_set_key(f->netif, &key);
    mqttvpn_wipe(&key, sizeof(key));
    return err;
}
