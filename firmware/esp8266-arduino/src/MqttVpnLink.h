/*
 * Private to the library: one VPN link (the state behind both MqttVpn and the original
 * mqtt_if_* API) on the ESP8266 Arduino core.
 *
 * Contexts. The ESP8266 core runs the sketch (loop(), scheduled functions: "CONT") and
 * lwIP/Wi-Fi ("SYS") cooperatively on one CPU: SYS work runs only when CONT yields, and
 * lwIP is NO_SYS, so CONT may call lwIP directly (the core's own LwipIntfDev does). Our
 * netif output, however, may run in either context (TCP timers and forwarding run in SYS),
 * and there PubSubClient must not be called: its writes wait for the socket, and waiting
 * (yield) is not allowed in SYS. So:
 *   - received: PubSubClient's callback (inside mqtt.loop(), CONT) copies the message into
 *     the rx queue, and the service function hands it to lwIP as soon as that loop()
 *     returns, before it calls loop() again. PubSubClient reads at most one MQTT packet per
 *     loop() (PubSubClient.cpp, loop(): one readPacket()), so the queue needs one slot and
 *     never overflows, whatever the budget. Copying returns PubSubClient's buffer, which
 *     publish() reuses, before lwIP sees the packet.
 *   - sent: the netif output copies the sealed frame into the tx queue (never blocks,
 *     drops and counts when full); the service function publishes it. It empties the queue
 *     before each frame it hands to lwIP, so the replies lwIP gives at once (echo replies,
 *     ACKs, forwarded packets) find the whole queue free.
 * The service function runs from mqtt_if_loop()/MqttVpn::loop() and, without the sketch
 * doing anything, once after every return of loop() (schedule_function: exactly one copy is
 * ever pending, so the sketch keeps the core's other 31 slots). Never from a recurrent
 * scheduled function: those run inside yield() and must not yield themselves (Schedule.h),
 * which PubSubClient may do; one only schedules the service again when the core's queue was
 * full.
 *
 * The interface. The link owns its struct netif: the driver is attached to it, then it is
 * added with ip_input (frames reach lwIP from the service function, in CONT, where lwIP may
 * run at once). With MqttVpnConfig::defaultRoute the VPN is lwIP's default route only while
 * MQTT is connected, and packets for the broker keep going through the interface that
 * reached it (mqttvpn/glue/iface.h): this lwIP routes by destination only, and the broker's
 * own TCP session must not enter the tunnel it carries.
 *
 * Tunables (#ifndef + default; override with compiler flags, e.g. arduino-cli
 * --build-property "compiler.cpp.extra_flags=-DMQTTVPN_ARDUINO_TX_DEPTH=4"):
 */
#ifndef MQTTVPN_ARDUINO_LINK_H
#define MQTTVPN_ARDUINO_LINK_H

#include <Arduino.h>
#include <ESP8266WiFi.h>
#include <PubSubClient.h>

#include "lwip/netif.h"

#include "MqttVpn.h"
#include "MqttVpnOta.h"
#include "mqttvpn/codec.h"
#include "mqttvpn/glue/iface.h"
#include "mqttvpn/glue/msgq.h"
#include "mqttvpn/glue/session.h"

#ifndef MQTTVPN_ARDUINO_TX_DEPTH
#define MQTTVPN_ARDUINO_TX_DEPTH 3   /* sealed frames waiting for PubSubClient (~1.7 KB RAM each) */
#endif
#ifndef MQTTVPN_ARDUINO_BUDGET
#define MQTTVPN_ARDUINO_BUDGET 4     /* MQTT messages read (each handed to lwIP) per service call */
#endif
#ifndef MQTTVPN_ARDUINO_KEEPALIVE_S
#define MQTTVPN_ARDUINO_KEEPALIVE_S 120  /* MQTT keepalive, as the original ESP8266 library */
#endif

#if MQTTVPN_ARDUINO_TX_DEPTH < 1
#error "MQTTVPN_ARDUINO_TX_DEPTH must be at least 1: every packet lwIP sends waits there for PubSubClient"
#endif
#if MQTTVPN_ARDUINO_BUDGET < 1
#error "MQTTVPN_ARDUINO_BUDGET must be at least 1: with 0 the service would never read a message"
#endif
#if MQTTVPN_MQTT_PACKET_MAX > 65535
#error "PubSubClient's buffer size is 16 bits: MQTTVPN_MTU is too large"
#endif

/* PubSubClient's loop() reads at most one MQTT packet, and the service function empties the
 * rx queue after each loop(): one slot is never too few. */
#define MQTTVPN_ARDUINO_RX_SLOTS 1

struct mqtt_if_data {
    WiFiClient tcp;
    PubSubClient mqtt;
    struct netif netif = {};         /* the VPN interface: ours, added to lwIP by mqttvpn_link_create */
    struct mqttvpn_iface iface = {}; /* the driver's side of it: reading topics, NAT targets, default route */
    struct mqttvpn_session session;  /* when to reconnect */
    struct mqttvpn_msgq rxq;         /* PubSubClient callback -> lwIP */
    struct mqttvpn_msgq txq;         /* netif output -> PubSubClient */
    MQTTVPN_MSGQ_STORAGE(rx_storage, MQTTVPN_ARDUINO_RX_SLOTS, MQTTVPN_MAX_FRAME);
    MQTTVPN_MSGQ_STORAGE(tx_storage, MQTTVPN_ARDUINO_TX_DEPTH, MQTTVPN_MAX_FRAME);
    char *brokers[MQTTVPN_MAX_BROKERS] = {}; /* copies: PubSubClient keeps the pointers; [0] is home */
    uint16_t ports[MQTTVPN_MAX_BROKERS] = {};
    uint8_t n_brokers = 0;
    char *user = nullptr;
    char *password = nullptr;
    char *client_id = nullptr;
    bool netif_added = false;
    bool running = false;
    bool busy = false;               /* in the service function: no nesting */
    uint32_t tx_publish_failed = 0;  /* queued frames PubSubClient refused (disconnected, full) */
    mqttvpn_arduino_ota *ota = nullptr; /* firmware updates through the VPN, when configured */
    mqtt_if_data *next = nullptr;    /* the links the scheduled service walks */

    mqtt_if_data() : mqtt(tcp) {}
};

/* Creates a link, adds its interface and lets the service function connect it. nullptr on a bad
 * configuration or when memory is short (logged). */
mqtt_if_data *mqttvpn_link_create(const MqttVpnConfig &config);
/* Disconnects, removes the interface, frees the link. nullptr is ignored. */
void mqttvpn_link_destroy(mqtt_if_data *link);
/* One bounded round of work: MQTT keepalive and reconnects, the OTA receiver's flash writes
 * (MqttVpnOta.h), up to MQTTVPN_ARDUINO_BUDGET received frames to lwIP, queued frames to the
 * broker. CONT context (loop()); returns at once when called from within itself. */
void mqttvpn_link_service(mqtt_if_data *link);
/* The service function for every link (mqtt_if_loop). */
void mqttvpn_link_service_all();
/* Sum of everything dropped on this link: codec and netif drops, both queues, late publishes. */
uint32_t mqttvpn_link_drops(const mqtt_if_data *link);

#endif /* MQTTVPN_ARDUINO_LINK_H */
