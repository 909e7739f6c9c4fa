/*
 * A bounded queue of MQTT messages in fixed, preallocated slots: the hand-over between the
 * context that receives (or produces) a message and the one that processes (or sends) it.
 *
 *   ESP8266: PubSubClient's callback -> rx queue -> loop() feeds lwIP;
 *            netif output (any lwIP context) -> tx queue -> loop() publishes.
 *   ESP-IDF: esp-mqtt task -> rx queue -> tcpip thread feeds lwIP;
 *            tcpip thread -> tx / control queues -> the component's task publishes.
 *
 * A full queue drops the new message and counts it; it never blocks and never allocates.
 *
 * One producer and one consumer. The producer owns `head`, the consumer `tail`; a slot
 * belongs to the producer from reserve to commit and to the consumer from peek to release,
 * so a message is copied in or processed in place without holding any lock. Where the two
 * sides can run truly in parallel (ESP-IDF, two cores), the platform serialises each call
 * (reserve, commit, peek, release) with a short critical section, which also orders the
 * memory accesses; the copies between those calls stay outside it. Where they cannot
 * (the ESP8266's cooperative CONT/SYS contexts, tests), no lock is needed.
 *
 * Portable C99, no platform header.
 */
#ifndef MQTTVPN_GLUE_MSGQ_H
#define MQTTVPN_GLUE_MSGQ_H

#include <stddef.h>
#include <stdint.h>

#include "mqttvpn/codec.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a slot carries besides topic and data; the queue does not interpret it. */
enum mqttvpn_msg_kind {
    MQTTVPN_MSG_DATA = 0,    /* a frame: received, or to publish */
    MQTTVPN_MSG_SUBSCRIBE,   /* topic only */
    MQTTVPN_MSG_UNSUBSCRIBE  /* topic only */
};

/* One slot: a header, then `cap` bytes of data (the queue's data capacity). */
struct mqttvpn_msg {
    uint8_t kind;                   /* enum mqttvpn_msg_kind */
    size_t topic_len;               /* strlen(topic) */
    size_t len;                     /* bytes in data */
    char topic[MQTTVPN_TOPIC_MAX];  /* NUL-terminated */
    uint8_t data[];                 /* the queue's data capacity */
};

struct mqttvpn_msgq {
    unsigned char *storage;         /* depth slots of `stride` bytes, owned by the caller */
    size_t stride;
    size_t cap;                     /* data capacity of a slot */
    uint32_t depth;
    /* Producer side. */
    volatile uint32_t head;         /* messages committed, wraps at 2^32 */
    uint32_t head_slot;
    uint32_t dropped_full;          /* no free slot */
    uint32_t dropped_too_long;      /* topic or data larger than a slot */
    /* Consumer side. */
    volatile uint32_t tail;         /* messages released, wraps at 2^32 */
    uint32_t tail_slot;
};

/* Bytes of one slot for a data capacity, rounded so that every slot stays aligned. */
#define MQTTVPN_MSGQ_STRIDE(cap) \
    ((sizeof(struct mqttvpn_msg) + (cap) + sizeof(size_t) - 1u) / sizeof(size_t) * sizeof(size_t))

/*
 * Declares storage for a queue: `depth` slots of `cap` data bytes, aligned for the slot
 * header (an array of size_t). Use as a member or a static:
 *   MQTTVPN_MSGQ_STORAGE(rx_storage, 4, MQTTVPN_MAX_FRAME);
 */
#define MQTTVPN_MSGQ_STORAGE(name, depth, cap) \
    size_t name[(MQTTVPN_MSGQ_STRIDE(cap) * (depth)) / sizeof(size_t)]

/*
 * Sets q up over storage (storage_bytes long, size_t-aligned) with slots of `cap` data
 * bytes. Returns the number of slots (>= 1), or 0 when storage cannot hold one slot.
 */
uint32_t mqttvpn_msgq_init(struct mqttvpn_msgq *q, void *storage, size_t storage_bytes, size_t cap);

/* Producer: the next free slot, or NULL (counted in dropped_full) when the queue is full. */
struct mqttvpn_msg *mqttvpn_msgq_reserve(struct mqttvpn_msgq *q);
/* Producer: publishes the reserved slot to the consumer. */
void mqttvpn_msgq_commit(struct mqttvpn_msgq *q);

/*
 * Producer, in one step: copies topic (topic_len bytes, no NUL needed) and data into a slot.
 * Returns 1 when queued, 0 when dropped (full, or too long for a slot: both counted).
 * Not for platforms that must lock around each call: use reserve/commit there.
 */
int mqttvpn_msgq_push(struct mqttvpn_msgq *q, uint8_t kind, const char *topic, size_t topic_len,
                      const uint8_t *data, size_t len);
/*
 * Fills a reserved slot (the copy part of push). Returns 0, and leaves the slot to be
 * reused by the next reserve, when topic or data do not fit (counted in dropped_too_long).
 */
int mqttvpn_msgq_fill(struct mqttvpn_msgq *q, struct mqttvpn_msg *m, uint8_t kind, const char *topic,
                      size_t topic_len, const uint8_t *data, size_t len);

/* Consumer: the oldest committed message, or NULL. It stays queued until release. */
struct mqttvpn_msg *mqttvpn_msgq_peek(struct mqttvpn_msgq *q);
/* Consumer: frees the slot returned by peek. */
void mqttvpn_msgq_release(struct mqttvpn_msgq *q);

/* Messages committed and not yet released. */
uint32_t mqttvpn_msgq_count(const struct mqttvpn_msgq *q);

#ifdef __cplusplus
}
#endif
#endif /* MQTTVPN_GLUE_MSGQ_H */
