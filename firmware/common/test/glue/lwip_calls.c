#include "lwip_calls.h"

#include <stddef.h>

#include "lwip/ip4_addr.h"
#include "lwip/netif.h"

struct lwip_calls lwip_calls;

/* The model of netif_callback_fn's status branch (see lwip_calls.h). */
static void esp_netif_callback(struct netif *netif)
{
    struct fake_esp_netif *esp_netif = (struct fake_esp_netif *)netif->state;
    uint8_t now_up = netif_is_up(netif) ? 1u : 0u;

    lwip_calls.callbacks++;
    if (esp_netif == NULL || esp_netif->magic != FAKE_ESP_NETIF_MAGIC) {
        lwip_calls.state_not_platform++;
    }
    if (esp_netif != NULL && now_up != esp_netif->last_status_up) {
        esp_netif->last_status_up = now_up; /* as IDF 6.0 does, whatever netif->state points at */
        esp_netif->status_events++;
    }
}

#define WRAP_VOID(name)                                        \
    void __real_##name(struct netif *netif);                   \
    void __wrap_##name(struct netif *netif);                   \
    void __wrap_##name(struct netif *netif)                    \
    {                                                          \
        __real_##name(netif);                                  \
        esp_netif_callback(netif);                             \
    }

WRAP_VOID(netif_set_up)
WRAP_VOID(netif_set_down)
WRAP_VOID(netif_set_link_up)
WRAP_VOID(netif_set_link_down)

void __real_netif_set_addr(struct netif *netif, const ip4_addr_t *ipaddr, const ip4_addr_t *netmask,
                           const ip4_addr_t *gw);
void __wrap_netif_set_addr(struct netif *netif, const ip4_addr_t *ipaddr, const ip4_addr_t *netmask,
                           const ip4_addr_t *gw);
void __wrap_netif_set_addr(struct netif *netif, const ip4_addr_t *ipaddr, const ip4_addr_t *netmask,
                           const ip4_addr_t *gw)
{
    __real_netif_set_addr(netif, ipaddr, netmask, gw);
    esp_netif_callback(netif);
}

struct netif *__real_netif_add(struct netif *netif, const ip4_addr_t *ipaddr, const ip4_addr_t *netmask,
                               const ip4_addr_t *gw, void *state, netif_init_fn init, netif_input_fn input);
struct netif *__wrap_netif_add(struct netif *netif, const ip4_addr_t *ipaddr, const ip4_addr_t *netmask,
                               const ip4_addr_t *gw, void *state, netif_init_fn init, netif_input_fn input);
struct netif *__wrap_netif_add(struct netif *netif, const ip4_addr_t *ipaddr, const ip4_addr_t *netmask,
                               const ip4_addr_t *gw, void *state, netif_init_fn init, netif_input_fn input)
{
    struct netif *r;

    lwip_calls.netif_add_calls++;
    r = __real_netif_add(netif, ipaddr, netmask, gw, state, init, input);
    if (r != NULL) {
        if (r->state != state) {
            lwip_calls.state_changed_by_init++;
        }
        esp_netif_callback(r); /* lwIP reports the addresses netif_add set */
    }
    return r;
}
