/*
 * mqtt_vpn: IP over MQTT for ESP-IDF (esp-mqtt + lwIP), wire-compatible with MQTT_VPN.
 *
 *   mqtt_vpn_config_t cfg = MQTT_VPN_CONFIG_DEFAULT();
 *   cfg.broker_uri = "mqtt://broker.local";
 *   cfg.key = "a long random password";
 *   IP4_ADDR(&cfg.ipaddr, 10, 0, 1, 3);
 *   mqtt_vpn_handle_t vpn;
 *   ESP_ERROR_CHECK(mqtt_vpn_start(&cfg, &vpn));   // after esp_netif_init and the event loop
 *
 * The original ESP32 example's mqtt_vpn_if_init() is in mqttif.h, unchanged.
 * Firmware updates over the network: cfg.ota_password (README.md, OTA).
 */
#ifndef MQTT_VPN_H
#define MQTT_VPN_H

#include <stdbool.h>
#include <stdint.h>
#include "esp_err.h"
#include "esp_netif.h"
#include "lwip/ip4_addr.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mqtt_vpn *mqtt_vpn_handle_t;

#ifndef CONFIG_MQTT_VPN_MAX_BROKERS
#include "sdkconfig.h"
#endif

typedef struct {
    const char *broker_uri;      /* mqtt://host[:1883] or mqtts://host[:8883]; the first (home) broker */
    /* Failover (README.md): more brokers after broker_uri, each with its port
       (mqtt://host:port), NULL ending the list; at most CONFIG_MQTT_VPN_MAX_BROKERS in all. */
    const char *more_broker_uris[CONFIG_MQTT_VPN_MAX_BROKERS - 1 > 0 ? CONFIG_MQTT_VPN_MAX_BROKERS - 1 : 1];
    bool broker_order_random;    /* false: in list order; true: a new random order every round */
    uint32_t broker_return_s;    /* 0: stay; else, while on another broker than the first, leave it
                                    this often to try the first again */
    const char *username;        /* broker user, or NULL */
    const char *password;        /* broker password, or NULL */
    const char *client_id;       /* NULL: MQTT_VPN_<random> */
    const char *broker_cert_pem; /* CA of an mqtts:// broker (PEM), or NULL for the bundle */
    const char *topic_prefix;    /* NULL: CONFIG_MQTT_VPN_TOPIC_PREFIX ("mqttip") */
    const char *key;             /* the VPN's pre-shared key (a password); NULL or "" = none */
    ip4_addr_t ipaddr;
    ip4_addr_t netmask;
    ip4_addr_t gw;
    bool default_route;          /* the VPN is the default route while the broker is connected */
    bool route_for_others;       /* hand lwIP packets for any address: a device other nodes name as
                                    their gateway; false: only those for this device, its reading
                                    topics (NAT targets), broadcast, multicast (drop_not_for_us) */
    const char *ota_password;    /* firmware updates over the network (README.md, OTA); NULL or "": none */
    uint32_t ota_rollback_timeout_ms; /* a new image must rejoin the VPN within this; 0: 120000 */
} mqtt_vpn_config_t;

#define MQTT_VPN_CONFIG_DEFAULT() { \
    .broker_uri = NULL, .more_broker_uris = { NULL }, .broker_order_random = false, .broker_return_s = 0, \
    .username = NULL, .password = NULL, .client_id = NULL, \
    .broker_cert_pem = NULL, .topic_prefix = NULL, .key = NULL, \
    .ipaddr = { 0 }, .netmask = { PP_HTONL(0xffffff00UL) }, .gw = { 0 }, .default_route = false, \
    .route_for_others = false, .ota_password = NULL, .ota_rollback_timeout_ms = 0 }

typedef struct {
    uint32_t tx_packets, tx_bytes, rx_packets, rx_bytes;
    uint32_t drop_too_short, drop_auth_failed, drop_not_ip, drop_too_long;
    uint32_t drop_queue_full, drop_unexpected_topic, reconnects;
    uint32_t drop_not_for_us;    /* packets for an address that is not this device's (route_for_others off) */
} mqtt_vpn_stats_t;

/* The running firmware and the OTA receiver, for logs and status pages. */
typedef struct {
    char version[32];            /* the running app's version (esp_app_get_description) */
    char partition[17];          /* the running partition's label: "ota_0", "ota_1", "factory" */
    bool receiver;               /* the OTA receiver listens (ota_password set) */
    bool rollback;               /* CONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE: new images start on probation */
    bool on_probation;           /* this image is new: confirmed once it has rejoined the VPN, */
    uint32_t probation_left_ms;  /* else the previous image comes back after this */
    bool busy;                   /* an update is being received */
    uint32_t last_size, last_received; /* the last update's image size, and how far it got */
    uint32_t invitations, auth_failed, refused, completed, failed;
} mqtt_vpn_ota_status_t;

/* Creates the interface and starts the MQTT client; the handle lives until mqtt_vpn_stop(). */
esp_err_t mqtt_vpn_start(const mqtt_vpn_config_t *config, mqtt_vpn_handle_t *out);
/* Also receive for target (a host behind this device, NAT). ESP_ERR_NO_MEM beyond the cap. */
esp_err_t mqtt_vpn_add_reading_topic(mqtt_vpn_handle_t vpn, ip4_addr_t target);
/* The VPN interface as esp_netif knows it: esp_netif_get_ip_info, esp_netif_napt_enable (IDF
 * 5.1+), esp_netif_get_netif_impl_index... Valid until mqtt_vpn_stop(); do not destroy it. */
esp_netif_t *mqtt_vpn_get_netif(mqtt_vpn_handle_t vpn);
bool mqtt_vpn_is_connected(mqtt_vpn_handle_t vpn);
esp_err_t mqtt_vpn_get_stats(mqtt_vpn_handle_t vpn, mqtt_vpn_stats_t *out);
/* The running firmware (version, partition), its probation, and the OTA receiver's counters. */
esp_err_t mqtt_vpn_get_ota_status(mqtt_vpn_handle_t vpn, mqtt_vpn_ota_status_t *out);
/* Disconnects, removes the interface, stops the OTA receiver (an update under way is
 * abandoned), frees everything. */
esp_err_t mqtt_vpn_stop(mqtt_vpn_handle_t vpn);

#ifdef __cplusplus
}
#endif
#endif /* MQTT_VPN_H */
