/* The reconnect state machine (see mqttvpn/glue/session.h). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mqttvpn/glue/iface.h"
#include "mqttvpn/glue/session.h"
#include "mqttvpn/hooks.h"

void
mqttvpn_session_init(struct mqttvpn_session *s, struct mqttvpn_iface *iface, uint32_t min_ms,
                     uint32_t max_ms, uint32_t now_ms)
{
    memset(s, 0, sizeof(*s));
    s->iface = iface;
    s->min_ms = min_ms > 0 ? min_ms : 1u;
    s->max_ms = max_ms >= s->min_ms ? max_ms : s->min_ms;
    s->backoff_ms = s->min_ms;
    s->next_ms = now_ms;
    s->state = MQTTVPN_SESSION_WAITING;
    mqttvpn_brokers_init(&s->brokers, 1u, MQTTVPN_BROKERS_IN_ORDER, 0);
}

void
mqttvpn_session_set_brokers(struct mqttvpn_session *s, unsigned count, enum mqttvpn_broker_order order,
                            uint32_t return_ms)
{
    mqttvpn_brokers_init(&s->brokers, count, order, return_ms);
}

unsigned
mqttvpn_session_broker(const struct mqttvpn_session *s)
{
    return mqttvpn_brokers_current(&s->brokers);
}

int
mqttvpn_session_poll(struct mqttvpn_session *s, uint32_t now_ms)
{
    /* Signed difference: correct across the 2^32 ms (49.7 day) wrap of the clock. */
    if (s->state != MQTTVPN_SESSION_WAITING || (int32_t)(now_ms - s->next_ms) < 0) {
        return 0;
    }
    s->state = MQTTVPN_SESSION_CONNECTING;
    s->attempts++;
    return 1;
}

/* A delay in [base/2, base]; without random bytes the whole base (no jitter, still capped). */
static uint32_t
jittered(uint32_t base)
{
    uint32_t half = base / 2u, r;

    if (half == 0 || !mqttvpn_hook_random((uint8_t *)&r, sizeof(r))) {
        return base;
    }
    return base - half + r % (half + 1u);
}

/* Schedules the next attempt after a jittered base delay, and doubles the base up to the cap. */
static uint32_t
schedule(struct mqttvpn_session *s, uint32_t now_ms)
{
    uint32_t delay = jittered(s->backoff_ms);

    s->state = MQTTVPN_SESSION_WAITING;
    s->next_ms = now_ms + delay;
    s->last_delay_ms = delay;
    s->backoff_ms = s->backoff_ms > s->max_ms / 2u ? s->max_ms : s->backoff_ms * 2u;
    return delay;
}

uint32_t
mqttvpn_session_failed(struct mqttvpn_session *s, uint32_t now_ms)
{
    s->failures++;
    if (!mqttvpn_brokers_failed(&s->brokers)) {
        /* Another broker of this round is still to be tried: at once, backoff unchanged. */
        s->state = MQTTVPN_SESSION_WAITING;
        s->next_ms = now_ms;
        s->last_delay_ms = 0;
        return 0;
    }
    return schedule(s, now_ms);
}

err_t
mqttvpn_session_connected(struct mqttvpn_session *s)
{
    s->state = MQTTVPN_SESSION_UP;
    s->connects++;
    s->backoff_ms = s->min_ms;
    mqttvpn_brokers_connected(&s->brokers);
    /* Clean session: the broker forgot our subscriptions, the interface subscribes them all. */
    return mqttvpn_iface_set_connected(s->iface, 1);
}

uint32_t
mqttvpn_session_lost(struct mqttvpn_session *s, uint32_t now_ms)
{
    if (s->state == MQTTVPN_SESSION_UP) {
        (void)mqttvpn_iface_set_connected(s->iface, 0);
    }
    mqttvpn_brokers_lost(&s->brokers);
    s->backoff_ms = s->min_ms;
    return schedule(s, now_ms);
}

int
mqttvpn_session_return_due(struct mqttvpn_session *s, uint32_t now_ms)
{
    return s->state == MQTTVPN_SESSION_UP && mqttvpn_brokers_return_due(&s->brokers, now_ms);
}

void
mqttvpn_session_go_home(struct mqttvpn_session *s, uint32_t now_ms)
{
    if (s->state == MQTTVPN_SESSION_UP) {
        (void)mqttvpn_iface_set_connected(s->iface, 0);
    }
    mqttvpn_brokers_go_home(&s->brokers);
    s->backoff_ms = s->min_ms;
    s->state = MQTTVPN_SESSION_WAITING;
    s->next_ms = now_ms;
    s->last_delay_ms = 0;
}

uint32_t
mqttvpn_session_reconnects(const struct mqttvpn_session *s)
{
    return s->connects > 0 ? s->connects - 1u : 0u;
}

size_t
mqttvpn_client_id(char *out, size_t cap)
{
    static const char hex[] = "0123456789abcdef";
    static const char prefix[] = "MQTT_VPN_";
    uint8_t r[4];
    size_t i, n = sizeof(prefix) - 1u;

    if (cap < MQTTVPN_CLIENT_ID_LEN + 1u) {
        return 0;
    }
    if (!mqttvpn_hook_random(r, sizeof(r))) {
        /* An id need not be secret, only unlikely to collide: time will do. */
        uint32_t t = mqttvpn_hook_now_ms();
        memcpy(r, &t, sizeof(r));
    }
    memcpy(out, prefix, n);
    for (i = 0; i < sizeof(r); i++) {
        out[n++] = hex[r[i] >> 4];
        out[n++] = hex[r[i] & 15u];
    }
    out[n] = '\0';
    return n;
}
