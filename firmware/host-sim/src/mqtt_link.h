/*
 * The device's MQTT session: libmosquitto driven by a thread of our own, which connects to
 * the brokers of the command line (failover: mqttvpn/glue/brokers.h chooses which), keeps the
 * session up with mosquitto_loop, reports it to the netif driver and hands it every received
 * message inside the lwIP core lock. Reconnects forever.
 */
#ifndef SIM_MQTT_LINK_H
#define SIM_MQTT_LINK_H

#include <mosquitto.h>

#include "lwip/netif.h"
#include "options.h"

struct mqtt_link;

/* Creates the client (not yet connected). NULL on failure, logged. */
struct mqtt_link *mqtt_link_create(const struct sim_options *o);
struct mosquitto *mqtt_link_client(struct mqtt_link *link);

/* Received messages and the session state go to nif from now on. */
void mqtt_link_attach(struct mqtt_link *link, struct netif *nif);

/* Starts the link's thread, which connects and reconnects by itself until stop. 0 when
 * started, -1 when the thread could not be (logged). */
int mqtt_link_start(struct mqtt_link *link);

/* Disconnects cleanly and joins the thread. Call without the lwIP core lock. */
void mqtt_link_stop(struct mqtt_link *link);
void mqtt_link_destroy(struct mqtt_link *link);

/* Session state for the status page. Core context (updated under the core lock). */
int mqtt_link_connected(const struct mqtt_link *link);
unsigned mqtt_link_reconnects(const struct mqtt_link *link);

/* The broker of the current (or last) attempt: an index into the options' brokers. Any thread. */
unsigned mqtt_link_broker(const struct mqtt_link *link);

#endif
