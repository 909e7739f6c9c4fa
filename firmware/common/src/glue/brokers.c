/* Broker failover: which broker next (see mqttvpn/glue/brokers.h). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mqttvpn/glue/brokers.h"
#include "mqttvpn/hooks.h"

/* A random number below n (n >= 1); n - 1 when the hook gives no bytes, which leaves the
 * shuffle below in list order. */
static unsigned
below(unsigned n, int *ok)
{
    uint32_t r;

    if (!*ok || !mqttvpn_hook_random((uint8_t *)&r, sizeof(r))) {
        *ok = 0;
        return n - 1u;
    }
    return (unsigned)(r % n);
}

/* A new random round (Fisher-Yates) that does not start with last (when there is a choice). */
static void
shuffle(struct mqttvpn_brokers *b, int last)
{
    unsigned i, j;
    uint8_t t;
    int ok = 1;

    for (i = b->count - 1u; i > 0; i--) {
        j = below(i + 1u, &ok);
        t = b->sequence[i];
        b->sequence[i] = b->sequence[j];
        b->sequence[j] = t;
    }
    if (b->count > 1 && (int)b->sequence[0] == last) {
        j = ok ? 1u + below(b->count - 1u, &ok) : 1u;
        b->sequence[0] = b->sequence[j];
        b->sequence[j] = (uint8_t)last;
    }
    b->position = 0;
}

void
mqttvpn_brokers_init(struct mqttvpn_brokers *b, unsigned count, enum mqttvpn_broker_order order,
                     uint32_t return_ms)
{
    unsigned i;

    memset(b, 0, sizeof(*b));
    b->count = (uint8_t)(count < 1u ? 1u : count > MQTTVPN_MAX_BROKERS ? MQTTVPN_MAX_BROKERS : count);
    b->order = (uint8_t)order;
    b->return_ms = return_ms;
    for (i = 0; i < b->count; i++) {
        b->sequence[i] = (uint8_t)i;
    }
    if (order == MQTTVPN_BROKERS_RANDOM) {
        shuffle(b, -1);
    }
}

unsigned
mqttvpn_brokers_current(const struct mqttvpn_brokers *b)
{
    return b->sequence[b->position];
}

static void
step(struct mqttvpn_brokers *b)
{
    b->return_armed = 0;
    if (++b->position < b->count) {
        return;
    }
    b->position = 0;
    if (b->order == MQTTVPN_BROKERS_RANDOM) {
        shuffle(b, b->sequence[b->count - 1u]);
    }
}

int
mqttvpn_brokers_failed(struct mqttvpn_brokers *b)
{
    int round_over = ++b->failures >= b->count;

    if (round_over) {
        b->failures = 0;
    }
    step(b);
    return round_over;
}

void
mqttvpn_brokers_lost(struct mqttvpn_brokers *b)
{
    b->failures = 0;
    step(b);
}

void
mqttvpn_brokers_connected(struct mqttvpn_brokers *b)
{
    b->failures = 0;
    b->return_armed = 0;
}

int
mqttvpn_brokers_return_due(struct mqttvpn_brokers *b, uint32_t now_ms)
{
    if (b->return_ms == 0 || mqttvpn_brokers_current(b) == 0) {
        return 0;
    }
    if (!b->return_armed) {
        b->return_armed = 1;
        b->return_at_ms = now_ms + b->return_ms;
        return 0;
    }
    /* Signed difference: correct across the 2^32 ms wrap of the clock. */
    if ((int32_t)(now_ms - b->return_at_ms) < 0) {
        return 0;
    }
    b->return_armed = 0;
    return 1;
}

void
mqttvpn_brokers_go_home(struct mqttvpn_brokers *b)
{
    unsigned i;

    b->failures = 0;
    b->return_armed = 0;
    for (i = 0; i < b->count; i++) {
        if (b->sequence[i] == 0) {
            b->position = (uint8_t)i;
            return;
        }
    }
}
