/*
 * The platform hooks of the portable core (mqttvpn/hooks.h) on ESP-IDF. The driver calls the
 * MQTT hooks in the tcpip thread: they only queue (the component's task talks to esp-mqtt,
 * see mqtt_vpn_priv.h for why), so they never block and never take esp-mqtt's lock.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "esp_log.h"
#include "esp_random.h"
#include "esp_timer.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"

#include "mqtt_vpn_priv.h"
#include "mqttvpn/hooks.h"

static const char *TAG = "mqtt_vpn";

/* Copies into a slot of q and wakes the task; 0 (counted by the queue) when q is full. */
static int enqueue(struct mqtt_vpn *vpn, struct mqttvpn_msgq *q, uint8_t kind, const char *topic,
                   const uint8_t *data, size_t len)
{
    if (vpn->stopping) {
        return 0; /* the task is gone or going (mqtt_vpn_stop): nothing would send it */
    }
    /* topic and data are the driver's scratch buffers, valid during this call only: copied. */
    if (!mqtt_vpn_push(vpn, q, kind, topic, strlen(topic), data, len)) {
        return 0;
    }
    xTaskNotifyGive(vpn->task);
    return 1;
}

int mqttvpn_hook_publish(void *ctx, const char *topic, const uint8_t *payload, size_t len)
{
    struct mqtt_vpn *vpn = ctx;
    return enqueue(vpn, &vpn->txq, MQTTVPN_MSG_DATA, topic, payload, len);
}

int mqttvpn_hook_subscribe(void *ctx, const char *topic)
{
    struct mqtt_vpn *vpn = ctx;
    return enqueue(vpn, &vpn->ctlq, MQTTVPN_MSG_SUBSCRIBE, topic, NULL, 0);
}

int mqttvpn_hook_unsubscribe(void *ctx, const char *topic)
{
    struct mqtt_vpn *vpn = ctx;
    return enqueue(vpn, &vpn->ctlq, MQTTVPN_MSG_UNSUBSCRIBE, topic, NULL, 0);
}

/*
 * esp_fill_random (esp_random.h): the hardware RNG, a true random source while Wi-Fi or
 * Bluetooth is on (ESP-IDF "Random Number Generation"), which it is for a VPN whose broker
 * is reached over Wi-Fi. Over Ethernet only, enable bootloader_random_enable() or another
 * entropy source as that page describes.
 */
int mqttvpn_hook_random(uint8_t *buf, size_t len)
{
    esp_fill_random(buf, len);
    return 1;
}

uint32_t mqttvpn_hook_now_ms(void)
{
    return (uint32_t)(esp_timer_get_time() / 1000);
}

void mqttvpn_hook_log(int level, const char *fmt, ...)
{
    char line[160];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    switch (level) {
    case MQTTVPN_LOG_ERROR:
        ESP_LOGE(TAG, "%s", line);
        break;
    case MQTTVPN_LOG_WARN:
        ESP_LOGW(TAG, "%s", line);
        break;
    case MQTTVPN_LOG_INFO:
        ESP_LOGI(TAG, "%s", line);
        break;
    default:
        ESP_LOGD(TAG, "%s", line);
        break;
    }
}
