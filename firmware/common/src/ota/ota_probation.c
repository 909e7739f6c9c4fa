/*
 * Probation of a new image (OTA-PROTOCOL.md, section 5): the platform's boot logic asks, from
 * its periodic work, whether the image has rejoined the VPN or ran out of time.
 */
#include "mqttvpn/ota.h"

#ifndef MQTTVPN_OTA_ROLLBACK_TIMEOUT_MS
#define MQTTVPN_OTA_ROLLBACK_TIMEOUT_MS 120000u /* default time to rejoin; override with -D */
#endif

void mqttvpn_ota_probation_start(struct mqttvpn_ota_probation *p, uint32_t now_ms, uint32_t timeout_ms)
{
    p->active = 1;
    p->deadline_ms = now_ms + (timeout_ms != 0 ? timeout_ms : MQTTVPN_OTA_ROLLBACK_TIMEOUT_MS);
}

enum mqttvpn_ota_verdict mqttvpn_ota_probation_poll(struct mqttvpn_ota_probation *p, uint32_t now_ms,
                                                    int connected, uint32_t rx_packets)
{
    if (!p->active) {
        return MQTTVPN_OTA_GOOD;
    }
    if (connected && rx_packets > 0) {
        p->active = 0;
        return MQTTVPN_OTA_GOOD;
    }
    /* The clock wraps at 2^32 ms (49 days): compare the signed distance, not the values. */
    if ((int32_t)(now_ms - p->deadline_ms) >= 0) {
        p->active = 0;
        return MQTTVPN_OTA_ROLL_BACK;
    }
    return MQTTVPN_OTA_ON_PROBATION;
}
