/*
 * The platform hooks of the portable core (mqttvpn/hooks.h) on the ESP8266 Arduino core:
 * MQTT through the link's queues and PubSubClient, random bytes from the hardware RNG,
 * time from millis(), logs to a serial port.
 */
#include <Arduino.h>
#include <esp8266_peri.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "MqttVpnLink.h"
#include "mqttvpn/hooks.h"

#ifndef MQTTVPN_LOG_PORT
#define MQTTVPN_LOG_PORT Serial  /* where log lines go; override with -DMQTTVPN_LOG_PORT=Serial1 */
#endif

/*
 * Called by the netif output, in CONT or SYS context: only copies the frame into the tx queue
 * (the service function publishes it from CONT). 0 when the queue is full: the driver counts
 * it as a failed publish and lwIP's TCP retransmits.
 */
extern "C" int mqttvpn_hook_publish(void *ctx, const char *topic, const uint8_t *payload, size_t len)
{
    mqtt_if_data *link = static_cast<mqtt_if_data *>(ctx);
    return mqttvpn_msgq_push(&link->txq, MQTTVPN_MSG_DATA, topic, strlen(topic), payload, len);
}

/*
 * Called when the session comes up (from the service function) or a reading topic is added
 * (from the sketch): CONT, outside PubSubClient's callback, where PubSubClient may write. A
 * SUBSCRIBE is a few dozen bytes; PubSubClient does not wait for the SUBACK.
 */
extern "C" int mqttvpn_hook_subscribe(void *ctx, const char *topic)
{
    mqtt_if_data *link = static_cast<mqtt_if_data *>(ctx);
    return link->mqtt.subscribe(topic, 0) ? 1 : 0;
}

extern "C" int mqttvpn_hook_unsubscribe(void *ctx, const char *topic)
{
    mqtt_if_data *link = static_cast<mqtt_if_data *>(ctx);
    return link->mqtt.unsubscribe(topic) ? 1 : 0;
}

/*
 * The ESP8266's hardware random number generator (RANDOM_REG32, esp8266_peri.h; the source of
 * the core's ESP.random()). Espressif describes it as a true RNG while the radio is on, which it
 * is whenever the VPN carries packets (it needs Wi-Fi to reach the broker).
 */
extern "C" int mqttvpn_hook_random(uint8_t *buf, size_t len)
{
    while (len > 0) {
        uint32_t r = RANDOM_REG32;
        size_t n = len < sizeof(r) ? len : sizeof(r);
        memcpy(buf, &r, n);
        buf += n;
        len -= n;
    }
    return 1;
}

extern "C" uint32_t mqttvpn_hook_now_ms(void)
{
    return millis();
}

extern "C" void mqttvpn_hook_log(int level, const char *fmt, ...)
{
    static const char *const names[] = {"", "E", "W", "I", "D"};
    char line[160];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    MQTTVPN_LOG_PORT.printf("[%s] %s\r\n", level >= 0 && level <= 4 ? names[level] : "?", line);
}
