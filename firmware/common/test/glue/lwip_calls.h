/*
 * What the glue hands to lwIP's netif_add and netif_set_addr, recorded by wrappers (the glue
 * test links with -Wl,--wrap=netif_add,--wrap=netif_set_addr): the ESP-IDF crash the glue
 * avoids (mqttvpn/glue/iface.h) happens exactly when these see an address, or the driver's
 * state, at the wrong moment.
 */
#ifndef MQTTVPN_TEST_LWIP_CALLS_H
#define MQTTVPN_TEST_LWIP_CALLS_H

struct lwip_calls {
    unsigned netif_add_calls;
    unsigned netif_add_with_address;      /* calls that passed a non-zero IPv4 address/mask/gw */
    unsigned netif_set_addr_calls;
    unsigned netif_set_addr_state_visible; /* calls made while netif->state was not NULL */
    unsigned netif_set_addr_output_live;   /* calls made while netif->output could reach the driver */
    unsigned netif_set_addr_while_up;      /* calls made while the netif was up (routable) */
    void *driver_output;                  /* the driver's output4, learnt after netif_add */
};

extern struct lwip_calls lwip_calls;

#endif
