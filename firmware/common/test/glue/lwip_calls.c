#include "lwip_calls.h"

#include <stddef.h>

#include "lwip/ip4_addr.h"
#include "lwip/netif.h"

struct lwip_calls lwip_calls;

struct netif *__real_netif_add(struct netif *netif, const ip4_addr_t *ipaddr, const ip4_addr_t *netmask,
                               const ip4_addr_t *gw, void *state, netif_init_fn init, netif_input_fn input);
void __real_netif_set_addr(struct netif *netif, const ip4_addr_t *ipaddr, const ip4_addr_t *netmask,
                           const ip4_addr_t *gw);
struct netif *__wrap_netif_add(struct netif *netif, const ip4_addr_t *ipaddr, const ip4_addr_t *netmask,
                               const ip4_addr_t *gw, void *state, netif_init_fn init, netif_input_fn input);
void __wrap_netif_set_addr(struct netif *netif, const ip4_addr_t *ipaddr, const ip4_addr_t *netmask,
                           const ip4_addr_t *gw);

static int nonzero(const ip4_addr_t *a)
{
    return a != NULL && !ip4_addr_isany(a);
}

struct netif *__wrap_netif_add(struct netif *netif, const ip4_addr_t *ipaddr, const ip4_addr_t *netmask,
                               const ip4_addr_t *gw, void *state, netif_init_fn init, netif_input_fn input)
{
    struct netif *r;
    lwip_calls.netif_add_calls++;
    /* lwIP applies these before init() replaces state: an ext callback would see the config. */
    if (nonzero(ipaddr) || nonzero(netmask) || nonzero(gw)) {
        lwip_calls.netif_add_with_address++;
    }
    r = __real_netif_add(netif, ipaddr, netmask, gw, state, init, input);
    if (r != NULL) {
        lwip_calls.driver_output = (void *)r->output;
    }
    return r;
}

void __wrap_netif_set_addr(struct netif *netif, const ip4_addr_t *ipaddr, const ip4_addr_t *netmask,
                           const ip4_addr_t *gw)
{
    lwip_calls.netif_set_addr_calls++;
    if (netif->state != NULL) {
        lwip_calls.netif_set_addr_state_visible++;
    }
    if ((void *)netif->output == lwip_calls.driver_output) {
        lwip_calls.netif_set_addr_output_live++;
    }
    if (netif_is_up(netif)) {
        lwip_calls.netif_set_addr_while_up++;
    }
    __real_netif_set_addr(netif, ipaddr, netmask, gw);
}
