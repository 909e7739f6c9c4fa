/*
 * Private to the library: firmware updates through the VPN (README.md, "Firmware updates through
 * the VPN"). The portable OTA receiver (mqttvpn/ota.h: espota, as toolkit ota, espota.py and the
 * Arduino IDE speak it) on lwIP's raw API, feeding the core's Updater (Update, Updater.h).
 *
 * Why not the core's ArduinoOTA: its transfer runs inside ArduinoOTA.handle() and waits there
 * with delay() for the connection back to the uploader and for the data, but this library hands
 * received frames to lwIP and publishes queued ones only in its service function, after loop()
 * returns (MqttVpnLink.h): through the VPN, the connection's SYN would wait in the tx queue until
 * handle() gave up.
 *
 * Contexts. The receiver runs where lwIP calls it: in CONT when the service hands lwIP a frame
 * from the VPN, in SYS for TCP timers or for an upload over the Wi-Fi station itself. So its
 * hooks (mqttvpn_ota_hooks_esp8266.cpp) return at once and only record: a begin, image bytes
 * copied into a bounded ring, an end, an abort, a restart. The service (CONT,
 * mqttvpn_arduino_ota_service) makes every Update call: Update.write erases and programs flash
 * and yields between sectors, which SYS must never do (the core panics). The ESP8266 runs one
 * context at a time (SYS only while CONT yields), so nothing needs a lock, but SYS may run
 * inside any Update call that yields: then the hooks may copy bytes after the ring's head and
 * ask for an abort, nothing more. The ring's bytes [tail, head) stay the service's until it has
 * written them, only the begin hook resets the ring (only while no update is open or being
 * closed), and only the service opens or closes the Updater.
 *
 * No second slot: Update.end() stages the image in the free part of the flash and the boot loader
 * copies it over the running sketch at the next restart. An image that cannot rejoin the VPN
 * stays until it is flashed by cable; there is no probation and no rollback here.
 *
 * Tunables (#ifndef + default; override with compiler flags, as MqttVpnLink.h says):
 */
#ifndef MQTTVPN_ARDUINO_OTA_H
#define MQTTVPN_ARDUINO_OTA_H

#include <stdint.h>

#include "MqttVpn.h"
#include "mqttvpn/ota.h"

#ifndef MQTTVPN_ARDUINO_OTA_BUFFER
#define MQTTVPN_ARDUINO_OTA_BUFFER 2048  /* bytes of image between the receiver and Update.write (RAM
                                          * while OTA is on); fewer than a flash sector, so a service
                                          * round erases at most one sector (tens of ms) */
#endif
#ifndef MQTTVPN_ARDUINO_OTA_RESTART_DELAY_MS
#define MQTTVPN_ARDUINO_OTA_RESTART_DELAY_MS 1000  /* from the uploader's close to ESP.restart(): the
                                                   * last frames get published meanwhile */
#endif

#if MQTTVPN_ARDUINO_OTA_BUFFER < 1
#error "MQTTVPN_ARDUINO_OTA_BUFFER must be at least 1: every image byte passes through it"
#endif

/* Where an update stands. The hooks move IDLE -> BEGIN and set the *_wanted flags; everything
 * else is the service's. */
enum mqttvpn_arduino_ota_phase : uint8_t {
    MQTTVPN_ARDUINO_OTA_IDLE = 0, /* no update: the ring is free */
    MQTTVPN_ARDUINO_OTA_BEGIN,    /* the begin hook said yes: the service calls Update.begin */
    MQTTVPN_ARDUINO_OTA_OPEN,     /* Update.begin succeeded: the service writes what the ring holds */
    MQTTVPN_ARDUINO_OTA_FAILED,   /* an Update call failed (why): the Updater has closed itself */
    MQTTVPN_ARDUINO_OTA_DONE      /* Update.end succeeded: the image is staged for the boot loader */
};

struct mqttvpn_arduino_ota {
    struct mqttvpn_ota *rx;          /* the receiver; its hooks get this struct */
    char version[MQTTVPN_OTA_TEXT_MAX + 1];

    /* set by the hooks (CONT or SYS), read by the service */
    uint8_t phase;
    bool end_wanted;                 /* the receiver has every byte and both hashes matched */
    bool abort_wanted;               /* the transfer ended without an image: close the Updater */
    bool restart_wanted;             /* the uploader has "OK" and is gone */
    uint32_t size;                   /* of the image being received */
    char md5[33];                    /* the invitation's MD5, for Update.setMD5 */
    uint32_t head;                   /* image bytes copied into the ring so far */

    /* the service's */
    uint32_t tail;                   /* image bytes given to Update.write so far */
    char why[128];                   /* the failed Update call and its error, for "ERROR: ..." */
    bool restarting;
    uint32_t restart_at;             /* millis() */

    uint32_t ring_full;              /* write hook calls that found no room (back-pressure) */
    uint8_t ring[MQTTVPN_ARDUINO_OTA_BUFFER];
};

/* Whether config asks for updates through the VPN (an otaPassword or otaPasswordMd5). */
bool mqttvpn_arduino_ota_wanted(const MqttVpnConfig &config);

/* Starts the receiver on config.otaPort (CONT, after the VPN interface is up). nullptr when the
 * configuration is bad, the port is taken or memory is short (logged, saying which). */
mqttvpn_arduino_ota *mqttvpn_arduino_ota_start(const MqttVpnConfig &config);

/* Stops the receiver; an update under way is abandoned (the running sketch stays). CONT;
 * nullptr is ignored. */
void mqttvpn_arduino_ota_stop(mqttvpn_arduino_ota *ota);

/* One round (CONT, from the link's service function): closes an abandoned update, opens a begun
 * one, writes what the ring holds, ends a complete one, then lets the receiver go on
 * (mqttvpn_ota_poll: the rest of a segment the ring had no room for, time-outs, the result) and
 * restarts when the update is done. nullptr is ignored. */
void mqttvpn_arduino_ota_service(mqttvpn_arduino_ota *ota);

#endif /* MQTTVPN_ARDUINO_OTA_H */
