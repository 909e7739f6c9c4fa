/*
 * The platform hooks: the only way the portable core reaches its platform.
 *
 * Your platform integration (ESP8266 Arduino glue, ESP-IDF component, host-sim) must
 * provide every function declared here, as plain C functions linked with the core. The
 * core includes no platform header; everything it needs from outside goes through these.
 *
 * "Core context" below means wherever lwIP's core may run: the main loop with NO_SYS=1,
 * the tcpip thread with NO_SYS=0, or any thread holding LOCK_TCPIP_CORE() when
 * LWIP_TCPIP_CORE_LOCKING=1. The lwIP core is locked while these hooks run from there.
 */
#ifndef MQTTVPN_HOOKS_H
#define MQTTVPN_HOOKS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Publishes payload (len bytes) to topic (NUL-terminated) with QoS 0, retain false.
 * ctx is the `platform` pointer of the netif's config (which MQTT client to use).
 * Returns nonzero when the message was sent or queued for sending, 0 when it was not
 * (not connected, queue full, out of memory): the core counts that and drops the packet.
 * Called from the core context, so it must:
 *   - not block waiting for the network (queue the message and return);
 *   - copy topic and payload if it keeps them: both are only valid during the call;
 *   - not call back into lwIP or into the mqttvpn driver, and not take a lock that a
 *     thread may hold while it waits for the lwIP core (e.g. its own message callback
 *     calling LOCK_TCPIP_CORE()), or the two deadlock.
 */
int mqttvpn_hook_publish(void *ctx, const char *topic, const uint8_t *payload, size_t len);

/*
 * Subscribes to / unsubscribes from topic (NUL-terminated) with QoS 0. Called from the
 * core context, typically right after the platform reported the MQTT connection up.
 * Same rules as mqttvpn_hook_publish: non-blocking, topic valid only during the call.
 * Returns nonzero when the request was sent or queued, 0 otherwise.
 */
int mqttvpn_hook_subscribe(void *ctx, const char *topic);
int mqttvpn_hook_unsubscribe(void *ctx, const char *topic);

/*
 * Fills buf with len bytes from a cryptographic random source (nonces: PROTOCOL.md).
 * Any context; must be reentrant. Returns nonzero on success, 0 if no secure random
 * bytes could be had: the core then drops the packet rather than reuse a nonce.
 * ESP: esp_fill_random() with the radio on; Linux: getrandom().
 */
int mqttvpn_hook_random(uint8_t *buf, size_t len);

/* Milliseconds since some fixed point (boot), monotonic, wrapping at 2^32. Any context. */
uint32_t mqttvpn_hook_now_ms(void);

/* Log levels: a message is emitted when its level <= MQTTVPN_LOG_LEVEL. */
#define MQTTVPN_LOG_NONE  0
#define MQTTVPN_LOG_ERROR 1
#define MQTTVPN_LOG_WARN  2
#define MQTTVPN_LOG_INFO  3
#define MQTTVPN_LOG_DEBUG 4

#ifndef MQTTVPN_LOG_LEVEL
#define MQTTVPN_LOG_LEVEL MQTTVPN_LOG_INFO  /* override with -DMQTTVPN_LOG_LEVEL=... */
#endif

/*
 * Writes one log line (printf format, no trailing newline needed) at level. Any context;
 * must not block for long and must not call back into lwIP. The platform may filter
 * further at run time. The core never calls it directly, only through MQTTVPN_LOG, so
 * messages above MQTTVPN_LOG_LEVEL cost nothing, not even their arguments.
 */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void mqttvpn_hook_log(int level, const char *fmt, ...);

#define MQTTVPN_LOG(level, ...)                                              \
    do {                                                                     \
        if ((level) <= MQTTVPN_LOG_LEVEL) { mqttvpn_hook_log((level), __VA_ARGS__); } \
    } while (0)

#ifdef __cplusplus
}
#endif
#endif /* MQTTVPN_HOOKS_H */
