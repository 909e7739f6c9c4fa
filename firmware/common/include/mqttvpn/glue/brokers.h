/*
 * Which broker a device tries next, when it has several (failover): the same rules as the
 * Linux host's (host/.../mqtt/BrokerRotation.java).
 *
 * - A round is one attempt at every broker. After a failed attempt the next broker of the
 *   round is tried at once; only when every broker of a round failed does the session back
 *   off (see session.h). A lost session moves on to the next broker too.
 * - In order, a round follows the list (index 0, the first, is the home broker), starting
 *   after the broker just tried. At random, every round is a new random order of all the
 *   brokers (mqttvpn_hook_random; list order when it gives no bytes), not starting with the
 *   broker just tried.
 * - With a return interval, a device up on another broker than the first is told every
 *   interval to go back and try the first (mqttvpn_session_return_due); a device cannot ask the
 *   first broker without leaving the one it is on, so if the first still does not answer, the
 *   failure moves it on at once (a gap of one connection attempt per interval).
 *
 * Pure logic on indices: no lwIP, no platform header, no allocation. Portable C99.
 */
#ifndef MQTTVPN_GLUE_BROKERS_H
#define MQTTVPN_GLUE_BROKERS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef MQTTVPN_MAX_BROKERS
#define MQTTVPN_MAX_BROKERS 4u /* brokers a device can fail over between; override with -D */
#endif

enum mqttvpn_broker_order {
    MQTTVPN_BROKERS_IN_ORDER = 0,
    MQTTVPN_BROKERS_RANDOM = 1
};

struct mqttvpn_brokers {
    uint8_t count;                          /* 1..MQTTVPN_MAX_BROKERS */
    uint8_t order;                          /* enum mqttvpn_broker_order */
    uint8_t sequence[MQTTVPN_MAX_BROKERS];  /* this round's order of broker indices */
    uint8_t position;                       /* the current step of the round */
    uint8_t failures;                       /* failed attempts since the last success or round */
    uint8_t return_armed;                   /* the return timer runs (up, away from home) */
    uint32_t return_ms;                     /* 0: stay where it is */
    uint32_t return_at_ms;                  /* when the armed timer fires */
};

/* count is clamped to 1..MQTTVPN_MAX_BROKERS; return_ms 0 turns the return off. */
void mqttvpn_brokers_init(struct mqttvpn_brokers *b, unsigned count, enum mqttvpn_broker_order order,
                          uint32_t return_ms);

/* The index (into the platform's list) to connect to now. */
unsigned mqttvpn_brokers_current(const struct mqttvpn_brokers *b);

/* The attempt at the current broker failed: moves to the next. 1 when that ended a round in
 * which every broker failed (back off now), 0 when another broker is still to be tried. */
int mqttvpn_brokers_failed(struct mqttvpn_brokers *b);

/* The session on the current broker was lost: moves to the next; a new round starts. */
void mqttvpn_brokers_lost(struct mqttvpn_brokers *b);

/* The current broker took the connection: failures forgotten. */
void mqttvpn_brokers_connected(struct mqttvpn_brokers *b);

/* Up on the current broker: 1 when the device should leave it and try the home broker now
 * (return on, away from home, the interval has passed since the first call after connected()). */
int mqttvpn_brokers_return_due(struct mqttvpn_brokers *b, uint32_t now_ms);

/* The home broker becomes the current one; a new round starts there. */
void mqttvpn_brokers_go_home(struct mqttvpn_brokers *b);

#ifdef __cplusplus
}
#endif
#endif /* MQTTVPN_GLUE_BROKERS_H */
