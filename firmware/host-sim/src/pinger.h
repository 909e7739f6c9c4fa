/* The device's own ping client (--ping): lets a virtual device reach out, not only answer. */
#ifndef SIM_PINGER_H
#define SIM_PINGER_H

#include <stddef.h>
#include <stdint.h>

#include "lwip/ip_addr.h"

struct pinger_stats {
    uint32_t sent;
    uint32_t received;
    double last_rtt_ms;
    double min_rtt_ms;
    double max_rtt_ms;
    double sum_rtt_ms;
};

/* Starts pinging target every interval_ms. Core context. 0 on success. */
int pinger_start(const ip_addr_t *target, uint32_t interval_ms);
void pinger_stop(void);

/* Copies the statistics and the target's text; 0 when no ping runs. Core context. */
int pinger_stats(struct pinger_stats *out, char *target, size_t cap);

#endif
