/*
 * Updates of the virtual device: the OTA receiver of the core (mqttvpn/ota.h) writing into the
 * state directory's free slot (src/ota_hooks.c), the probation of a new image, and the request
 * to switch images (after an update, or a rollback) that main() carries out: it stops cleanly
 * and execs the image the state now names. Core context, like the rest of host-sim's lwIP work.
 */
#ifndef SIM_OTA_SERVICE_H
#define SIM_OTA_SERVICE_H

#include <signal.h>
#include <stdint.h>

#include "lwip/netif.h"
#include "mqttvpn/ota.h"
#include "mqtt_link.h"
#include "options.h"
#include "slots.h"

/* The largest image taken: far more than an mqttvpn-sim executable. */
#define SIM_OTA_MAX_IMAGE (64u << 20)

/* The signal with which the service asks main() to switch images. */
#define SIM_SWITCH_SIGNAL SIGUSR1

struct ota_service {
    struct slots *slots;             /* NULL: no state dir (no OTA, no probation) */
    char running_slot;               /* the slot this process runs (the state may name a newer one) */
    struct mqttvpn_ota *receiver;    /* NULL: OTA off */
    int image_fd;                    /* the image being received, or -1 */
    struct mqttvpn_ota_probation probation;
    uint32_t rollback_timeout_ms;
    struct netif *nif;
    const struct mqtt_link *link;
    int ticking;                     /* the 100 ms timer is armed */
    const char *switch_reason;       /* why a switch was requested; NULL: none */
};

/*
 * Starts what the options ask for: the receiver on --ota-port when a password was given (and
 * slots is not NULL), the probation when on_probation. Logs one line saying whether OTA is on.
 * Core context. 0, or an exit code (1) after logging why.
 */
int ota_service_start(struct ota_service *svc, const struct sim_options *o, struct slots *slots,
                      int on_probation, struct netif *nif, const struct mqtt_link *link);

/* Stops the receiver (a transfer under way is aborted) and the timer. Core context. */
void ota_service_stop(struct ota_service *svc);

/* The receiver's counters; 0 when OTA is off. Core context. */
int ota_service_stats(const struct ota_service *svc, struct mqttvpn_ota_stats *out);

/* Asks main() to stop and exec the image the state names (SIM_SWITCH_SIGNAL). */
void ota_service_request_switch(struct ota_service *svc, const char *why);

#endif
