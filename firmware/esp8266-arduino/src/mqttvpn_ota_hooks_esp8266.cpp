/*
 * The OTA receiver's platform hooks (mqttvpn/ota.h) on the ESP8266: called where lwIP runs the
 * receiver, CONT or SYS, so each returns at once and only records what the service function
 * does with the Updater (MqttVpnOta.h: who may touch what). ctx is the link's
 * mqttvpn_arduino_ota.
 */
#include <string.h>

#include "MqttVpnOta.h"
#include "mqttvpn/ota.h"

extern "C" const char *mqttvpn_hook_ota_begin(void *ctx, uint32_t size)
{
    mqttvpn_arduino_ota *o = static_cast<mqttvpn_arduino_ota *>(ctx);

    if (o->abort_wanted || o->phase != MQTTVPN_ARDUINO_OTA_IDLE) {
        /* The last update is still being closed (or, DONE, restarting into): the ring and the
         * Updater are the service's until then. */
        return o->phase == MQTTVPN_ARDUINO_OTA_DONE ? "an update is complete; restarting into it"
                                                    : "busy: the last update is still being closed; retry in a few seconds";
    }
    o->phase = MQTTVPN_ARDUINO_OTA_BEGIN; /* Update.begin waits for the service (CONT) */
    o->size = size;
    mqttvpn_ota_get_image_md5(o->rx, o->md5);
    o->head = 0;
    o->tail = 0; /* IDLE: the service holds no piece of the ring */
    o->end_wanted = false;
    o->why[0] = '\0';
    return nullptr;
}

extern "C" long mqttvpn_hook_ota_write(void *ctx, const uint8_t *data, size_t len)
{
    mqttvpn_arduino_ota *o = static_cast<mqttvpn_arduino_ota *>(ctx);

    if (o->abort_wanted || (o->phase != MQTTVPN_ARDUINO_OTA_BEGIN && o->phase != MQTTVPN_ARDUINO_OTA_OPEN)) {
        return -1; /* Update.begin or Update.write failed (the service logged it), or nothing is open */
    }
    /* [head, tail + BUFFER) is free: the service writes [tail, head) and only then moves tail. */
    uint32_t room = MQTTVPN_ARDUINO_OTA_BUFFER - (o->head - o->tail);
    uint32_t n = len < room ? (uint32_t)len : room;
    uint32_t off = o->head % MQTTVPN_ARDUINO_OTA_BUFFER;
    uint32_t first = n < MQTTVPN_ARDUINO_OTA_BUFFER - off ? n : MQTTVPN_ARDUINO_OTA_BUFFER - off;
    memcpy(o->ring + off, data, first);
    memcpy(o->ring, data + first, n - first);
    o->head += n;
    if (n < len) {
        o->ring_full++;
    }
    return (long)n; /* fewer than len: the receiver offers the rest again from mqttvpn_ota_poll */
}

extern "C" const char *mqttvpn_hook_ota_finish(void *ctx)
{
    mqttvpn_arduino_ota *o = static_cast<mqttvpn_arduino_ota *>(ctx);

    switch (o->phase) {
    case MQTTVPN_ARDUINO_OTA_DONE:
        return nullptr;
    case MQTTVPN_ARDUINO_OTA_FAILED:
        return o->why;
    case MQTTVPN_ARDUINO_OTA_BEGIN:
    case MQTTVPN_ARDUINO_OTA_OPEN:
        if (!o->abort_wanted) {
            o->end_wanted = true; /* the service writes the rest, then Update.end(); asked again from poll */
            return MQTTVPN_OTA_NOT_YET;
        }
        return "the update was abandoned";
    default:
        return "no update is open";
    }
}

extern "C" void mqttvpn_hook_ota_abort(void *ctx)
{
    mqttvpn_arduino_ota *o = static_cast<mqttvpn_arduino_ota *>(ctx);

    switch (o->phase) {
    case MQTTVPN_ARDUINO_OTA_BEGIN:
    case MQTTVPN_ARDUINO_OTA_OPEN:
        o->abort_wanted = true; /* the service may be inside Update.begin/write: it closes the Updater */
        break;
    case MQTTVPN_ARDUINO_OTA_FAILED:
        o->phase = MQTTVPN_ARDUINO_OTA_IDLE; /* the Updater closed itself when the call failed */
        break;
    default:
        /* DONE cannot get here: the service asks the finish hook right after Update.end(), with
         * nothing between that yields, and the receiver never aborts after a finish said yes. */
        break;
    }
}

extern "C" void mqttvpn_hook_ota_restart(void *ctx)
{
    static_cast<mqttvpn_arduino_ota *>(ctx)->restart_wanted = true; /* ESP.restart() from the service, later */
}
