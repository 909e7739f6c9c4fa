/*
 * Reassembly of MQTT messages that esp-mqtt delivers in several MQTT_EVENT_DATA events.
 *
 * esp-mqtt hands a message longer than its receive buffer over in fragments: every event
 * carries data_len bytes at current_data_offset of a message of total_data_len bytes, and
 * only the first one (offset 0) carries the topic (esp-mqtt's mqtt_client.h, MQTT_EVENT_DATA).
 * Fragments of one message arrive in order from one task; a new message starts at offset 0.
 * An event may carry no data (data NULL, data_len 0): esp-mqtt sends a first one like that
 * when its receive buffer ends with the topic, and its next event is at offset 0 again; a
 * fragment at offset 0 continues a message that has no byte yet when it has the same total
 * and no topic or the same one.
 *
 * A message that arrives whole (offset 0, data_len == total) is passed through without a
 * copy. Otherwise the fragments are copied into the caller's buffer (MQTTVPN_MAX_FRAME
 * bytes: the largest frame the VPN carries). Dropped, each counted once:
 *   - too_long:     total larger than the buffer (the rest of its fragments are skipped);
 *   - inconsistent: negative or out-of-range fields, a gap or an overlap, a total that
 *                   changes within a message, a continuation without its first fragment;
 *   - incomplete:   a message whose fragments stopped coming (the next one began, or
 *                   the connection was lost: mqttvpn_reasm_reset);
 *   - bad_topic:    a fragmented message whose first fragment has no topic or one longer
 *                   than any reading topic.
 *
 * Portable C99, no platform header. Not thread-safe: one instance per MQTT client task.
 */
#ifndef MQTTVPN_GLUE_REASM_H
#define MQTTVPN_GLUE_REASM_H

#include <stddef.h>
#include <stdint.h>

#include "mqttvpn/codec.h"

#ifdef __cplusplus
extern "C" {
#endif

enum mqttvpn_reasm_result {
    MQTTVPN_REASM_DROPPED = -1, /* this fragment ended a message as a drop (counted) */
    MQTTVPN_REASM_MORE = 0,     /* accepted, or skipped as part of a dropped message */
    MQTTVPN_REASM_DONE = 1      /* *out holds a complete message */
};

struct mqttvpn_reasm_counters {
    uint32_t whole;        /* messages that arrived in one piece */
    uint32_t reassembled;  /* messages put together from two or more fragments */
    uint32_t too_long;
    uint32_t inconsistent;
    uint32_t incomplete;
    uint32_t bad_topic;
};

struct mqttvpn_reasm {
    uint8_t *buf;          /* the caller's buffer */
    size_t cap;
    size_t total;          /* length of the message being assembled */
    size_t have;           /* bytes of it received so far */
    size_t topic_len;
    uint8_t state;         /* private */
    char topic[MQTTVPN_TOPIC_MAX];
    struct mqttvpn_reasm_counters counters;
};

/* A complete message; valid until the next feed (or, passed through, during the event). */
struct mqttvpn_reasm_message {
    const char *topic;     /* not NUL-terminated when passed through */
    size_t topic_len;
    const uint8_t *data;
    size_t len;
};

/* Uses buf (cap bytes, normally MQTTVPN_MAX_FRAME) to assemble fragmented messages. */
void mqttvpn_reasm_init(struct mqttvpn_reasm *r, uint8_t *buf, size_t cap);

/*
 * Takes one MQTT_EVENT_DATA: topic/topic_len (first fragment only; ignored later), data_len
 * bytes at offset of a total-byte message, as esp-mqtt's int fields. Returns DONE with *out
 * set when a message is complete, MORE while one is being assembled, DROPPED when this
 * fragment made the reassembler drop a message.
 */
enum mqttvpn_reasm_result mqttvpn_reasm_feed(struct mqttvpn_reasm *r, const char *topic, int topic_len,
                                             const uint8_t *data, int data_len, int offset, int total,
                                             struct mqttvpn_reasm_message *out);

/* Forgets a message in progress (counted as incomplete), e.g. when the connection drops. */
void mqttvpn_reasm_reset(struct mqttvpn_reasm *r);

#ifdef __cplusplus
}
#endif
#endif /* MQTTVPN_GLUE_REASM_H */
