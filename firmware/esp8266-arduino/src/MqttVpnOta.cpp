/* Firmware updates through the VPN: the service's side, every Update call (MqttVpnOta.h). */
#include "MqttVpnOta.h"

#include <Arduino.h>
#include <Updater.h>
#include <new>
#include <stdio.h>
#include <string.h>

#include "mqttvpn/hooks.h"

bool mqttvpn_arduino_ota_wanted(const MqttVpnConfig &config)
{
    return (config.otaPassword != nullptr && config.otaPassword[0] != '\0') ||
           (config.otaPasswordMd5 != nullptr && config.otaPasswordMd5[0] != '\0');
}

/*
 * The version answered to the query when the sketch gives none: "sketch-" and the first 12 hex
 * digits of the running sketch's MD5 (ESP.getSketchMD5()). Unlike a build date it changes with
 * every change of the image (Arduino reuses the library's compiled objects when only the sketch
 * changed, so __DATE__ here would not), and toolkit ota tells a new image from the old one by it.
 * It is not the .bin file's MD5 (the Updater may rewrite the image's flash-mode byte). Reads the
 * whole sketch from flash once, a fraction of a second, at begin(); "" (answered as "-") when
 * the core had no memory for its read buffer.
 */
static void default_version(char *out, size_t size)
{
    String md5 = ESP.getSketchMD5();

    out[0] = '\0';
    if (md5.length() >= 12) {
        snprintf(out, size, "sketch-%.12s", md5.c_str());
    }
}

mqttvpn_arduino_ota *mqttvpn_arduino_ota_start(const MqttVpnConfig &config)
{
    struct mqttvpn_ota_config rc = {};
    err_t err = ERR_OK;

    if (config.otaPassword != nullptr && config.otaPassword[0] != '\0' && config.otaPasswordMd5 != nullptr &&
        config.otaPasswordMd5[0] != '\0') {
        MQTTVPN_LOG(MQTTVPN_LOG_ERROR, "mqttvpn: OTA: give otaPassword or otaPasswordMd5, not both");
        return nullptr;
    }
    mqttvpn_arduino_ota *o = new (std::nothrow) mqttvpn_arduino_ota();
    if (o == nullptr) {
        MQTTVPN_LOG(MQTTVPN_LOG_ERROR, "mqttvpn: OTA: no memory for its state (%u bytes)", (unsigned)sizeof(*o));
        return nullptr;
    }
    if (config.firmwareVersion != nullptr) {
        snprintf(o->version, sizeof(o->version), "%s", config.firmwareVersion);
    } else {
        default_version(o->version, sizeof(o->version));
    }
    rc.port = config.otaPort;
    rc.password = config.otaPassword;
    rc.password_md5 = config.otaPasswordMd5;
    rc.version = o->version;
    rc.slot = nullptr; /* one sketch, no slots: the query answers "-" */
    /* Update.begin(size) takes an image whose size, rounded up to a flash sector, fits between
     * the running sketch (rounded up too) and the file system: exactly the free sketch space. */
    rc.max_size = ESP.getFreeSketchSpace();
    rc.platform = o;
    o->rx = mqttvpn_ota_start(&rc, &err);
    if (o->rx == nullptr) {
        if (err == ERR_USE) {
            MQTTVPN_LOG(MQTTVPN_LOG_ERROR, "mqttvpn: OTA: UDP port %u is taken (ArduinoOTA, or another link with "
                        "an OTA password?): set otaPort, or drop the other", (unsigned)config.otaPort);
        } else if (err == ERR_MEM) {
            MQTTVPN_LOG(MQTTVPN_LOG_ERROR, "mqttvpn: OTA: no memory for the receiver");
        } else {
            MQTTVPN_LOG(MQTTVPN_LOG_ERROR, "mqttvpn: OTA: bad configuration: otaPasswordMd5 must be 32 hex digits, "
                        "firmwareVersion at most %u characters without spaces (\"%s\")",
                        (unsigned)MQTTVPN_OTA_TEXT_MAX, config.firmwareVersion != nullptr ? config.firmwareVersion : "");
        }
        delete o;
        return nullptr;
    }
    MQTTVPN_LOG(MQTTVPN_LOG_INFO, "mqttvpn: OTA: version %s; updates on UDP port %u, up to %u KB; no rollback on "
                "the ESP8266", o->version[0] != '\0' ? o->version : "-", (unsigned)config.otaPort,
                (unsigned)(rc.max_size / 1024));
    return o;
}

/* An Update call failed: the Updater has reset itself (_setError), nothing is open. */
static void fail(mqttvpn_arduino_ota *o, const char *call)
{
    snprintf(o->why, sizeof(o->why), "%s: %s", call, Update.getErrorString().c_str());
    o->phase = MQTTVPN_ARDUINO_OTA_FAILED;
    MQTTVPN_LOG(MQTTVPN_LOG_ERROR, "mqttvpn: OTA: %s; the running sketch stays", o->why);
}

/*
 * The receiver gave up (cut, timed out, wrong hash, stop): forget the image. Update.end(false)
 * clears an unfinished update and stages nothing, but one that has every byte it stages (it only
 * checks that it is finished, and the MD5). The receiver decides as soon as the ring has the last
 * byte, before the Updater can have it, except when the connection is lost after both hashes
 * matched, while the last piece is being written: then the update is made to fail first. A write
 * past the announced size is an error (UPDATE_ERROR_SPACE), and any error resets the update
 * (Updater.cpp, _setError), without a yield.
 */
static void close_if_abandoned(mqttvpn_arduino_ota *o)
{
    if (!o->abort_wanted) {
        return;
    }
    if (o->phase == MQTTVPN_ARDUINO_OTA_OPEN) {
        if (Update.isRunning() && Update.isFinished()) {
            uint8_t past_the_end = 0;
            (void)Update.write(&past_the_end, 1);
        }
        (void)Update.end(false);
        MQTTVPN_LOG(MQTTVPN_LOG_WARN, "mqttvpn: OTA: update abandoned after %lu of %lu bytes; the running sketch "
                    "stays", (unsigned long)o->tail, (unsigned long)o->size);
    }
    o->abort_wanted = false;
    o->end_wanted = false;
    o->phase = MQTTVPN_ARDUINO_OTA_IDLE;
}

static void open_if_begun(mqttvpn_arduino_ota *o)
{
    if (o->phase != MQTTVPN_ARDUINO_OTA_BEGIN) {
        return;
    }
    if (Update.isRunning()) {
        /* The sketch updates by other means (ESP8266httpUpdate...): that one is not ours to end. */
        snprintf(o->why, sizeof(o->why), "the Updater is busy with another update");
        o->phase = MQTTVPN_ARDUINO_OTA_FAILED;
        MQTTVPN_LOG(MQTTVPN_LOG_ERROR, "mqttvpn: OTA: %s", o->why);
        return;
    }
    if (!Update.begin(o->size, U_FLASH)) {
        fail(o, "Update.begin");
        return;
    }
    /* The receiver checks the MD5 of what it hands the ring; the Updater checks what reached it. */
    (void)Update.setMD5(o->md5);
    o->phase = MQTTVPN_ARDUINO_OTA_OPEN;
    MQTTVPN_LOG(MQTTVPN_LOG_INFO, "mqttvpn: OTA: receiving %lu bytes", (unsigned long)o->size);
}

/* Hands Update.write what the ring holds, at most a ring's worth (one flash sector erased at
 * most), in up to two pieces where it wraps. */
static void write_ring(mqttvpn_arduino_ota *o)
{
    for (int piece = 0; piece < 2; piece++) {
        /* Read again each time: SYS may have run inside the last Update.write. */
        if (o->phase != MQTTVPN_ARDUINO_OTA_OPEN || o->abort_wanted || o->tail == o->head) {
            return;
        }
        uint32_t off = o->tail % MQTTVPN_ARDUINO_OTA_BUFFER;
        uint32_t n = o->head - o->tail;
        if (n > MQTTVPN_ARDUINO_OTA_BUFFER - off) {
            n = MQTTVPN_ARDUINO_OTA_BUFFER - off;
        }
        /* Erases and programs flash, yielding: the hooks may add after head meanwhile, never
         * into [tail, tail + n), which they count as taken until tail moves. */
        size_t w = Update.write(o->ring + off, n);
        if (w != n || Update.hasError()) {
            fail(o, "Update.write");
            return;
        }
        o->tail += n;
    }
}

/* Every byte written and the receiver's hashes matched: Update.end checks size, its own MD5 and
 * the image header, and stages the image for the boot loader. */
static void end_if_complete(mqttvpn_arduino_ota *o)
{
    if (o->phase != MQTTVPN_ARDUINO_OTA_OPEN || o->abort_wanted || !o->end_wanted || o->tail != o->size) {
        return;
    }
    if (!Update.end()) {
        fail(o, "Update.end");
        return;
    }
    o->phase = MQTTVPN_ARDUINO_OTA_DONE;
    MQTTVPN_LOG(MQTTVPN_LOG_INFO, "mqttvpn: OTA: %lu bytes written and checked; the boot loader copies them over "
                "this sketch at the restart", (unsigned long)o->size);
    MQTTVPN_LOG(MQTTVPN_LOG_WARN, "mqttvpn: OTA: no rollback on the ESP8266: a new sketch that cannot rejoin the VPN "
                "stays until flashed by cable");
}

static void restart_when_due(mqttvpn_arduino_ota *o)
{
    if (o->restart_wanted && !o->restarting) {
        o->restart_wanted = false;
        o->restarting = true;
        o->restart_at = millis() + MQTTVPN_ARDUINO_OTA_RESTART_DELAY_MS;
        MQTTVPN_LOG(MQTTVPN_LOG_INFO, "mqttvpn: OTA: restarting into the new sketch in %u ms",
                    (unsigned)MQTTVPN_ARDUINO_OTA_RESTART_DELAY_MS);
    }
    if (o->restarting && (int32_t)(millis() - o->restart_at) >= 0) {
        o->restarting = false;
        ESP.restart(); /* does not return */
    }
}

void mqttvpn_arduino_ota_service(mqttvpn_arduino_ota *o)
{
    if (o == nullptr) {
        return;
    }
    close_if_abandoned(o);
    open_if_begun(o);
    write_ring(o);
    end_if_complete(o);
    /* Right after end_if_complete, with nothing between that yields: the finish hook sees DONE
     * and says yes before SYS could run, so no abort can follow a staged image. Then the rest of
     * a segment the full ring refused, time-outs, the result, the restart hook. */
    mqttvpn_ota_poll(o->rx, millis());
    restart_when_due(o);
}

void mqttvpn_arduino_ota_stop(mqttvpn_arduino_ota *o)
{
    if (o == nullptr) {
        return;
    }
    mqttvpn_ota_stop(o->rx); /* an update under way: the abort hook */
    close_if_abandoned(o);
    /* DONE: the image is staged and the uploader has "OK"; the next restart runs it. */
    delete o;
}
