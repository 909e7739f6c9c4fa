#include "ota_service.h"

#include <string.h>
#include <unistd.h>

#include "lwip/timeouts.h"

#include "log.h"
#include "mqttvpn/hooks.h"
#include "mqttvpn/netif.h"
#include "version.h"

#define OTA_TICK_MS 100u

static void ota_service_tick(void *arg)
{
    struct ota_service *svc = arg;
    uint32_t now = mqttvpn_hook_now_ms();

    if (svc->probation.active) {
        struct mqttvpn_netif_counters c;
        enum mqttvpn_ota_verdict v;

        mqttvpn_netif_get_counters(svc->nif, &c);
        v = mqttvpn_ota_probation_poll(&svc->probation, now, mqtt_link_connected(svc->link), c.rx_packets);
        if (v == MQTTVPN_OTA_GOOD) {
            if (slots_confirm(svc->slots) == 0) {
                sim_log(MQTTVPN_LOG_INFO, "image in slot %c confirmed: connected and a frame received",
                        svc->slots->state.active);
            } else {
                sim_log(MQTTVPN_LOG_ERROR, "cannot confirm the image: %s", svc->slots->error);
            }
        } else if (v == MQTTVPN_OTA_ROLL_BACK) {
            char failed = svc->slots->state.active;
            if (slots_roll_back(svc->slots) == 0) {
                sim_log(MQTTVPN_LOG_WARN, "rollback: the image in slot %c did not rejoin the VPN within %lu s; "
                                          "returning to slot %c", failed,
                        (unsigned long)(svc->rollback_timeout_ms / 1000u), svc->slots->state.active);
                ota_service_request_switch(svc, "rollback");
            } else {
                sim_log(MQTTVPN_LOG_ERROR, "cannot roll back: %s", svc->slots->error);
            }
        }
    }
    if (svc->receiver != NULL) {
        mqttvpn_ota_poll(svc->receiver, now);
    }
    sys_timeout(OTA_TICK_MS, ota_service_tick, svc);
}

int ota_service_start(struct ota_service *svc, const struct sim_options *o, struct slots *slots,
                      int on_probation, struct netif *nif, const struct mqtt_link *link)
{
    memset(svc, 0, sizeof(*svc));
    svc->slots = slots;
    svc->running_slot = slots != NULL ? slots->state.active : 0;
    svc->image_fd = -1;
    svc->nif = nif;
    svc->link = link;
    svc->rollback_timeout_ms = (uint32_t)o->rollback_timeout_s * 1000u;

    if (on_probation) {
        mqttvpn_ota_probation_start(&svc->probation, mqttvpn_hook_now_ms(), svc->rollback_timeout_ms);
        sim_log(MQTTVPN_LOG_INFO, "slot %c is a new image: confirmed once it rejoins the VPN, else rolled "
                                  "back in %d s", slots->state.active, o->rollback_timeout_s);
    }
    if (o->ota_password == NULL || slots == NULL) {
        sim_log(MQTTVPN_LOG_INFO, "OTA off: %s", slots == NULL ? "no --state-dir" : "no --ota-password-file");
    } else {
        struct mqttvpn_ota_config cfg;
        char slot[2] = {slots->state.active, '\0'};
        err_t err;

        memset(&cfg, 0, sizeof(cfg));
        cfg.port = (uint16_t)o->ota_port;
        cfg.password = o->ota_password;
        cfg.version = sim_version;
        cfg.slot = slot;
        cfg.max_size = SIM_OTA_MAX_IMAGE;
        cfg.platform = svc;
        svc->receiver = mqttvpn_ota_start(&cfg, &err);
        if (svc->receiver == NULL) {
            sim_log(MQTTVPN_LOG_ERROR, "--ota-port %d: cannot start the OTA receiver (%s)", o->ota_port,
                    err == ERR_USE ? "the port is taken" : err == ERR_ARG ? "bad version text" : "out of memory");
            return 1;
        }
        sim_log(MQTTVPN_LOG_INFO, "OTA on: UDP port %d, version %s, running slot %c", o->ota_port, sim_version,
                slots->state.active);
    }
    if (svc->receiver != NULL || svc->probation.active) {
        sys_timeout(OTA_TICK_MS, ota_service_tick, svc);
        svc->ticking = 1;
    }
    return 0;
}

void ota_service_stop(struct ota_service *svc)
{
    if (svc->ticking) {
        sys_untimeout(ota_service_tick, svc);
        svc->ticking = 0;
    }
    if (svc->receiver != NULL) {
        mqttvpn_ota_stop(svc->receiver);
        svc->receiver = NULL;
    }
}

int ota_service_stats(const struct ota_service *svc, struct mqttvpn_ota_stats *out)
{
    if (svc->receiver == NULL) {
        return 0;
    }
    mqttvpn_ota_get_stats(svc->receiver, out);
    return 1;
}

void ota_service_request_switch(struct ota_service *svc, const char *why)
{
    svc->switch_reason = why;
    /* Every thread blocks the signal; main() takes it with sigwait. */
    kill(getpid(), SIM_SWITCH_SIGNAL);
}
