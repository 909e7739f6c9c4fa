/* The bounded message queue (see mqttvpn/glue/msgq.h for the contract). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mqttvpn/glue/msgq.h"

static struct mqttvpn_msg *
slot(const struct mqttvpn_msgq *q, uint32_t i)
{
    return (struct mqttvpn_msg *)(void *)(q->storage + (size_t)i * q->stride);
}

uint32_t
mqttvpn_msgq_init(struct mqttvpn_msgq *q, void *storage, size_t storage_bytes, size_t cap)
{
    size_t stride = MQTTVPN_MSGQ_STRIDE(cap);
    size_t depth = storage_bytes / stride;

    memset(q, 0, sizeof(*q));
    if (storage == NULL || depth == 0 || depth > UINT32_MAX / 2u) {
        return 0;
    }
    q->storage = (unsigned char *)storage;
    q->stride = stride;
    q->cap = cap;
    q->depth = (uint32_t)depth;
    return q->depth;
}

struct mqttvpn_msg *
mqttvpn_msgq_reserve(struct mqttvpn_msgq *q)
{
    /* Free-running counters: head - tail is the fill level even across the 2^32 wrap. */
    if ((uint32_t)(q->head - q->tail) >= q->depth) {
        q->dropped_full++;
        return NULL;
    }
    return slot(q, q->head_slot);
}

void
mqttvpn_msgq_commit(struct mqttvpn_msgq *q)
{
    q->head_slot = q->head_slot + 1u == q->depth ? 0u : q->head_slot + 1u;
    q->head++;
}

int
mqttvpn_msgq_fill(struct mqttvpn_msgq *q, struct mqttvpn_msg *m, uint8_t kind, const char *topic,
                  size_t topic_len, const uint8_t *data, size_t len)
{
    if (topic_len >= sizeof(m->topic) || len > q->cap) {
        q->dropped_too_long++;
        return 0;
    }
    m->kind = kind;
    m->topic_len = topic_len;
    memcpy(m->topic, topic, topic_len);
    m->topic[topic_len] = '\0';
    m->len = len;
    if (len > 0) {
        memcpy(m->data, data, len);
    }
    return 1;
}

int
mqttvpn_msgq_push(struct mqttvpn_msgq *q, uint8_t kind, const char *topic, size_t topic_len,
                  const uint8_t *data, size_t len)
{
    struct mqttvpn_msg *m = mqttvpn_msgq_reserve(q);

    if (m == NULL || !mqttvpn_msgq_fill(q, m, kind, topic, topic_len, data, len)) {
        return 0;
    }
    mqttvpn_msgq_commit(q);
    return 1;
}

struct mqttvpn_msg *
mqttvpn_msgq_peek(struct mqttvpn_msgq *q)
{
    if (q->head == q->tail) {
        return NULL;
    }
    return slot(q, q->tail_slot);
}

void
mqttvpn_msgq_release(struct mqttvpn_msgq *q)
{
    if (q->head == q->tail) {
        return; /* nothing peeked: a caller bug, but not a reason to corrupt the queue */
    }
    q->tail_slot = q->tail_slot + 1u == q->depth ? 0u : q->tail_slot + 1u;
    q->tail++;
}

uint32_t
mqttvpn_msgq_count(const struct mqttvpn_msgq *q)
{
    return (uint32_t)(q->head - q->tail);
}
