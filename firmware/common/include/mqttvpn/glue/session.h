/*
 * The MQTT session as the VPN sees it: when to (re)connect, and what to tell the interface.
 *
 *        init            poll() due            connected()
 *   ---> WAITING ------------------> CONNECTING -----------> UP
 *          ^   <------------------------  |                   |
 *          |          failed()                                 |
 *          +---------------------------------------------------+
 *                              lost()
 *
 * Retries back off exponentially from min_ms to max_ms; each delay is drawn from
 * [d/2, d] with mqttvpn_hook_random ("equal jitter"), so devices that lost the broker
 * together do not come back in step. A session that came up resets the backoff. Every
 * new session subscribes the reading topics again through the interface (the original's
 * clean sessions keep no subscriptions on the broker).
 *
 * With several brokers (mqttvpn_session_set_brokers, rules in brokers.h) the platform connects
 * to mqttvpn_session_broker() at each attempt: a failed attempt moves on to the next broker at
 * once, and only a round in which every broker failed backs off; a lost session moves on to
 * the next broker after the shortest delay. With one broker (the default) nothing changes.
 *
 * The platform drives it: poll() from its loop or timer (an attempt is due: connect),
 * connected()/failed()/lost() when the MQTT client says so. connected() and lost() talk to
 * lwIP: core context. init/poll/failed touch no lwIP. Portable C99, no platform header.
 */
#ifndef MQTTVPN_GLUE_SESSION_H
#define MQTTVPN_GLUE_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "lwip/err.h"

#include "mqttvpn/glue/brokers.h"
#include "mqttvpn/glue/iface.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef MQTTVPN_RECONNECT_MIN_MS
#define MQTTVPN_RECONNECT_MIN_MS 1000u   /* first retry delay; override with -D (IDF: Kconfig) */
#endif
#ifndef MQTTVPN_RECONNECT_MAX_MS
#define MQTTVPN_RECONNECT_MAX_MS 32000u  /* cap of the retry delay; override with -D (IDF: Kconfig) */
#endif

/* MQTT packet size that holds the largest frame: fixed header (5), topic length (2), the
 * longest topic and MQTTVPN_MAX_FRAME (PubSubClient setBufferSize, esp-mqtt buffer.size). */
#define MQTTVPN_MQTT_PACKET_MAX (5u + 2u + MQTTVPN_TOPIC_MAX + MQTTVPN_MAX_FRAME)

/* "MQTT_VPN_" and 8 hex digits: the original's client id pattern, from the random hook. */
#define MQTTVPN_CLIENT_ID_LEN 17u

enum mqttvpn_session_state {
    MQTTVPN_SESSION_WAITING = 0,
    MQTTVPN_SESSION_CONNECTING,
    MQTTVPN_SESSION_UP
};

struct mqttvpn_session {
    struct mqttvpn_iface *iface;
    uint32_t min_ms, max_ms;
    uint32_t backoff_ms;     /* the next delay before jitter */
    uint32_t next_ms;        /* when the next attempt is due (mqttvpn_hook_now_ms time) */
    uint32_t last_delay_ms;  /* the delay chosen last, for logs */
    uint8_t state;           /* enum mqttvpn_session_state */
    uint32_t attempts;       /* connection attempts started */
    uint32_t failures;       /* attempts that failed */
    uint32_t connects;       /* sessions that came up */
    struct mqttvpn_brokers brokers; /* which broker to try (one unless set_brokers) */
};

/* WAITING with the first attempt due at once. min_ms 0 or max_ms < min_ms are corrected. */
void mqttvpn_session_init(struct mqttvpn_session *s, struct mqttvpn_iface *iface, uint32_t min_ms,
                          uint32_t max_ms, uint32_t now_ms);

/* 1 when an attempt is due: the state becomes CONNECTING and the caller connects now. */
int mqttvpn_session_poll(struct mqttvpn_session *s, uint32_t now_ms);

/* The attempt failed: WAITING, next attempt after the returned delay (ms). */
uint32_t mqttvpn_session_failed(struct mqttvpn_session *s, uint32_t now_ms);

/* The MQTT session is up: backoff reset, interface subscribed and its link up. Core context. */
err_t mqttvpn_session_connected(struct mqttvpn_session *s);

/* The session was lost: link down, first retry after the returned delay. Core context. */
uint32_t mqttvpn_session_lost(struct mqttvpn_session *s, uint32_t now_ms);

/* Fail over between count brokers (1..MQTTVPN_MAX_BROKERS, clamped): see brokers.h. Call
 * after init, before the first attempt. return_ms 0: stay on whichever broker answered. */
void mqttvpn_session_set_brokers(struct mqttvpn_session *s, unsigned count, enum mqttvpn_broker_order order,
                                 uint32_t return_ms);

/* The index of the broker to connect to (at an attempt poll() said is due). */
unsigned mqttvpn_session_broker(const struct mqttvpn_session *s);

/* Up on another broker than the first, with a return interval that has passed: 1 when the
 * platform should leave this broker (disconnect) and call mqttvpn_session_go_home(). */
int mqttvpn_session_return_due(struct mqttvpn_session *s, uint32_t now_ms);

/* The platform left the broker to go back to the first: link down, the first broker's
 * attempt due at once. Core context. */
void mqttvpn_session_go_home(struct mqttvpn_session *s, uint32_t now_ms);

/* Sessions after the first. */
uint32_t mqttvpn_session_reconnects(const struct mqttvpn_session *s);

/* Writes "MQTT_VPN_xxxxxxxx" (random hex) to out; returns its length, 0 if cap is too small. */
size_t mqttvpn_client_id(char *out, size_t cap);

#ifdef __cplusplus
}
#endif
#endif /* MQTTVPN_GLUE_SESSION_H */
