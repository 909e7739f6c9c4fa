/*
 * The device's MQTT session: libmosquitto in its own network thread (mosquitto_loop_start),
 * reconnecting forever, reporting the session to the netif driver and handing it every
 * received message inside the lwIP core lock.
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

/* Starts a connection and, once one could be started, the network thread, which then
 * reconnects by itself forever. Returns 0 when started, 1 when the broker could not be
 * reached (logged; call again after a delay), -1 on a local failure. */
int mqtt_link_connect(struct mqtt_link *link);

/* Disconnects cleanly and joins the network thread. Call without the lwIP core lock. */
void mqtt_link_stop(struct mqtt_link *link);
void mqtt_link_destroy(struct mqtt_link *link);

/* Session state for the status page. Core context (updated under the core lock). */
int mqtt_link_connected(const struct mqtt_link *link);
unsigned mqtt_link_reconnects(const struct mqtt_link *link);

#endif
