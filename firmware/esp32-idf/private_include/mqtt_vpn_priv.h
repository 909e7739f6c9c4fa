/*
 * Private to the component: the state behind a mqtt_vpn_handle_t, shared by the component's
 * glue (mqtt_vpn.c), its platform hooks (mqtt_vpn_hooks.c) and the original API (mqttif.c).
 *
 * The interface is an esp_netif (esp_netif_new with the driver's lwIP init function, see
 * README.md): esp_netif allocates and adds the lwIP netif and owns netif->state; the portable
 * driver is attached to that netif before esp_netif_start adds it.
 *
 * Who runs where, and who owns what:
 *   esp-mqtt task      MQTT events. Reassembles fragments (reasm, its own buffer), copies each
 *                      complete message into an rx slot, records connects/disconnects (and the
 *                      broker's address), wakes the lwIP side. Never waits for lwIP: it holds
 *                      esp-mqtt's API lock while it dispatches events, and the tcpip thread
 *                      must never wait for that lock.
 *   tcpip thread       The lwIP core context: the netif driver, the session state machine,
 *                      rx slots into lwIP (a bounded number per wake-up). Its publishes and
 *                      subscriptions go to the tx / ctl queues, never to esp-mqtt directly:
 *                      esp_mqtt_client_publish takes the API lock and writes to a socket,
 *                      which needs the tcpip thread itself (a deadlock).
 *   mqtt_vpn task      Drains ctl (subscribe/unsubscribe) and tx (publish) into esp-mqtt, then
 *                      does the OTA side's flash work (mqtt_vpn_ota.c): esp_ota_* calls erase
 *                      and write flash, which the tcpip thread must never wait for.
 *   esp_timer task     A periodic tick that wakes the lwIP side (reconnect backoff, retries,
 *                      the OTA receiver's time-outs and the probation of a new image).
 * Queue slots belong to the producer from reserve to commit and to the consumer from peek to
 * release; each of those calls runs under `lock` (a spinlock: the two sides may run on two cores).
 */
#ifndef MQTT_VPN_PRIV_H
#define MQTT_VPN_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "freertos/FreeRTOS.h"
#include "freertos/semphr.h"
#include "freertos/task.h"
#include "esp_netif.h"
#include "esp_timer.h"
#include "mqtt_client.h"
#include "lwip/ip_addr.h"
#include "lwip/tcpip.h"

#include "mqtt_vpn.h"
#include "mqttvpn/codec.h"
#include "mqttvpn/glue/iface.h"
#include "mqttvpn/glue/msgq.h"
#include "mqttvpn/glue/reasm.h"
#include "mqttvpn/glue/session.h"

struct mqtt_vpn {
    esp_mqtt_client_handle_t client;
    esp_netif_t *netif;                  /* the VPN interface as esp_netif knows it */
    struct mqttvpn_iface iface;          /* tcpip thread; iface.netif is esp_netif's lwIP netif */
    struct mqttvpn_session session;      /* tcpip thread */
    struct mqttvpn_reasm reasm;          /* esp-mqtt task */
    uint8_t reasm_buf[MQTTVPN_MAX_FRAME];

    portMUX_TYPE lock;                   /* queue index updates, link events, counters below */
    struct mqttvpn_msgq rxq;             /* esp-mqtt task -> tcpip thread */
    struct mqttvpn_msgq txq;             /* tcpip thread -> mqtt_vpn task: frames to publish */
    struct mqttvpn_msgq ctlq;            /* tcpip thread -> mqtt_vpn task: (un)subscriptions */
    MQTTVPN_MSGQ_STORAGE(rx_storage, CONFIG_MQTT_VPN_RX_QUEUE_DEPTH, MQTTVPN_MAX_FRAME);
    MQTTVPN_MSGQ_STORAGE(tx_storage, CONFIG_MQTT_VPN_TX_QUEUE_DEPTH, MQTTVPN_MAX_FRAME);
    MQTTVPN_MSGQ_STORAGE(ctl_storage, 2 * MQTTVPN_MAX_TOPICS + 4, 0);

    /* Link events as esp-mqtt reported them (under lock), and what the tcpip side has seen. */
    uint32_t connect_events, disconnect_events;
    bool mqtt_up;
    ip_addr_t broker;                    /* the broker's address of the last connection */
    bool broker_known;
    uint32_t seen_connects, seen_disconnects; /* tcpip thread */

    struct tcpip_callback_msg *work_msg; /* preallocated: no allocation per wake-up */
    bool work_pending;                   /* under lock: work_msg is in the tcpip mbox */
    bool stopping;
    uint32_t post_failed;                /* tcpip mbox full: retried on the next tick */
    uint32_t publish_failed;             /* frames esp-mqtt refused after they were queued */

    char scheme[8];                      /* of the current broker's URI: esp-mqtt's transport name */
    /* Failover: the brokers (copies), [0] the home broker; the session's choice (tcpip thread). */
    char *broker_uris[CONFIG_MQTT_VPN_MAX_BROKERS];
    unsigned broker_count;
    unsigned broker_in_use;              /* the URI esp-mqtt holds now (tcpip thread) */
    bool leaving;                        /* tcpip thread: asked esp-mqtt to disconnect, to go back to
                                            the first broker (return time); the next disconnect is that */

    TaskHandle_t task;
    SemaphoreHandle_t task_done;
    esp_timer_handle_t tick;
    char client_id[MQTTVPN_CLIENT_ID_LEN + 1];

    struct mqtt_vpn_ota *ota;            /* OTA receiver and probation (mqtt_vpn_ota.c); NULL: neither */
};

/* Producer side of q: copies topic (topic_len bytes) and data into a slot, locking only around
 * the index updates. false (counted by the queue) when q is full or the message too long. */
bool mqtt_vpn_push(struct mqtt_vpn *vpn, struct mqttvpn_msgq *q, uint8_t kind, const char *topic, size_t topic_len,
                   const uint8_t *data, size_t len);

/* Wakes the lwIP side (work on the tcpip thread). Any task; never blocks. */
void mqtt_vpn_kick(struct mqtt_vpn *vpn);

/* The VPN interface as an esp_netif (mqtt_vpn_netif.c). create: esp_netif_new with the
 * config's addresses; lwip: its lwIP netif (for the driver, before start); start: adds it to
 * lwIP (the driver must be attached; check netif_list for it); destroy: removes and frees it. */
esp_err_t mqtt_vpn_netif_create(struct mqtt_vpn *vpn, const mqtt_vpn_config_t *config);
struct netif *mqtt_vpn_netif_lwip(struct mqtt_vpn *vpn);
void mqtt_vpn_netif_start(struct mqtt_vpn *vpn);
void mqtt_vpn_netif_destroy(struct mqtt_vpn *vpn);

/* After an MQTT connect, in the esp-mqtt task: TCP_NODELAY on the broker's socket, and its
 * address into *broker (true) where esp-mqtt lets the socket be reached
 * (mqtt_vpn_broker_socket.c). */
bool mqtt_vpn_broker_socket_tune(struct mqtt_vpn *vpn, ip_addr_t *broker);

/* Runs fn(arg) in the lwIP core context and waits for it. From an application task only (not
 * the tcpip thread, not an esp-mqtt event handler). Returns ESP_OK or why it could not run. */
esp_err_t mqtt_vpn_run_in_core(void (*fn)(void *arg), void *arg);

/*
 * OTA (mqtt_vpn_ota.c): the receiver of the portable core (mqttvpn/ota.h), its platform hooks on
 * esp_ota_*, and the probation of a new image (README.md, OTA).
 *   start      application task, in mqtt_vpn_start once the interface is up: probation if the
 *              running image is pending verification, the receiver if config->ota_password.
 *   poll       tcpip thread, every wake-up (so at least every tick): the receiver's time-outs
 *              and retries, the probation's verdict.
 *   task_step  the mqtt_vpn task, after its frames: one bounded piece of flash work. Returns
 *              how long the task may sleep before the next (0: more is ready).
 *   task_exit  the mqtt_vpn task, as it ends: closes an update left open.
 *   stop       application task, first thing in mqtt_vpn_stop (the task still runs): stops
 *              the receiver in the tcpip thread. free: after the task has ended.
 */
esp_err_t mqtt_vpn_ota_start(struct mqtt_vpn *vpn, const mqtt_vpn_config_t *config);
void mqtt_vpn_ota_poll(struct mqtt_vpn *vpn);
TickType_t mqtt_vpn_ota_task_step(struct mqtt_vpn *vpn);
void mqtt_vpn_ota_task_exit(struct mqtt_vpn *vpn);
void mqtt_vpn_ota_stop(struct mqtt_vpn *vpn);
void mqtt_vpn_ota_free(struct mqtt_vpn *vpn);

#endif /* MQTT_VPN_PRIV_H */
