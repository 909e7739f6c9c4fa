/*
 * The device's lwIP side: the tcpip thread, the mqttvpn netif (default route) with its
 * addresses and reading topics, and the services on it.
 */
#ifndef SIM_DEVICE_H
#define SIM_DEVICE_H

#include "lwip/netif.h"
#include "mqtt_link.h"
#include "options.h"
#include "ota_service.h"
#include "slots.h"
#include "status_page.h"

struct sim_device {
    struct netif nif;
    int started; /* tcpip thread running */
    int added;   /* netif added */
    struct ota_service ota;
    int ota_started;
    struct status_source status;
};

/* Starts lwIP and brings the interface and services up, and updates (OTA, probation) when
 * slots is not NULL (--state-dir). Returns 0, or the exit code (2 for bad input such as too
 * many targets, 1 otherwise) after logging why. */
int device_start(struct sim_device *dev, const struct sim_options *o, struct mqtt_link *link,
                 struct slots *slots, int on_probation);

/* Prints address, broker and topics to stdout. */
void device_print(struct sim_device *dev, const struct sim_options *o);

/* Stops the services and removes the interface (the tcpip thread keeps running). */
void device_stop(struct sim_device *dev);

#endif
