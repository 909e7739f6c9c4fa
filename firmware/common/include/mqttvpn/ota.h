/*
 * The OTA receiver: firmware updates over the network with the espota protocol (ArduinoOTA's;
 * OTA-PROTOCOL.md, including what mqttvpn adds: a SHA-256 bound to the password, a version
 * query), on lwIP's raw API, so it works through the VPN interface like any other.
 *
 *   struct mqttvpn_ota_config cfg = { .password = "...", .version = "1.2.0", .slot = "a",
 *                                     .max_size = free_slot_bytes, .platform = my_state };
 *   struct mqttvpn_ota *ota = mqttvpn_ota_start(&cfg, &err);      // core context
 *   every 100 ms or so, and when the platform has room again:  mqttvpn_ota_poll(ota, now_ms);
 *   at the end:                                                     mqttvpn_ota_stop(ota);
 *
 * Core context (see hooks.h) for every call; never blocks; bounded memory: one allocation at
 * start (the state, hashes included) plus the pbufs lwIP holds for a transfer, which its TCP
 * window bounds. It never accepts an update without a password: mqttvpn_ota_start refuses an
 * empty one. One transfer at a time; another invitation meanwhile gets "ERR: busy".
 *
 * The image is checked as it streams: MD5 always (the invitation's), SHA-256 when the uploader
 * sent one (mqttvpn's uploader does). The platform is told to make the image the next boot only
 * after both matched, and to restart only after the uploader has the final "OK".
 *
 * The platform provides the hooks below (plain C functions linked with the core), besides
 * those of hooks.h, when it links ota.c.
 */
#ifndef MQTTVPN_OTA_H
#define MQTTVPN_OTA_H

#include <stddef.h>
#include <stdint.h>

#include "lwip/err.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MQTTVPN_OTA_PORT_ESP32   3232u  /* ArduinoOTA's port on the ESP32; host-sim's default */
#define MQTTVPN_OTA_PORT_ESP8266 8266u  /* ...and on the ESP8266 */
#define MQTTVPN_OTA_TEXT_MAX     48u    /* longest version and slot text answered to a query */

struct mqttvpn_ota_config {
    uint16_t port;            /* UDP port of invitations; 0: MQTTVPN_OTA_PORT_ESP32 */
    const char *password;     /* the password: md5hex(password) is kept, not the text */
    const char *password_md5; /* or instead md5hex(password) itself, 32 hex digits (ArduinoOTA's
                               * setPasswordHash), so that the firmware never holds the password;
                               * exactly one of the two is given (non-NULL, non-empty) */
    const char *version;      /* the running firmware's version (version query); NULL or "": "-" */
    const char *slot;         /* the running slot / partition label (version query); NULL or "": "-" */
    uint32_t max_size;        /* largest image taken (the free slot); 0: no limit but 2^32-1 */
    uint32_t idle_timeout_ms; /* no data for this long ends a transfer; 0: 10000 */
    void *platform;           /* handed to the hooks */
};

struct mqttvpn_ota;

/* What a receiver has done, for logs and status pages. */
struct mqttvpn_ota_stats {
    uint32_t invitations;     /* well-formed invitations received */
    uint32_t auth_failed;     /* wrong password (or a SHA-256 not bound to it) */
    uint32_t refused;         /* "ERR: ..." to an invitation: busy, too large, file system image */
    uint32_t completed;       /* images written, verified and made the next boot ("OK" follows) */
    uint32_t failed;          /* transfers that ended in an error: cut, timed out, wrong hash, hook error */
    uint32_t last_size;       /* the last transfer's image size, and how far it got (bytes the */
    uint32_t last_received;   /* write hook took) */
    uint8_t busy;             /* a transfer is under way */
};

/*
 * Starts listening on cfg->port (UDP, all interfaces). NULL with *err (if err is not NULL):
 * ERR_ARG (neither password nor password_md5, both, a password_md5 that is not 32 hex digits,
 * or version/slot longer than MQTTVPN_OTA_TEXT_MAX or with a space or control character: the
 * query's answer separates them by spaces), ERR_MEM, ERR_USE (the port is taken). cfg is
 * copied (the password as its MD5 only).
 */
struct mqttvpn_ota *mqttvpn_ota_start(const struct mqttvpn_ota_config *cfg, err_t *err);

/* Stops listening, ends a transfer under way (the platform's abort hook runs), frees it. */
void mqttvpn_ota_stop(struct mqttvpn_ota *ota);

/*
 * Time-outs (authentication 10 s, transfer idle), data the write hook could not take yet, a
 * finish hook that said MQTTVPN_OTA_NOT_YET, the final "OK" or "ERROR: ..." (sent once the
 * uploader's TCP has acknowledged the last progress number and a short gap has passed, so that
 * espota.py, which reads in lock step, never gets both in one read), and the restart after a
 * completed transfer. Cheap when idle.
 */
void mqttvpn_ota_poll(struct mqttvpn_ota *ota, uint32_t now_ms);

void mqttvpn_ota_get_stats(const struct mqttvpn_ota *ota, struct mqttvpn_ota_stats *out);

/* The MD5 the invitation being served announced, as 32 lower-case hex digits and a NUL, for a
 * platform whose flash writer checks the image once more (the ESP8266's Updater::setMD5): from
 * the invitation (so in the begin hook) until every byte is written and checked; "" when no
 * invitation is being served. */
void mqttvpn_ota_get_image_md5(const struct mqttvpn_ota *ota, char out[33]);

/* ---- the platform's part --------------------------------------------------------------------
 * All are called in the core context and must return at once (queue slow work, e.g. flash
 * writes, to a task). ctx is cfg->platform. A reason returned is sent to the uploader as
 * "ERR: <reason>" (begin) or "ERROR: <reason>" (finish): a short line, no newline. */

/* A transfer of size bytes (already checked against max_size) is about to start: prepare the
 * free slot. NULL when ready, else why not. */
const char *mqttvpn_hook_ota_begin(void *ctx, uint32_t size);

/* The next len bytes of the image, in order. Returns how many were taken (0..len): fewer, or 0,
 * when the platform has no room now (the receiver keeps the rest and offers it again from
 * mqttvpn_ota_poll; TCP's window holds the uploader back meanwhile); -1 when the write failed
 * (the transfer ends with an error, then mqttvpn_hook_ota_abort). */
long mqttvpn_hook_ota_write(void *ctx, const uint8_t *data, size_t len);

/* Every byte was taken and the hashes match: make the new image the next boot (on probation,
 * OTA-PROTOCOL.md §5). NULL on success (the uploader gets "OK"), else why not. Called again,
 * later, from mqttvpn_ota_poll while it returns MQTTVPN_OTA_NOT_YET (a write still under way). */
const char *mqttvpn_hook_ota_finish(void *ctx);
extern const char MQTTVPN_OTA_NOT_YET[];

/* The transfer ended without a new image (cut, error, stop): forget the partial slot. The
 * running image is untouched. Called only after a begin that returned NULL, at most once per
 * begin, and never after a finish that returned NULL. */
void mqttvpn_hook_ota_abort(void *ctx);

/* The uploader has the final "OK" and the connection is closed (or the uploader kept it open a
 * short time after "OK", or the connection was lost after the finish hook succeeded): restart
 * into the new image. Called from mqttvpn_ota_poll, once; the receiver then refuses invitations
 * ("ERR: busy") until it is stopped, which the hook may do. */
void mqttvpn_hook_ota_restart(void *ctx);

/* ---- probation of a new image (OTA-PROTOCOL.md §5), for the platform's boot logic ----------- */

struct mqttvpn_ota_probation {
    uint8_t active;
    uint32_t deadline_ms;     /* mqttvpn_hook_now_ms time */
};

enum mqttvpn_ota_verdict {
    MQTTVPN_OTA_ON_PROBATION = 0, /* not rejoined yet, time left */
    MQTTVPN_OTA_GOOD,             /* rejoined: mark the image valid (once) */
    MQTTVPN_OTA_ROLL_BACK         /* the deadline passed: return to the previous image */
};

/* The running image is new and unconfirmed: timeout_ms from now (0: 120000) to rejoin. */
void mqttvpn_ota_probation_start(struct mqttvpn_ota_probation *p, uint32_t now_ms, uint32_t timeout_ms);

/* connected: the MQTT session is up; rx_packets: the VPN interface's received packets since the
 * image started (mqttvpn_netif_get_counters). Returns GOOD or ROLL_BACK once (then the probation
 * is over), ON_PROBATION before; after it is over, or when it never started, always GOOD. */
enum mqttvpn_ota_verdict mqttvpn_ota_probation_poll(struct mqttvpn_ota_probation *p, uint32_t now_ms,
                                                    int connected, uint32_t rx_packets);

#ifdef __cplusplus
}
#endif
#endif /* MQTTVPN_OTA_H */
