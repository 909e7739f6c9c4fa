/*
 * The mqttvpn interface as an ESP platform manages it: the netif driver (mqttvpn/netif.h)
 * plus what the original MQTT_VPN API lets a sketch change later — addresses, NAT targets,
 * the password — and the MQTT session state the driver needs to hear about.
 *
 * Why addresses are never handed to netif_add: lwIP runs its netif "ext status" callbacks
 * on every IPv4 change, and ESP-IDF 5.x registers one (esp_netif_lwip.c, netif_callback_fn)
 * that takes netif->state for an esp_netif_t unless LWIP_ESP_NETIF_DATA is set; it crashes
 * on a netif that is not an esp_netif (esp-idf issue #9643, trombik/esp_wireguard #33, #59).
 * netif_add() sets the addresses while netif->state is still the config pointer, so here
 * the netif is added with none, and every later change goes through
 * mqttvpn_iface_set_addr(), which hides the driver's state (NULL: esp_netif then returns
 * at once) and parks its output functions while lwIP applies it.
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
#include "lwip/netif.h"

#include "mqttvpn/netif.h"

#ifdef __cplusplus
extern "C" {
#endif

struct mqttvpn_iface {
    struct netif netif;
    void *platform;                         /* handed to the hooks */
    netif_input_fn input;                   /* what netif_add got: ip_input on the ESPs */
    char prefix[MQTTVPN_TOPIC_PREFIX_MAX + 1];
    uint32_t targets[MQTTVPN_MAX_TOPICS];   /* NAT targets (network order), for flush and rekey */
    uint8_t n_targets;
    uint8_t added;
    uint8_t connected;                      /* what the driver was last told */
};

/*
 * Adds the interface: prefix (NULL: "mqttip"), password (NULL or "": no encryption),
 * addresses (NULL: 0.0.0.0), input (NULL: ip_input). Reads <prefix>/<ip> and the broadcast
 * topic. The interface stays down (netif_set_up is the caller's) and disconnected.
 * Returns ERR_ARG for a bad prefix, ERR_MEM without memory, ERR_IF if lwIP refused it.
 */
err_t mqttvpn_iface_add(struct mqttvpn_iface *f, const char *prefix, const char *password,
                        void *platform, const ip4_addr_t *ip, const ip4_addr_t *mask,
                        const ip4_addr_t *gw, netif_input_fn input);

/* Removes the interface (unsubscribing when connected). Safe to call when not added. */
void mqttvpn_iface_remove(struct mqttvpn_iface *f);

/*
 * Changes addresses (NULL: keep that one) the way ESP-IDF's esp_netif survives (see above),
 * and moves the own-address reading topic along. An interface that is up goes down for the
 * change and up again, so no packet is routed into it meanwhile.
 */
err_t mqttvpn_iface_set_addr(struct mqttvpn_iface *f, const ip4_addr_t *ip, const ip4_addr_t *mask,
                             const ip4_addr_t *gw);

/* Tells the driver the MQTT session is up (subscribes every reading topic) or gone. */
err_t mqttvpn_iface_set_connected(struct mqttvpn_iface *f, int connected);

/*
 * Unsubscribes every reading topic through mqttvpn_hook_unsubscribe and lowers the link, as
 * the original mqtt_if_unsubscribe does; the topics stay, and the next connection subscribes
 * them again. ERR_IF when the interface is not added.
 */
err_t mqttvpn_iface_unsubscribe(struct mqttvpn_iface *f);

/* Also reads <prefix>/<target>. ERR_MEM when MQTTVPN_MAX_TOPICS are used; present: ERR_OK. */
err_t mqttvpn_iface_add_target(struct mqttvpn_iface *f, const ip4_addr_t *target);

/* Stops reading every topic added with mqttvpn_iface_add_target. */
void mqttvpn_iface_flush_targets(struct mqttvpn_iface *f);

/*
 * Changes the VPN password. The driver takes its key only when it is added, so the
 * interface is rebuilt with the same addresses, targets, MTU, up/default state and session:
 * lwIP may give it a new netif number (NAPT is enabled by number: enable it afterwards).
 * On failure the interface is gone (f->added == 0) and the error is returned.
 */
err_t mqttvpn_iface_set_password(struct mqttvpn_iface *f, const char *password);

#ifdef __cplusplus
}
#endif
#endif /* MQTTVPN_GLUE_IFACE_H */
