/*
 * The MQTT-VPN lwIP network interface: IP packets leave as MQTT messages on
 * <prefix>/<next hop> and arrive from the reading topics (PROTOCOL.md).
 *
 * Usage, all in the lwIP core context (NO_SYS=1 main loop, the tcpip thread, or between
 * LOCK_TCPIP_CORE()/UNLOCK_TCPIP_CORE()):
 *
 *   struct mqttvpn_netif_config cfg = { .topic_prefix = "mqttip", .platform = client };
 *   mqttvpn_key_from_password(&cfg.key, password);          // "" or NULL: no encryption
 *   mqttvpn_netif_attach(&nif, &cfg);                        // before netif_add
 *   netif_add(&nif, &ip, &mask, &gw, my_state, mqttvpn_netif_init, netif_input);
 *   mqttvpn_netif_add_reading_topic(&nif, &nat_target);     // optional, also own IPv6
 *   netif_set_up(&nif); netif_set_default(&nif);
 *   on MQTT connect:     mqttvpn_netif_set_connected(&nif, 1);   // subscribes, link up
 *   on MQTT disconnect:  mqttvpn_netif_set_connected(&nif, 0);   // link down
 *   on MQTT message:     mqttvpn_netif_input(&nif, topic, topic_len, data, data_len);
 *   at the end:          mqttvpn_netif_remove(&nif);   // or detach, when someone else removes it
 *
 * netif->state is never the driver's: it stays whatever the platform handed netif_add
 * (NULL, its own object, or on ESP-IDF the esp_netif_t, which esp_netif's lwIP callbacks read
 * and write). The driver finds its state by the netif's address in a small table filled by
 * mqttvpn_netif_attach (MQTTVPN_MAX_NETIFS entries). Why not lwIP's netif client data: the
 * ESP8266 core's precompiled lwIP and ESP-IDF's default configuration have
 * LWIP_NUM_NETIF_CLIENT_DATA 0.
 *
 * Reaching the core context from an MQTT client's callback:
 *   NO_SYS=1 (ESP8266 Arduino): the client's callback already runs in the main loop.
 *   LWIP_TCPIP_CORE_LOCKING=1 (host-sim): LOCK_TCPIP_CORE(); mqttvpn_netif_input(...);
 *     UNLOCK_TCPIP_CORE(); around each message.
 *   NO_SYS=0 without core locking (ESP-IDF's default): copy the message and run the call
 *     on the tcpip thread with tcpip_try_callback() (it never blocks; count a failure).
 * Received packets go to the config's input function, or netif->input when it has none:
 * netif_input (or ip_input) processes the packet at once, in that same core context;
 * tcpip_input queues it for the tcpip thread. The config is copied: it may live on the
 * caller's stack. The platform hooks are in hooks.h.
 *
 * Topics of outgoing packets: <prefix>/<next hop>. lwIP hands netif->output and
 * output_ip6 the packet's destination and leaves the choice of the next hop to the link
 * layer (etharp_output, ND), so the driver makes that choice as etharp_output does:
 *   IPv4: broadcast, multicast, link-local (169.254/16) and on-link destinations (the
 *         netif's address and netmask) are their own next hop; any other goes to the
 *         netif's gateway, or to its own topic when the netif has no gateway (a node
 *         reading it as a NAT target may pick it up, as with the original firmware).
 *   IPv6: on-link (prefix6_len bits of a valid netif address in common) and link-local
 *         destinations are their own next hop; others go to gateway6 if configured.
 *         Multicast (ff00::/8: neighbour discovery, MLD, router solicitation) is not
 *         carried by the classic protocol: counted in tx_multicast6, not sent.
 * One exception, the bypass (mqttvpn_netif_set_bypass): packets for the broker's own
 * address never enter the tunnel. When the VPN is the default route and lwIP has no
 * source routing (the ESP8266 core), the broker's TCP session would otherwise be routed
 * into the tunnel it carries; the driver hands such packets to the interface that
 * reached the broker, as a host route would.
 */
#ifndef MQTTVPN_NETIF_H
#define MQTTVPN_NETIF_H

#include <stddef.h>
#include <stdint.h>

#include "lwip/err.h"
#include "lwip/ip_addr.h"
#include "lwip/netif.h"

#include "mqttvpn/codec.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Reading topics of one interface, own address and broadcast included. */
#ifndef MQTTVPN_MAX_TOPICS
#define MQTTVPN_MAX_TOPICS 10u  /* override with -DMQTTVPN_MAX_TOPICS=... (or in lwipopts.h) */
#endif

#define MQTTVPN_DEFAULT_TOPIC_PREFIX "mqttip"

/* Interfaces the driver can be attached to at once (the state table's size). */
#ifndef MQTTVPN_MAX_NETIFS
#define MQTTVPN_MAX_NETIFS 2u   /* override with -DMQTTVPN_MAX_NETIFS=... */
#endif

/* Given to mqttvpn_netif_attach, which copies it. */
struct mqttvpn_netif_config {
    const char *topic_prefix; /* NULL: "mqttip"; 1..MQTTVPN_TOPIC_PREFIX_MAX chars, no + or # */
    mqttvpn_key_t key;        /* key.encrypted == 0: frames are the plain packets */
    void *platform;           /* handed back to the publish/subscribe hooks */
    netif_input_fn input;     /* where received packets go; NULL: netif->input (netif_add's) */
    uint8_t gateway6[16];     /* IPv6 next hop for off-link destinations; all zeros: none */
    uint8_t prefix6_len;      /* on-link prefix of the netif's IPv6 addresses; 0: 64 */
    uint8_t route_for_others; /* nonzero: received packets for any destination go to lwIP (a
                                 gateway other nodes send through); 0: only those for this node
                                 (see mqttvpn_netif_input), the others are counted in rx_not_for_us */
};

/* Counters wrap at 2^32. Bytes are IP packet bytes, without the frame overhead. */
struct mqttvpn_netif_counters {
    uint32_t rx_packets;      /* handed to lwIP */
    uint32_t rx_bytes;
    uint32_t rx_dropped[MQTTVPN_DROP_COUNT]; /* by the codec's reasons (mqttvpn_drop_name) */
    uint32_t rx_unexpected_topic; /* a message on a topic that is not a reading topic */
    uint32_t rx_not_for_us;   /* drop_not_for_us: a valid packet for an address that is not this
                                 node's (route_for_others off) */
    uint32_t rx_no_memory;    /* no pbuf, or netif->input refused the packet */
    uint32_t tx_packets;      /* published */
    uint32_t tx_bytes;
    uint32_t tx_publish_failed; /* not connected, or mqttvpn_hook_publish returned 0 */
    uint32_t tx_no_random;    /* mqttvpn_hook_random failed: packet not sent */
    uint32_t tx_too_long;     /* longer than MQTTVPN_MTU */
    uint32_t tx_multicast6;   /* IPv6 multicast: not carried */
    uint32_t tx_bypassed;     /* for the bypass address: sent through its interface instead */
    uint32_t tx_bypass_failed;/* for the bypass address, but its interface was gone or down */
};

/*
 * Attaches the driver to netif, before netif_add (or esp_netif_start) adds it: copies the
 * config and reads the broadcast topic <prefix>/255.255.255.255. netif->state is not
 * touched. Returns ERR_ARG for a bad prefix or prefix6_len, ERR_VAL when netif is attached
 * already, ERR_MEM when the state cannot be allocated or MQTTVPN_MAX_NETIFS are attached.
 */
err_t mqttvpn_netif_attach(struct netif *netif, const struct mqttvpn_netif_config *cfg);

/*
 * netif_add init function of an attached netif: name "mq", MTU MQTTVPN_MTU, no ARP, link
 * down (mqttvpn_netif_set_connected raises it), the output functions, and the reading
 * topic <prefix>/<netif IPv4 address> if netif_add set one. netif->state is not touched.
 * Returns ERR_IF when netif was not attached first.
 */
err_t mqttvpn_netif_init(struct netif *netif);

/*
 * Ends the driver's part: unsubscribes if connected, lowers the link it raised, frees the
 * state (the key is wiped). The netif stays in lwIP, sending nothing (its outputs return
 * ERR_IF): for platforms that remove it themselves (esp_netif_destroy). Safe on a netif
 * that is not attached. Core context.
 */
void mqttvpn_netif_detach(struct netif *netif);

/* mqttvpn_netif_detach, then netif_remove(). The netif struct itself stays the caller's. */
void mqttvpn_netif_remove(struct netif *netif);

/* Whether netif is attached to the driver. */
int mqttvpn_netif_is_attached(const struct netif *netif);

/* Replaces the key (a new VPN password) in place: from the next packet on. ERR_IF: not attached. */
err_t mqttvpn_netif_set_key(struct netif *netif, const mqttvpn_key_t *key);

/*
 * Packets for addr are sent through the interface via instead of the tunnel (see the
 * bypass above); addr NULL or via NULL: no bypass. One address per interface. ERR_ARG
 * when via is netif itself or an address type this lwIP build lacks; ERR_IF: not attached.
 */
err_t mqttvpn_netif_set_bypass(struct netif *netif, const ip_addr_t *addr, struct netif *via);

/*
 * Whether received packets for any destination go to lwIP (nonzero: a node that routes for
 * others, e.g. the gateway other devices name) or only those for this node (0, the default).
 * ERR_IF: not attached. Core context.
 */
err_t mqttvpn_netif_set_route_for_others(struct netif *netif, int on);

/*
 * Hands one received MQTT message to the interface: one whole message (reassemble
 * esp-mqtt's MQTT_EVENT_DATA fragments first). topic need not be NUL-terminated; frame is
 * only read during the call (the caller keeps ownership). A message on a topic
 * that is not a reading topic, or a frame the codec rejects, is counted and dropped.
 * Unless route_for_others is set, so is a packet whose destination is not for this node: not
 * one of the netif's addresses, a reading topic's address (a NAT target, the own IPv6
 * address), the IPv4 broadcast (255.255.255.255 or the subnet's) or multicast (IPv4 224/4,
 * IPv6 ff00::/8); counted in rx_not_for_us, returns ERR_RTE. The Java host applies the same
 * rule (OwnDestinations).
 * Core context; not reentrant; never blocks; bounded work: one frame, one pbuf.
 * Returns ERR_OK when the packet went to the input function, else why not (counted;
 * ERR_IF: netif is not attached).
 */
err_t mqttvpn_netif_input(struct netif *netif, const char *topic, size_t topic_len,
                          const uint8_t *frame, size_t len);

/*
 * Tells the interface the MQTT session is up (nonzero) or gone (0). Up: subscribes every
 * reading topic, then link up. Down: link down, so lwIP stops routing to it.
 * Core context. Returns ERR_IF if a subscription could not be requested (the link still
 * comes up; call again on the next connection), or when netif is not attached.
 */
err_t mqttvpn_netif_set_connected(struct netif *netif, int connected);

/*
 * Adds <prefix>/<addr> to the reading topics (NAT targets, the own IPv6 address) and
 * subscribes it at once when connected. Adding a present topic is a no-op. Returns ERR_MEM
 * when MQTTVPN_MAX_TOPICS are in use (nothing is added), ERR_ARG for an address type this
 * lwIP build lacks, ERR_IF when connected but the subscribe hook failed (the topic stays).
 */
err_t mqttvpn_netif_add_reading_topic(struct netif *netif, const ip_addr_t *addr);

/* Removes <prefix>/<addr> (unsubscribing when connected). ERR_VAL if it was not there. */
err_t mqttvpn_netif_remove_reading_topic(struct netif *netif, const ip_addr_t *addr);

/* Number of reading topics, and the i-th as "<prefix>/<addr>" in out (MQTTVPN_TOPIC_MAX
 * bytes); returns strlen, 0 when i is out of range. For logs and status pages. */
size_t mqttvpn_netif_topic_count(struct netif *netif);
size_t mqttvpn_netif_topic(struct netif *netif, size_t i, char *out, size_t cap);

/* Snapshot of the counters (all zero when not attached). Core context (the driver updates
 * them there). */
void mqttvpn_netif_get_counters(struct netif *netif, struct mqttvpn_netif_counters *out);

#ifdef __cplusplus
}
#endif
#endif /* MQTTVPN_NETIF_H */
