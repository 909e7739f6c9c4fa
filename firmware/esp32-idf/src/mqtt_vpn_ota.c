/*
 * OTA on ESP-IDF: the platform hooks of the portable receiver (mqttvpn/ota.h) on esp_ota_*, and
 * the probation of a new image (OTA-PROTOCOL.md §5, README.md "OTA").
 *
 * The receiver runs in the tcpip thread, which must never wait for flash: esp_ota_write erases
 * and programs it (sector by sector: OTA_WITH_SEQUENTIAL_WRITES), esp_ota_end
 * and esp_ota_set_boot_partition each read the image back to check it, and confirming or
 * rolling back rewrites otadata. So the hooks only record what is wanted and copy image bytes
 * into a bounded ring; the mqtt_vpn task makes every esp_ota_* call (mqtt_vpn_ota_task_step),
 * one bounded piece between the frames it publishes, and wakes the tcpip thread (mqtt_vpn_kick)
 * when it has made room or finished, so that the receiver goes on at once. One task for all of
 * them also keeps esp_ota_ops.c's list of open handles consistent: it has no lock.
 *
 * Shared between the two (under `lock`): what the tcpip side wants (req, end_req, verdict,
 * restart_req), what the task has done (phase, result, failed_call), and the ring's counters.
 * The ring's bytes in [tail, head) are the task's to write to flash, the rest the tcpip
 * thread's to fill; the copies and the flash writes run outside the lock. Only the task moves
 * phase out of PHASE_OPEN; only the tcpip side resets the ring, and only while no update is open.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdkconfig.h"
#include "esp_app_desc.h"
#include "esp_err.h"
#include "esp_log.h"
#include "esp_ota_ops.h"
#include "esp_partition.h"
#include "esp_system.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"

#include "mqtt_vpn_priv.h"
#include "mqttvpn/hooks.h"
#include "mqttvpn/netif.h"
#include "mqttvpn/ota.h"

#ifndef MQTT_VPN_OTA_WRITE_MAX
/* Bytes per esp_ota_write call: the task publishes frames between two. Override with -D. */
#define MQTT_VPN_OTA_WRITE_MAX 4096u
#endif
#ifndef MQTT_VPN_OTA_RESTART_DELAY_MS
/* From the restart hook to esp_restart: the last frames get out meanwhile. Override with -D. */
#define MQTT_VPN_OTA_RESTART_DELAY_MS 1000u
#endif

#ifdef CONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE
#define MQTT_VPN_ROLLBACK 1
#else
#define MQTT_VPN_ROLLBACK 0
#endif

static const char *TAG = "mqtt_vpn";

enum ota_req { REQ_NONE = 0, REQ_BEGIN, REQ_ABORT };

enum ota_phase {
    PHASE_IDLE = 0, /* no update open */
    PHASE_OPEN,     /* the task took the begin: erasing, then writing what the ring holds */
    PHASE_FAILED,   /* esp_ota_begin or esp_ota_write failed (result): nothing open any more */
    PHASE_DONE      /* esp_ota_end and esp_ota_set_boot_partition ran (result) */
};

enum ota_verdict { VERDICT_NONE = 0, VERDICT_GOOD, VERDICT_ROLL_BACK };

struct mqtt_vpn_ota {
    struct mqtt_vpn *vpn;
    const esp_partition_t *running;
    const esp_partition_t *slot;         /* where updates go; NULL without a receiver */

    /* tcpip thread */
    struct mqttvpn_ota *rx;              /* the receiver; NULL: none (no password, or stopped) */
    struct mqttvpn_ota_probation probation;
    bool probation_open;                 /* probation polled until its verdict */
    char reason[72];                     /* finish's answer, valid until the next call */

    portMUX_TYPE lock;
    /* under lock */
    uint8_t req, phase, verdict;
    bool end_req;                        /* every byte is in the ring: end when it is drained */
    bool restart_req;
    bool unconfirmed;                    /* pending verification, not confirmed yet: no update */
    esp_err_t result;
    const char *failed_call;             /* the esp_ota_* call that returned result */
    uint32_t size;                       /* of the image being received */
    uint32_t head, tail;                 /* bytes put into / written out of the ring, this update */

    /* the mqtt_vpn task */
    esp_ota_handle_t handle;             /* 0: none (esp_ota_ops.c numbers handles from 1) */
    bool restarting;
    TickType_t restart_at;

    uint32_t cap;                        /* ring size; 0 without a receiver */
    uint8_t ring[];
};

/* Any task. Not once stopping: the task may be gone (mqtt_vpn_stop stops the receiver and the
 * probation before it sets stopping, so no OTA call of the tcpip side gets here after that). */
static void wake_task(struct mqtt_vpn_ota *o)
{
    if (!o->vpn->stopping) {
        xTaskNotifyGive(o->vpn->task);
    }
}

/* ---- the receiver's hooks: tcpip thread, never waiting ------------------------------------- */

const char *mqttvpn_hook_ota_begin(void *ctx, uint32_t size)
{
    struct mqtt_vpn_ota *o = ctx;
    const char *refused = NULL;

    portENTER_CRITICAL(&o->lock);
    if (o->unconfirmed || o->verdict != VERDICT_NONE) {
        /* esp_ota_begin refuses too while the running image is ESP_OTA_IMG_PENDING_VERIFY
         * (ESP_ERR_OTA_ROLLBACK_INVALID_STATE): the slot holds the image to return to. */
        refused = "this image is on probation until it has rejoined the VPN; retry after that";
    } else if (o->req != REQ_NONE || o->phase == PHASE_OPEN) {
        refused = "busy: the last update is still being closed; retry in a few seconds";
    } else if (o->phase == PHASE_DONE && o->result == ESP_OK) {
        refused = "an update is complete; restarting into it";
    } else {
        /* Nothing is open (IDLE, or a failed update the task has closed): the ring is ours. */
        o->phase = PHASE_IDLE;
        o->req = REQ_BEGIN;
        o->size = size;
        o->head = 0;
        o->tail = 0;
        o->end_req = false;
        o->result = ESP_OK;
        o->failed_call = NULL;
    }
    portEXIT_CRITICAL(&o->lock);
    if (refused == NULL) {
        wake_task(o);
    }
    return refused;
}

long mqttvpn_hook_ota_write(void *ctx, const uint8_t *data, size_t len)
{
    struct mqtt_vpn_ota *o = ctx;
    uint32_t head, room, off, n, first;
    bool open;

    portENTER_CRITICAL(&o->lock);
    open = (o->phase == PHASE_OPEN && o->req == REQ_NONE) || (o->phase == PHASE_IDLE && o->req == REQ_BEGIN);
    head = o->head;
    room = o->cap - (head - o->tail);
    portEXIT_CRITICAL(&o->lock);
    if (!open) {
        return -1; /* begin or a write failed (the task logged it), or no update is open */
    }
    /* [head, tail + cap) is ours: the task only reads [tail, head), and tail only grows. */
    n = len < room ? (uint32_t)len : room;
    off = head % o->cap;
    first = n < o->cap - off ? n : o->cap - off;
    memcpy(o->ring + off, data, first);
    memcpy(o->ring, data + first, n - first);
    if (n > 0) {
        portENTER_CRITICAL(&o->lock);
        o->head = head + n;
        portEXIT_CRITICAL(&o->lock);
        wake_task(o);
    }
    return (long)n; /* 0 when full: the receiver offers the rest again from mqttvpn_ota_poll */
}

const char *mqttvpn_hook_ota_finish(void *ctx)
{
    struct mqtt_vpn_ota *o = ctx;
    uint8_t phase, req;
    esp_err_t result;
    const char *call;

    portENTER_CRITICAL(&o->lock);
    phase = o->phase;
    req = o->req;
    result = o->result;
    call = o->failed_call;
    if ((phase == PHASE_OPEN && req == REQ_NONE) || (phase == PHASE_IDLE && req == REQ_BEGIN)) {
        o->end_req = true;
    }
    portEXIT_CRITICAL(&o->lock);

    if (phase == PHASE_DONE && result == ESP_OK) {
        return NULL;
    }
    if (phase == PHASE_DONE || phase == PHASE_FAILED) {
        snprintf(o->reason, sizeof(o->reason), "%s: %s", call != NULL ? call : "esp_ota", esp_err_to_name(result));
        return o->reason;
    }
    if (req == REQ_ABORT || (phase == PHASE_IDLE && req != REQ_BEGIN)) {
        return "no update is open";
    }
    wake_task(o); /* the task writes the rest, then ends; asked again from mqttvpn_ota_poll */
    return MQTTVPN_OTA_NOT_YET;
}

void mqttvpn_hook_ota_abort(void *ctx)
{
    struct mqtt_vpn_ota *o = ctx;
    bool post = false;

    portENTER_CRITICAL(&o->lock);
    if (o->req == REQ_BEGIN) {
        o->req = REQ_NONE; /* the task never saw it */
    } else if (o->phase == PHASE_OPEN) {
        o->req = REQ_ABORT; /* the task closes the handle, between two of its esp_ota_* calls */
        post = true;
    } else if (o->phase == PHASE_FAILED || (o->phase == PHASE_DONE && o->result != ESP_OK)) {
        o->phase = PHASE_IDLE; /* the task closed everything already */
    }
    /* PHASE_DONE with ESP_OK: the new image is the next boot already ("OK" was sent). */
    portEXIT_CRITICAL(&o->lock);
    if (post) {
        wake_task(o);
    }
}

void mqttvpn_hook_ota_restart(void *ctx)
{
    struct mqtt_vpn_ota *o = ctx;

    portENTER_CRITICAL(&o->lock);
    o->restart_req = true;
    portEXIT_CRITICAL(&o->lock);
    wake_task(o);
}

/* ---- tcpip thread: the receiver's time-outs and retries, the probation's verdict ----------- */

void mqtt_vpn_ota_poll(struct mqtt_vpn *vpn)
{
    struct mqtt_vpn_ota *o = vpn->ota;
    struct mqttvpn_netif_counters c;
    enum mqttvpn_ota_verdict v;
    uint32_t now;

    if (o == NULL) {
        return;
    }
    now = mqttvpn_hook_now_ms();
    if (o->rx != NULL) {
        mqttvpn_ota_poll(o->rx, now);
    }
    if (!o->probation_open) {
        return;
    }
    /* Rejoined: the MQTT session is up and a frame came in through the tunnel. */
    mqttvpn_netif_get_counters(vpn->iface.netif, &c);
    v = mqttvpn_ota_probation_poll(&o->probation, now, vpn->session.state == MQTTVPN_SESSION_UP, c.rx_packets);
    if (v == MQTTVPN_OTA_ON_PROBATION) {
        return;
    }
    o->probation_open = false;
    portENTER_CRITICAL(&o->lock);
    o->verdict = v == MQTTVPN_OTA_GOOD ? VERDICT_GOOD : VERDICT_ROLL_BACK;
    portEXIT_CRITICAL(&o->lock);
    wake_task(o); /* otadata is flash: the task confirms or rolls back */
}

/* ---- the mqtt_vpn task: every esp_ota_* call ----------------------------------------------- */

static void confirm_image(struct mqtt_vpn_ota *o)
{
    esp_err_t err = esp_ota_mark_app_valid_cancel_rollback();

    if (err == ESP_OK) {
        ESP_LOGI(TAG, "OTA: this image (%s on %s) has rejoined the VPN: confirmed, it stays",
                 esp_app_get_description()->version, o->running->label);
    } else {
        ESP_LOGE(TAG, "OTA: confirming this image failed (%s): the bootloader returns to the previous one at "
                 "the next restart", esp_err_to_name(err));
    }
}

static void settle_probation(struct mqtt_vpn_ota *o, uint8_t verdict)
{
    esp_err_t err;

    if (verdict == VERDICT_GOOD) {
        confirm_image(o);
    } else {
        ESP_LOGW(TAG, "OTA: this image (%s on %s) has not rejoined the VPN in time: returning to the previous "
                 "image", esp_app_get_description()->version, o->running->label);
        err = esp_ota_mark_app_invalid_rollback_and_reboot(); /* restarts when it succeeds */
        /* ESP_ERR_OTA_ROLLBACK_FAILED: no valid image in the other slot. Left pending, this one
         * could never be updated (esp_ota_begin refuses while it is): keep it, confirmed. */
        ESP_LOGE(TAG, "OTA: cannot roll back (%s): keeping this image", esp_err_to_name(err));
        confirm_image(o);
    }
    portENTER_CRITICAL(&o->lock);
    o->unconfirmed = false;
    portEXIT_CRITICAL(&o->lock);
}

static void set_result(struct mqtt_vpn_ota *o, uint8_t phase, const char *call, esp_err_t err)
{
    portENTER_CRITICAL(&o->lock);
    o->phase = phase;
    o->result = err;
    o->failed_call = err != ESP_OK ? call : NULL;
    portEXIT_CRITICAL(&o->lock);
}

static void close_handle(struct mqtt_vpn_ota *o)
{
    if (o->handle != 0) {
        (void)esp_ota_abort(o->handle); /* frees the handle; the slot keeps what was written */
        o->handle = 0;
    }
}

/* One piece of an update's flash work. true: more may be ready now. */
static bool transfer_step(struct mqtt_vpn_ota *o)
{
    uint8_t req, phase;
    uint32_t head, tail, size, off, n;
    bool end;
    esp_err_t err;

    portENTER_CRITICAL(&o->lock);
    req = o->req;
    phase = o->phase;
    head = o->head;
    tail = o->tail;
    size = o->size;
    end = o->end_req;
    if (req == REQ_BEGIN) {
        o->phase = PHASE_OPEN;
    }
    if (req != REQ_NONE) {
        o->req = REQ_NONE;
    }
    portEXIT_CRITICAL(&o->lock);

    if (req == REQ_ABORT) {
        close_handle(o);
        portENTER_CRITICAL(&o->lock);
        o->phase = PHASE_IDLE;
        portEXIT_CRITICAL(&o->lock);
        ESP_LOGW(TAG, "OTA: update abandoned after %u of %u bytes; the running image stays", (unsigned)tail,
                 (unsigned)size);
        return false;
    }
    if (req == REQ_BEGIN) {
        /* OTA_WITH_SEQUENTIAL_WRITES: each esp_ota_write erases the sectors it reaches
         * (esp_ota_ops.c, need_erase), instead of esp_ota_begin erasing the whole image first,
         * which stalls this task (and so the VPN's outgoing frames) for seconds. The receiver
         * has checked size against the slot already (max_size). From IDF 5.3 on, a failed
         * begin returns with the handle already allocated: abort frees it. */
        o->handle = 0;
        ESP_LOGI(TAG, "OTA: receiving %u bytes into %s", (unsigned)size, o->slot->label);
        err = esp_ota_begin(o->slot, OTA_WITH_SEQUENTIAL_WRITES, &o->handle);
        if (err != ESP_OK) {
            close_handle(o);
            set_result(o, PHASE_FAILED, "esp_ota_begin", err);
            ESP_LOGE(TAG, "OTA: esp_ota_begin(%s, %u) failed: %s", o->slot->label, (unsigned)size,
                     esp_err_to_name(err));
        }
        mqtt_vpn_kick(o->vpn); /* the receiver offers what waits */
        return true;
    }
    if (phase != PHASE_OPEN || o->handle == 0) {
        return false;
    }
    if (head != tail) {
        off = tail % o->cap;
        n = head - tail;
        n = n < o->cap - off ? n : o->cap - off;
        n = n < MQTT_VPN_OTA_WRITE_MAX ? n : MQTT_VPN_OTA_WRITE_MAX;
        /* The first write checks the image's magic byte (ESP_ERR_OTA_VALIDATE_FAILED). */
        err = esp_ota_write(o->handle, o->ring + off, n);
        if (err != ESP_OK) {
            close_handle(o);
            set_result(o, PHASE_FAILED, "esp_ota_write", err);
            ESP_LOGE(TAG, "OTA: esp_ota_write at byte %u failed: %s%s", (unsigned)tail, esp_err_to_name(err),
                     err == ESP_ERR_OTA_VALIDATE_FAILED ? " (not an app image)" : "");
        } else {
            portENTER_CRITICAL(&o->lock);
            o->tail = tail + n;
            portEXIT_CRITICAL(&o->lock);
        }
        mqtt_vpn_kick(o->vpn); /* room for more */
        return true;
    }
    if (!end) {
        return false;
    }
    /* esp_ota_end checks the image (and frees the handle, whatever it returns);
     * esp_ota_set_boot_partition checks it again and writes otadata: the next boot runs it,
     * on probation where the bootloader has rollback. */
    err = esp_ota_end(o->handle);
    o->handle = 0;
    if (err != ESP_OK) {
        set_result(o, PHASE_DONE, "esp_ota_end", err);
        ESP_LOGE(TAG, "OTA: the received image does not check out (%s); the running image stays",
                 esp_err_to_name(err));
    } else if ((err = esp_ota_set_boot_partition(o->slot)) != ESP_OK) {
        set_result(o, PHASE_DONE, "esp_ota_set_boot_partition", err);
        ESP_LOGE(TAG, "OTA: esp_ota_set_boot_partition(%s) failed: %s", o->slot->label, esp_err_to_name(err));
    } else {
        set_result(o, PHASE_DONE, NULL, ESP_OK);
        ESP_LOGI(TAG, "OTA: %u bytes written and checked; %s boots next", (unsigned)size, o->slot->label);
    }
    mqtt_vpn_kick(o->vpn); /* the receiver answers the uploader */
    return false;
}

TickType_t mqtt_vpn_ota_task_step(struct mqtt_vpn *vpn)
{
    struct mqtt_vpn_ota *o = vpn->ota;
    TickType_t wait = portMAX_DELAY, now;
    uint8_t verdict;
    bool restart;

    if (o == NULL) {
        return portMAX_DELAY;
    }
    portENTER_CRITICAL(&o->lock);
    verdict = o->verdict;
    restart = o->restart_req;
    o->restart_req = false;
    portEXIT_CRITICAL(&o->lock);

    if (verdict != VERDICT_NONE) {
        settle_probation(o, verdict);
        portENTER_CRITICAL(&o->lock);
        o->verdict = VERDICT_NONE;
        portEXIT_CRITICAL(&o->lock);
    }
    if (restart && !o->restarting) {
        /* Not a plain delay: this task keeps publishing meanwhile (the uploader's last ACKs). */
        o->restarting = true;
        o->restart_at = xTaskGetTickCount() + pdMS_TO_TICKS(MQTT_VPN_OTA_RESTART_DELAY_MS);
        ESP_LOGI(TAG, "OTA: restarting into the new image in %u ms", (unsigned)MQTT_VPN_OTA_RESTART_DELAY_MS);
    }
    if (o->restarting) {
        now = xTaskGetTickCount();
        if ((int32_t)(o->restart_at - now) <= 0) {
            esp_restart();
        }
        wait = o->restart_at - now;
    }
    if (o->cap > 0 && transfer_step(o)) {
        wait = 0;
    }
    return wait;
}

void mqtt_vpn_ota_task_exit(struct mqtt_vpn *vpn)
{
    if (vpn->ota != NULL) {
        close_handle(vpn->ota); /* mqtt_vpn_stop during an update */
    }
}

/* ---- start / stop / status: application task ------------------------------------------------ */

struct ota_start_args {
    struct mqtt_vpn_ota *o;
    const struct mqttvpn_ota_config *rx;  /* NULL: no receiver */
    uint32_t rollback_timeout_ms;
    bool probation;
    err_t err;
};

static void start_in_core(void *p)
{
    struct ota_start_args *a = p;

    a->err = ERR_OK;
    if (a->rx != NULL) {
        a->o->rx = mqttvpn_ota_start(a->rx, &a->err);
        if (a->o->rx == NULL) {
            return;
        }
    }
    if (a->probation) {
        mqttvpn_ota_probation_start(&a->o->probation, mqttvpn_hook_now_ms(), a->rollback_timeout_ms);
        a->o->probation_open = true;
    }
}

esp_err_t mqtt_vpn_ota_start(struct mqtt_vpn *vpn, const mqtt_vpn_config_t *config)
{
    static bool said_rollback_off;
    const esp_app_desc_t *app = esp_app_get_description();
    const esp_partition_t *running = esp_ota_get_running_partition();
    const esp_partition_t *slot = NULL;
    bool receiver = config->ota_password != NULL && config->ota_password[0] != '\0';
    esp_ota_img_states_t state = ESP_OTA_IMG_UNDEFINED;
    struct mqttvpn_ota_config rc;
    struct ota_start_args a;
    struct mqtt_vpn_ota *o;
    esp_err_t err;

    /* ESP_ERR_NOT_SUPPORTED for a factory app, ESP_ERR_NOT_FOUND without otadata: not new. */
    (void)esp_ota_get_state_partition(running, &state);
    if (state == ESP_OTA_IMG_NEW) {
        /* An image rollback-enabled firmware wrote, which the bootloader did not put on probation. */
        ESP_LOGW(TAG, "OTA: the bootloader has no app rollback (CONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE): it "
                 "comes with the bootloader, which only a cable flashes (idf.py flash)");
    }
    if (receiver) {
        slot = esp_ota_get_next_update_partition(NULL);
        if (slot == NULL || slot == running) {
            ESP_LOGE(TAG, "OTA: ota_password is set but the partition table has no OTA slot to update besides "
                     "%s: give it otadata and two app slots, ota_0 and ota_1 (README.md, OTA)", running->label);
            return ESP_ERR_NOT_FOUND;
        }
        if (!MQTT_VPN_ROLLBACK && !said_rollback_off) {
            said_rollback_off = true;
            ESP_LOGW(TAG, "OTA: app rollback is off (CONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE): a new image that "
                     "cannot rejoin the VPN stays, and needs a cable");
        }
    } else if (state != ESP_OTA_IMG_PENDING_VERIFY) {
        return ESP_OK; /* neither a receiver nor a probation: nothing to keep */
    }

    o = calloc(1, sizeof(*o) + (receiver ? CONFIG_MQTT_VPN_OTA_BUFFER_SIZE : 0));
    if (o == NULL) {
        return ESP_ERR_NO_MEM;
    }
    o->vpn = vpn;
    o->running = running;
    o->slot = slot;
    o->cap = receiver ? CONFIG_MQTT_VPN_OTA_BUFFER_SIZE : 0;
    o->unconfirmed = state == ESP_OTA_IMG_PENDING_VERIFY;
    portMUX_INITIALIZE(&o->lock);
    memset(&rc, 0, sizeof(rc));
    rc.port = CONFIG_MQTT_VPN_OTA_PORT;
    rc.password = config->ota_password;
    rc.version = app->version;
    rc.slot = running->label;
    rc.max_size = slot != NULL ? (uint32_t)slot->size : 0;
    rc.platform = o;
    a.o = o;
    a.rx = receiver ? &rc : NULL;
    a.rollback_timeout_ms = config->ota_rollback_timeout_ms;
    a.probation = o->unconfirmed;
    a.err = ERR_OK;
    /* Before the tick and the MQTT client: nothing else looks at vpn->ota yet. */
    vpn->ota = o;
    err = mqtt_vpn_run_in_core(start_in_core, &a);
    if (err == ESP_OK && a.err != ERR_OK) {
        ESP_LOGE(TAG, "OTA: the receiver did not start on UDP port %d: %s", CONFIG_MQTT_VPN_OTA_PORT,
                 a.err == ERR_USE ? "the port is taken (CONFIG_MQTT_VPN_OTA_PORT)"
                 : a.err == ERR_MEM ? "no memory" : "bad configuration (a version or label too long?)");
        err = a.err == ERR_MEM ? ESP_ERR_NO_MEM : a.err == ERR_USE ? ESP_ERR_INVALID_STATE : ESP_ERR_INVALID_ARG;
    }
    if (err != ESP_OK) {
        vpn->ota = NULL;
        free(o);
        return err;
    }
    if (receiver) {
        ESP_LOGI(TAG, "OTA: %s on %s; updates on UDP port %d into %s (up to %u KB)", app->version, running->label,
                 CONFIG_MQTT_VPN_OTA_PORT, slot->label, (unsigned)(slot->size / 1024));
    }
    if (a.probation) {
        ESP_LOGW(TAG, "OTA: this image (%s on %s) is new: it stays once it has rejoined the VPN within %u s, "
                 "else the previous one comes back", app->version, running->label,
                 (unsigned)((o->probation.deadline_ms - mqttvpn_hook_now_ms()) / 1000));
    }
    return ESP_OK;
}

static void stop_in_core(void *p)
{
    struct mqtt_vpn_ota *o = p;

    if (o->rx != NULL) {
        mqttvpn_ota_stop(o->rx); /* ends an update under way: the abort hook */
        o->rx = NULL;
    }
    o->probation_open = false; /* an unconfirmed image stays pending: the next boot rolls back */
}

void mqtt_vpn_ota_stop(struct mqtt_vpn *vpn)
{
    if (vpn->ota != NULL) {
        (void)mqtt_vpn_run_in_core(stop_in_core, vpn->ota);
    }
}

void mqtt_vpn_ota_free(struct mqtt_vpn *vpn)
{
    free(vpn->ota);
    vpn->ota = NULL;
}

struct ota_status_args {
    struct mqtt_vpn_ota *o;
    mqtt_vpn_ota_status_t *out;
};

static void status_in_core(void *p)
{
    struct ota_status_args *a = p;
    struct mqttvpn_ota_stats st;
    uint32_t now = mqttvpn_hook_now_ms();

    if (a->o->rx != NULL) {
        mqttvpn_ota_get_stats(a->o->rx, &st);
        a->out->receiver = true;
        a->out->busy = st.busy != 0;
        a->out->last_size = st.last_size;
        a->out->last_received = st.last_received;
        a->out->invitations = st.invitations;
        a->out->auth_failed = st.auth_failed;
        a->out->refused = st.refused;
        a->out->completed = st.completed;
        a->out->failed = st.failed;
    }
    if (a->o->probation_open) {
        a->out->on_probation = true;
        a->out->probation_left_ms =
            (int32_t)(a->o->probation.deadline_ms - now) > 0 ? a->o->probation.deadline_ms - now : 0;
    }
}

esp_err_t mqtt_vpn_get_ota_status(mqtt_vpn_handle_t vpn, mqtt_vpn_ota_status_t *out)
{
    struct ota_status_args a = { vpn != NULL ? vpn->ota : NULL, out };

    if (vpn == NULL || out == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    memset(out, 0, sizeof(*out));
    strlcpy(out->version, esp_app_get_description()->version, sizeof(out->version));
    strlcpy(out->partition, esp_ota_get_running_partition()->label, sizeof(out->partition));
    out->rollback = MQTT_VPN_ROLLBACK;
    return a.o != NULL ? mqtt_vpn_run_in_core(status_in_core, &a) : ESP_OK;
}
