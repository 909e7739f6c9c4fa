/*
 * A Wi-Fi station stand-in for the host tests that run lwIP with more than the VPN's netif
 * (default route, the broker bypass): 192.168.1.50/24 via 192.168.1.1, up, link up, the
 * default route; its output keeps what lwIP sends through it instead of sending it. One per
 * test program (header-only, C and C++).
 */
#ifndef MQTTVPN_TEST_STATION_H
#define MQTTVPN_TEST_STATION_H

#include <string.h>

#include "lwip/ip4_addr.h"
#include "lwip/ip.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"

static struct netif sta;
static unsigned sta_sent;          /* packets lwIP sent through it */
static ip4_addr_t sta_last_dest;   /* the destination of the last one */
/* When set, also gets every packet lwIP sends through it (a host on the station's LAN); the
 * pbuf stays lwIP's. sta_add leaves it as it is. */
static void (*sta_tap)(struct pbuf *p, const ip4_addr_t *dest);

static inline err_t sta_output(struct netif *netif, struct pbuf *p, const ip4_addr_t *dest)
{
    (void)netif;
    sta_sent++;
    ip4_addr_copy(sta_last_dest, *dest);
    if (sta_tap != NULL) {
        sta_tap(p, dest);
    }
    return ERR_OK;
}

static inline err_t sta_init(struct netif *netif)
{
    netif->output = sta_output;
    netif->mtu = 1500;
    netif->flags = NETIF_FLAG_BROADCAST;
    netif->name[0] = 's';
    netif->name[1] = 't';
    return ERR_OK;
}

/* Adds the station and makes it the default route, as the platform's Wi-Fi code does. */
static inline void sta_add(void)
{
    ip4_addr_t a, m, g;

    IP4_ADDR(&a, 192, 168, 1, 50);
    IP4_ADDR(&m, 255, 255, 255, 0);
    IP4_ADDR(&g, 192, 168, 1, 1);
    sta_sent = 0;
    memset(&sta, 0, sizeof(sta));
    if (netif_add(&sta, &a, &m, &g, NULL, sta_init, ip_input) != NULL) {
        netif_set_up(&sta);
        netif_set_link_up(&sta);
        netif_set_default(&sta);
    }
}

#endif
