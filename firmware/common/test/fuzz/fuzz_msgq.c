/*
 * The bounded message queue (glue/msgq.h) against a model: a FIFO of copies with the
 * queue's depth and capacity, and the two drop counters. Any difference aborts.
 * Input: a data capacity, a storage size, whether the free-running counters start just
 * below their 2^32 wrap, then one operation per byte (with its arguments after it).
 */
#include "mqttvpn/glue/msgq.h"
#include "fuzz_check.h"

#define MAX_CAP 64u
#define MAX_DEPTH 8u

struct model_msg {
    uint8_t kind;
    size_t topic_len, len;
    char topic[MQTTVPN_TOPIC_MAX];
    uint8_t data[MAX_CAP];
};

static struct {
    struct model_msg q[MAX_DEPTH];
    uint32_t first, count, depth;
    size_t cap;
    uint32_t dropped_full, dropped_too_long;
} m;

static size_t storage[(MQTTVPN_MSGQ_STRIDE(MAX_CAP) * (MAX_DEPTH + 1)) / sizeof(size_t)];

static int model_fits(size_t topic_len, size_t len)
{
    return topic_len < MQTTVPN_TOPIC_MAX && len <= m.cap;
}

static void model_push(uint8_t kind, const char *topic, size_t topic_len, const uint8_t *data, size_t len)
{
    struct model_msg *e = &m.q[(m.first + m.count) % m.depth];
    e->kind = kind;
    e->topic_len = topic_len;
    memcpy(e->topic, topic, topic_len);
    e->topic[topic_len] = '\0';
    e->len = len;
    memcpy(e->data, data, len);
    m.count++;
}

static void check_same(const struct mqttvpn_msgq *q, const struct mqttvpn_msg *got)
{
    FUZZ_CHECK(mqttvpn_msgq_count(q) == m.count);
    FUZZ_CHECK(q->dropped_full == m.dropped_full && q->dropped_too_long == m.dropped_too_long);
    if (m.count == 0) {
        FUZZ_CHECK(got == NULL);
        return;
    }
    {
        const struct model_msg *e = &m.q[m.first];
        FUZZ_CHECK(got != NULL);
        FUZZ_CHECK(got->kind == e->kind && got->topic_len == e->topic_len && got->len == e->len);
        FUZZ_CHECK(memcmp(got->topic, e->topic, e->topic_len + 1) == 0);
        FUZZ_CHECK(memcmp(got->data, e->data, e->len) == 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_in in = {data, size};
    struct mqttvpn_msgq q;
    size_t cap = fuzz_u8(&in) % (MAX_CAP + 1);
    size_t stride = MQTTVPN_MSGQ_STRIDE(cap);
    /* Any size up to MAX_DEPTH slots and a bit: the queue takes the whole slots in it. */
    size_t bytes = (size_t)fuzz_u16(&in) % (stride * MAX_DEPTH + stride);
    uint8_t flags = fuzz_u8(&in);
    struct mqttvpn_msg *reserved = NULL;
    uint32_t depth;

    memset(&m, 0, sizeof m);
    memset(storage, 0x5a, sizeof storage);
    depth = mqttvpn_msgq_init(&q, storage, bytes, cap);
    FUZZ_CHECK(depth == bytes / stride);
    if (depth == 0) {
        FUZZ_CHECK(mqttvpn_msgq_count(&q) == 0);
        return 0;
    }
    m.depth = depth;
    m.cap = cap;
    if (flags & 1) {
        /* A queue that has carried nearly 2^32 messages: the counters wrap during this run. */
        q.head = q.tail = 0xfffffff0u + (flags >> 4);
    }

    while (in.left > 0) {
        uint8_t op = fuzz_u8(&in), kind = fuzz_u8(&in) % 3;
        size_t topic_len = fuzz_u8(&in), len = fuzz_u8(&in) % (MAX_CAP + 8), got_len;
        char topic[256];
        uint8_t payload[MAX_CAP + 8] = {0};
        const uint8_t *b = fuzz_bytes(&in, len, &got_len);

        memset(topic, 't', sizeof topic);
        memcpy(payload, b, got_len);
        switch (op % 6) {
        case 0: /* push */
            if (reserved != NULL) {
                break; /* one producer: no push while a slot is reserved */
            }
            if (m.count == m.depth) {
                FUZZ_CHECK(mqttvpn_msgq_push(&q, kind, topic, topic_len, payload, len) == 0);
                m.dropped_full++;
            } else if (!model_fits(topic_len, len)) {
                FUZZ_CHECK(mqttvpn_msgq_push(&q, kind, topic, topic_len, payload, len) == 0);
                m.dropped_too_long++;
            } else {
                FUZZ_CHECK(mqttvpn_msgq_push(&q, kind, topic, topic_len, payload, len) == 1);
                model_push(kind, topic, topic_len, payload, len);
            }
            break;
        case 1: /* reserve (again: the same slot while it is not committed) */
            {
                struct mqttvpn_msg *r = mqttvpn_msgq_reserve(&q);
                if (m.count == m.depth) {
                    FUZZ_CHECK(r == NULL);
                    m.dropped_full++;
                } else {
                    FUZZ_CHECK(r != NULL && (reserved == NULL || r == reserved));
                    reserved = r;
                }
            }
            break;
        case 2: /* fill and commit the reserved slot */
            if (reserved == NULL) {
                break;
            }
            if (!model_fits(topic_len, len)) {
                FUZZ_CHECK(mqttvpn_msgq_fill(&q, reserved, kind, topic, topic_len, payload, len) == 0);
                m.dropped_too_long++;
                break; /* still reserved: the next reserve hands it out again */
            }
            FUZZ_CHECK(mqttvpn_msgq_fill(&q, reserved, kind, topic, topic_len, payload, len) == 1);
            mqttvpn_msgq_commit(&q);
            model_push(kind, topic, topic_len, payload, len);
            reserved = NULL;
            break;
        case 3: /* peek: the oldest, not the reserved one */
            check_same(&q, mqttvpn_msgq_peek(&q));
            break;
        case 4: /* peek and release */
            check_same(&q, mqttvpn_msgq_peek(&q));
            mqttvpn_msgq_release(&q);
            if (m.count > 0) {
                m.first = (m.first + 1) % m.depth;
                m.count--;
            }
            break;
        default: /* release without a peek: a no-op on an empty queue */
            mqttvpn_msgq_release(&q);
            if (m.count > 0) {
                m.first = (m.first + 1) % m.depth;
                m.count--;
            }
            break;
        }
        check_same(&q, mqttvpn_msgq_peek(&q));
    }
    return 0;
}
