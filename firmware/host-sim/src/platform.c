/*
 * The platform hooks (mqttvpn/hooks.h) of the virtual device: MQTT through libmosquitto,
 * random bytes from getrandom(), time from CLOCK_MONOTONIC, logs to stderr.
 */
#include <errno.h>
#include <stdarg.h>
#include <sys/random.h>
#include <time.h>

#include <mosquitto.h>

#include "log.h"
#include "mqttvpn/hooks.h"

/*
 * ctx is the struct mosquitto of the device. mosquitto_publish() only queues the packet
 * and wakes the network thread (mosquitto_loop_start mode): it does not block on the
 * socket, and takes none of the locks the network thread holds while it waits for the
 * lwIP core in its message callback.
 */
int mqttvpn_hook_publish(void *ctx, const char *topic, const uint8_t *payload, size_t len)
{
    int rc = mosquitto_publish((struct mosquitto *)ctx, NULL, topic, (int)len, payload, 0, false);
    if (rc != MOSQ_ERR_SUCCESS) {
        sim_log(MQTTVPN_LOG_DEBUG, "publish %zu bytes to %s failed: %s", len, topic, mosquitto_strerror(rc));
        return 0;
    }
    sim_log(MQTTVPN_LOG_DEBUG, "tx %zu bytes to %s", len, topic);
    return 1;
}

int mqttvpn_hook_subscribe(void *ctx, const char *topic)
{
    int rc = mosquitto_subscribe((struct mosquitto *)ctx, NULL, topic, 0);
    if (rc != MOSQ_ERR_SUCCESS) {
        sim_log(MQTTVPN_LOG_WARN, "subscribe %s failed: %s", topic, mosquitto_strerror(rc));
    }
    return rc == MOSQ_ERR_SUCCESS;
}

int mqttvpn_hook_unsubscribe(void *ctx, const char *topic)
{
    return mosquitto_unsubscribe((struct mosquitto *)ctx, NULL, topic) == MOSQ_ERR_SUCCESS;
}

int mqttvpn_hook_random(uint8_t *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = getrandom(buf, len, 0);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return 0;
        }
        buf += n;
        len -= (size_t)n;
    }
    return 1;
}

uint32_t mqttvpn_hook_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint32_t)((uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u);
}

void mqttvpn_hook_log(int level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sim_vlog(level, fmt, ap);
    va_end(ap);
}
