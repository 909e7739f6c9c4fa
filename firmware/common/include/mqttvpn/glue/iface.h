/*
 * The mqttvpn interface as an ESP platform manages it: the netif driver (mqttvpn/netif.h)
 * plus what the original MQTT_VPN API lets a sketch change later — addresses, NAT targets,
 * the password — the MQTT session state the driver needs to hear about, and the default
 * route.
 *
 * The netif is the platform's: a struct netif of its own that it adds with netif_add (the
 * ESP8266 core), or the one esp_netif allocates and adds in esp_netif_start (ESP-IDF). The
 * glue attaches the driver to it before it is added and never touches netif->state, which
 * stays the platform's (on ESP-IDF the esp_netif_t that esp_netif's lwIP callbacks use).
 *
 * Default route. A VPN that is the default route must not take the route to its own
 * broker: lwIP routes to a netif only while its link is up, and the link comes up only
 * once MQTT is connected, so the VPN is made the default when its link comes up and the
 * previous default is restored when it goes down (the broker is then reached, and
 * reconnected, as before). While it is up, the broker's TCP session would be routed into
 * the tunnel wherever lwIP routes by destination only (the ESP8266 core): the driver's
 * bypass sends packets for the broker's address through the interface that reached it
 * (mqttvpn_iface_set_broker, on every connection, so a re-resolved address is followed).
 *
 * All functions run in the lwIP core context (see mqttvpn/hooks.h). Portable C99: lwIP
 * headers and ours only. IPv4: the ESP APIs configure IPv4 addresses only.
 */
#ifndef MQTTVPN_GLUE_IFACE_H
#define MQTTVPN_GLUE_IFACE_H

#include <stddef.h>
#include <stdint.h>

#include "lwip/err.h"
#include "lwip/ip4_addr.h"
#include "lwip/ip_addr.h"
#include "lwip/netif.h"

#include "mqttvpn/netif.h"

#ifdef __cplusplus
extern "C" {
#endif

struct mqttvpn_iface {
    struct netif *netif;                    /* the platform's netif (see above) */
    void *platform;                         /* handed to the hooks */
    uint32_t targets[MQTTVPN_MAX_TOPICS];   /* NAT targets (network order), for flush */
    uint8_t n_targets;
    uint8_t attached;
    uint8_t connected;                      /* what the driver was last told */
    uint8_t default_route;                  /* the VPN is the default route while its link is up */
    uint8_t prev_default;                   /* index of the default it took over; 0: none */
};

/*
 * Attaches the driver to netif, before the platform adds it (netif_add with
 * mqttvpn_netif_init, or esp_netif_start): prefix (NULL: "mqttip"), password (NULL or "":
 * no encryption), input (NULL: netif->input). Reads the broadcast topic, and <prefix>/<ip>
 * once netif_add has set the address. The interface stays disconnected.
 * Returns ERR_ARG for a bad prefix (logged, with how to fix it), ERR_MEM without memory.
 */
err_t mqttvpn_iface_attach(struct mqttvpn_iface *f, struct netif *netif, const char *prefix,
                           const char *password, void *platform, netif_input_fn input);

/*
 * Detaches the driver (unsubscribing when connected) and gives the default route back if
 * the VPN had it. The netif stays the platform's to remove. Safe when not attached.
 */
void mqttvpn_iface_detach(struct mqttvpn_iface *f);

/*
 * Changes addresses (NULL: keep that one) with netif_set_addr and moves the own-address
 * reading topic along (an old address that is also a NAT target stays readable).
 */
err_t mqttvpn_iface_set_addr(struct mqttvpn_iface *f, const ip4_addr_t *ip, const ip4_addr_t *mask,
                             const ip4_addr_t *gw);

/*
 * Tells the driver the MQTT session is up (subscribes every reading topic, link up, and the
 * default route if asked for) or gone (link down, default route given back).
 */
err_t mqttvpn_iface_set_connected(struct mqttvpn_iface *f, int connected);

/*
 * Whether the VPN is to be the default route while its link is up. Takes effect at once
 * when connected.
 */
void mqttvpn_iface_set_default_route(struct mqttvpn_iface *f, int on);

/*
 * Takes the default route again if the VPN should have it and another interface took it
 * meanwhile (the platform's Wi-Fi code sets its own when it reconnects). For the
 * platform's periodic service; cheap when nothing changed.
 */
void mqttvpn_iface_keep_default_route(struct mqttvpn_iface *f);

/*
 * The broker was reached at broker (after each successful connection, before
 * mqttvpn_iface_set_connected raises the link): packets for it keep going through the
 * interface lwIP routes them to now, also after the VPN becomes the default route.
 * NULL: no bypass. ERR_RTE when nothing but the VPN routes to it.
 */
err_t mqttvpn_iface_set_broker(struct mqttvpn_iface *f, const ip_addr_t *broker);

/*
 * Unsubscribes every reading topic through mqttvpn_hook_unsubscribe and lowers the link, as
 * the original mqtt_if_unsubscribe does; the topics stay, and the next connection subscribes
 * them again. ERR_IF when the interface is not attached.
 */
err_t mqttvpn_iface_unsubscribe(struct mqttvpn_iface *f);

/* Also reads <prefix>/<target>. ERR_MEM when MQTTVPN_MAX_TOPICS are used; present: ERR_OK. */
err_t mqttvpn_iface_add_target(struct mqttvpn_iface *f, const ip4_addr_t *target);

/* Stops reading every topic added with mqttvpn_iface_add_target. */
void mqttvpn_iface_flush_targets(struct mqttvpn_iface *f);

/* Changes the VPN password: frames are sealed and opened with the new key from now on. */
err_t mqttvpn_iface_set_password(struct mqttvpn_iface *f, const char *password);

#ifdef __cplusplus
}
#endif
#endif /* MQTTVPN_GLUE_IFACE_H */
