/* Fragment reassembly for esp-mqtt (see mqttvpn/glue/reasm.h for the rules). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mqttvpn/glue/reasm.h"

enum { REASM_IDLE = 0, REASM_ASSEMBLING, REASM_SKIPPING };

void
mqttvpn_reasm_init(struct mqttvpn_reasm *r, uint8_t *buf, size_t cap)
{
    memset(r, 0, sizeof(*r));
    r->buf = buf;
    r->cap = buf != NULL ? cap : 0;
}

void
mqttvpn_reasm_reset(struct mqttvpn_reasm *r)
{
    if (r->state == REASM_ASSEMBLING) {
        r->counters.incomplete++;
    }
    r->state = REASM_IDLE;
}

/* Drops the message this fragment belongs to; later fragments of it are skipped. */
static enum mqttvpn_reasm_result
drop(struct mqttvpn_reasm *r, uint32_t *counter, int last)
{
    (*counter)++;
    r->state = last ? REASM_IDLE : REASM_SKIPPING;
    return MQTTVPN_REASM_DROPPED;
}

static enum mqttvpn_reasm_result
first_fragment(struct mqttvpn_reasm *r, const char *topic, int topic_len, const uint8_t *data,
               size_t len, size_t total, struct mqttvpn_reasm_message *out)
{
    int last = len == total;

    if (r->state == REASM_ASSEMBLING) {
        r->counters.incomplete++; /* its remaining fragments never came */
    }
    r->state = REASM_IDLE;
    if (last) {
        /* Whole: no copy. The netif decides about topic and size and counts its drops. */
        r->counters.whole++;
        out->topic = topic;
        out->topic_len = topic != NULL && topic_len > 0 ? (size_t)topic_len : 0;
        out->data = data;
        out->len = len;
        return MQTTVPN_REASM_DONE;
    }
    if (topic == NULL || topic_len <= 0 || (size_t)topic_len >= sizeof(r->topic)) {
        return drop(r, &r->counters.bad_topic, 0);
    }
    if (total > r->cap) {
        return drop(r, &r->counters.too_long, 0);
    }
    memcpy(r->topic, topic, (size_t)topic_len);
    r->topic_len = (size_t)topic_len;
    if (len > 0) { /* esp-mqtt passes data NULL with data_len 0: no memcpy from NULL */
        memcpy(r->buf, data, len);
    }
    r->have = len;
    r->total = total;
    r->state = REASM_ASSEMBLING;
    return MQTTVPN_REASM_MORE;
}

/*
 * After a first fragment without data, esp-mqtt's next fragment is at offset 0 again, with no
 * topic (or, with CONFIG_MQTT_TOPIC_PRESENT_ALL_DATA_EVENTS, the same one): it continues the
 * message. Another topic starts a new one.
 */
static int
continues_empty_start(const struct mqttvpn_reasm *r, const char *topic, int topic_len, size_t total)
{
    if (r->state != REASM_ASSEMBLING || r->have != 0 || total != r->total) {
        return 0;
    }
    return topic == NULL || topic_len <= 0 ||
           ((size_t)topic_len == r->topic_len && memcmp(topic, r->topic, r->topic_len) == 0);
}

enum mqttvpn_reasm_result
mqttvpn_reasm_feed(struct mqttvpn_reasm *r, const char *topic, int topic_len, const uint8_t *data,
                   int data_len, int offset, int total, struct mqttvpn_reasm_message *out)
{
    size_t len, off, tot;
    int last;

    if (data_len < 0 || offset < 0 || total < 0 || data_len > total || offset > total - data_len ||
        (data == NULL && data_len > 0)) {
        /* One drop, whether or not a message was being assembled: this fragment ends it. The fields
         * cannot be trusted to say where the message ends: skip to the next first fragment. */
        return drop(r, &r->counters.inconsistent, 0);
    }
    len = (size_t)data_len;
    off = (size_t)offset;
    tot = (size_t)total;
    last = off + len == tot;

    if (off == 0 && !continues_empty_start(r, topic, topic_len, tot)) {
        return first_fragment(r, topic, topic_len, data, len, tot, out);
    }
    switch (r->state) {
    case REASM_SKIPPING:
        if (last) {
            r->state = REASM_IDLE;
        }
        return MQTTVPN_REASM_MORE; /* already counted when its first fragment was dropped */
    case REASM_ASSEMBLING:
        if (tot != r->total || off != r->have) {
            return drop(r, &r->counters.inconsistent, last);
        }
        if (len > 0) {
            memcpy(r->buf + r->have, data, len);
        }
        r->have += len;
        if (!last) {
            return MQTTVPN_REASM_MORE;
        }
        r->state = REASM_IDLE;
        r->counters.reassembled++;
        out->topic = r->topic;
        out->topic_len = r->topic_len;
        out->data = r->buf;
        out->len = r->total;
        return MQTTVPN_REASM_DONE;
    default:
        /* A continuation whose first fragment we never saw. */
        return drop(r, &r->counters.inconsistent, last);
    }
}
