/* The device's status page (text/html): addresses, uptime, MQTT session and counters. */
#ifndef SIM_STATUS_PAGE_H
#define SIM_STATUS_PAGE_H

#include <stddef.h>
#include <stdint.h>

#include "lwip/netif.h"
#include "mqtt_link.h"
#include "options.h"
#include "ota_service.h"
#include "slots.h"

struct status_source {
    struct netif *nif;
    const struct sim_options *opts;
    const struct mqtt_link *link;
    uint32_t start_ms; /* mqttvpn_hook_now_ms() at start */
    const struct slots *slots;      /* NULL: no state dir */
    const struct ota_service *ota;
};

/* Renders the page into out (NUL-terminated); returns its length, or 0 if cap is too
 * small. Core context (reads the driver's counters). */
size_t status_page_render(const struct status_source *src, char *out, size_t cap);

#endif
