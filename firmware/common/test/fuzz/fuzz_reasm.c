/*
 * esp-mqtt fragment reassembly (glue/reasm.h) against a model of the rules in reasm.h, with
 * the result, the message handed over and every counter compared after each event. The
 * input is a script; its operations:
 *   message  a whole message cut into fragments as esp-mqtt delivers them (the topic on the
 *            first, or on all with CONFIG_MQTT_TOPIC_PRESENT_ALL_DATA_EVENTS; possibly an
 *            empty first event with data NULL); with a good topic and a length that fits, it
 *            must come through intact whatever came before;
 *   partial  the same, stopped early (a lost connection, or a new message begins);
 *   raw      one event with arbitrary fields (negative, out of range, data NULL);
 *   reset    mqttvpn_reasm_reset.
 * Every fragment's data is an exact-size heap copy (NULL when empty, as esp-mqtt passes it),
 * so ASan sees a read past it; every message handed over is compared whole.
 * FUZZ_TRACE=1 in the environment prints the events (to replay a finding: build/fuzz_reasm FILE).
 */
#include "mqttvpn/glue/reasm.h"
#include "fuzz_check.h"

#define MAX_LEN 2000u   /* beyond the buffer (MQTTVPN_MAX_FRAME), so too_long is reached */
#define MAX_PIECES 16u
#define LONG_TOPIC (MQTTVPN_TOPIC_MAX + 3u)

static uint8_t buf[MQTTVPN_MAX_FRAME];
static char long_topic[LONG_TOPIC];

/* ---- the model: reasm.h's rules, written out --------------------------------------------- */

enum { M_IDLE, M_ASSEMBLING, M_SKIPPING };
static struct {
    int state;
    char topic[MQTTVPN_TOPIC_MAX];
    size_t topic_len, total, have;
    uint8_t data[MQTTVPN_MAX_FRAME];
    struct mqttvpn_reasm_counters c;
} m;

struct expect {
    enum mqttvpn_reasm_result res;
    const char *topic;   /* for DONE */
    size_t topic_len;
    const uint8_t *data; /* for DONE: what the bytes must be */
    size_t len;
};

static struct expect m_drop(uint32_t *counter, int last)
{
    struct expect e = {MQTTVPN_REASM_DROPPED, NULL, 0, NULL, 0};
    (*counter)++;
    m.state = last ? M_IDLE : M_SKIPPING;
    return e;
}

static struct expect m_feed(const char *topic, int tl, const uint8_t *data, int len, int off, int total)
{
    struct expect e = {MQTTVPN_REASM_MORE, NULL, 0, NULL, 0};
    int last, cont;
    if (len < 0 || off < 0 || total < 0 || len > total || off > total - len || (data == NULL && len > 0)) {
        return m_drop(&m.c.inconsistent, 0);
    }
    last = off + len == total;
    /* An offset-0 event continues an open message that has no byte yet, of the same total,
     * when it has no topic or the same one. */
    cont = m.state == M_ASSEMBLING && m.have == 0 && (size_t)total == m.total &&
           (topic == NULL || tl <= 0 || ((size_t)tl == m.topic_len && memcmp(topic, m.topic, m.topic_len) == 0));
    if (off == 0 && !cont) {
        if (m.state == M_ASSEMBLING) {
            m.c.incomplete++;
        }
        m.state = M_IDLE;
        if (last) {
            m.c.whole++;
            e.res = MQTTVPN_REASM_DONE;
            e.topic = topic;
            e.topic_len = topic != NULL && tl > 0 ? (size_t)tl : 0;
            e.data = data;
            e.len = (size_t)len;
            return e;
        }
        if (topic == NULL || tl <= 0 || (size_t)tl >= MQTTVPN_TOPIC_MAX) {
            return m_drop(&m.c.bad_topic, 0);
        }
        if ((size_t)total > sizeof buf) {
            return m_drop(&m.c.too_long, 0);
        }
        memcpy(m.topic, topic, (size_t)tl);
        m.topic_len = (size_t)tl;
        if (len > 0) {
            memcpy(m.data, data, (size_t)len);
        }
        m.have = (size_t)len;
        m.total = (size_t)total;
        m.state = M_ASSEMBLING;
        return e;
    }
    if (m.state == M_SKIPPING) {
        if (last) {
            m.state = M_IDLE;
        }
        return e;
    }
    if (m.state == M_IDLE || (size_t)total != m.total || (size_t)off != m.have) {
        return m_drop(&m.c.inconsistent, last);
    }
    if (len > 0) {
        memcpy(m.data + m.have, data, (size_t)len);
    }
    m.have += (size_t)len;
    if (!last) {
        return e;
    }
    m.state = M_IDLE;
    m.c.reassembled++;
    e.res = MQTTVPN_REASM_DONE;
    e.topic = m.topic;
    e.topic_len = m.topic_len;
    e.data = m.data;
    e.len = m.total;
    return e;
}

/* ---- driving both ------------------------------------------------------------------------ */

/* The last event's data copy: a message passed through points into it until the next feed. */
static uint8_t *last_copy;

/* Feeds one event to the reassembler and the model; returns what both agreed on. */
static enum mqttvpn_reasm_result feed(struct mqttvpn_reasm *r, const char *topic, int tl, const uint8_t *data,
                                      int len, int off, int total, struct mqttvpn_reasm_message *out)
{
    uint8_t *copy = NULL;
    struct expect e;
    enum mqttvpn_reasm_result res;

    free(last_copy);
    last_copy = NULL;
    if (data != NULL && len > 0) {
        copy = malloc((size_t)len);
        FUZZ_CHECK(copy != NULL);
        memcpy(copy, data, (size_t)len);
    }
    if (getenv("FUZZ_TRACE") != NULL) { /* replaying a finding: the events, one a line */
        fprintf(stderr, "feed topic=%.*s topic_len=%d data=%s len=%d offset=%d total=%d\n",
                topic != NULL && tl > 0 && tl < 200 ? tl : 0, topic != NULL ? topic : "", tl,
                data != NULL ? "bytes" : "NULL", len, off, total);
    }
    e = m_feed(topic, tl, copy != NULL ? copy : data, len, off, total);
    memset(out, 0, sizeof *out);
    res = mqttvpn_reasm_feed(r, topic, tl, copy != NULL ? copy : data, len, off, total, out);
    FUZZ_CHECK(res == e.res);
    if (res == MQTTVPN_REASM_DONE) {
        FUZZ_CHECK(out->len == e.len && out->topic_len == e.topic_len);
        FUZZ_CHECK(e.topic_len == 0 || memcmp(out->topic, e.topic, e.topic_len) == 0);
        FUZZ_CHECK(e.len == 0 || memcmp(out->data, e.data, e.len) == 0);
        /* Passed through without a copy, or assembled in the caller's buffer. */
        FUZZ_CHECK(e.data == m.data ? out->data == r->buf : out->data == (copy != NULL ? copy : data));
    }
    FUZZ_CHECK(memcmp(&r->counters, &m.c, sizeof m.c) == 0);
    last_copy = copy;
    return res;
}

static const char *pick_topic(uint8_t sel, char own[32], int *len)
{
    switch (sel % 8) {
    case 6:
        *len = 0;
        return NULL;
    case 7:
        *len = (int)LONG_TOPIC;
        return long_topic;
    default:
        *len = snprintf(own, 32, "mqttip/10.0.%u.%u", (unsigned)(sel % 8), (unsigned)(sel >> 3));
        return own;
    }
}

/* A message of L bytes, cut where the input says; `partial`: stopped before its end. */
static void message(struct mqttvpn_reasm *r, struct fuzz_in *in, int partial)
{
    static uint8_t content[MAX_LEN];
    char own[32];
    int tl;
    const char *topic = pick_topic(fuzz_u8(in), own, &tl);
    uint8_t flags = fuzz_u8(in);
    size_t L = fuzz_u16(in) % (MAX_LEN + 1), n = fuzz_u8(in) % MAX_PIECES + 1, got, i, events;
    size_t cuts[MAX_PIECES + 1];
    int empty_first = (flags & 1) != 0, topic_on_all = (flags & 2) != 0;
    const uint8_t *b = fuzz_bytes(in, L, &got);
    enum mqttvpn_reasm_result res = MQTTVPN_REASM_MORE;
    struct mqttvpn_reasm_message out;

    memcpy(content, b, got);
    for (i = got; i < L; i++) {
        content[i] = (uint8_t)(i * 31u + 7u);
    }
    /* Cut points inside the message, ascending, no two equal: every event after the first
     * carries data, as esp-mqtt's do (it reads on until the message is complete). */
    cuts[0] = 0;
    {
        size_t want = n - 1, c;
        n = 1;
        for (i = 0; i < want; i++) {
            size_t j;
            c = fuzz_u16(in) % (L + 1);
            for (j = 1; j < n && cuts[j] < c; j++) {
            }
            if (c == 0 || c == L || (j < n && cuts[j] == c)) {
                continue;
            }
            memmove(&cuts[j + 1], &cuts[j], (n - j) * sizeof cuts[0]);
            cuts[j] = c;
            n++;
        }
    }
    cuts[n] = L;
    if (L == 0) { /* esp-mqtt hands a message of no bytes over in one event */
        n = 1;
        empty_first = 0;
    }
    events = n + (size_t)empty_first;
    if (partial) {
        events = events > 1 ? fuzz_u8(in) % (events - 1) + 1 : 0;
    }
    for (i = 0; i < events; i++) {
        size_t p = i - (size_t)empty_first; /* the empty first event is piece -1 */
        int first = i == 0;
        size_t off = empty_first && first ? 0 : cuts[p];
        size_t len = empty_first && first ? 0 : cuts[p + 1] - cuts[p];
        res = feed(r, first || topic_on_all ? topic : NULL, first || topic_on_all ? tl : 0,
                   len > 0 ? content + off : NULL, (int)len, (int)off, (int)L, &out);
    }
    /* With a good topic and a length that fits, nothing before can spoil a whole message. */
    if (!partial && topic != NULL && (size_t)tl < MQTTVPN_TOPIC_MAX && L <= sizeof buf) {
        FUZZ_CHECK(res == MQTTVPN_REASM_DONE && out.len == L && (L == 0 || memcmp(out.data, content, L) == 0));
        FUZZ_CHECK(out.topic_len == (size_t)tl && memcmp(out.topic, topic, (size_t)tl) == 0);
    }
}

static void raw(struct mqttvpn_reasm *r, struct fuzz_in *in)
{
    static uint8_t pool[MAX_LEN];
    char own[32];
    int tl;
    const char *topic = pick_topic(fuzz_u8(in), own, &tl);
    int len = (int16_t)fuzz_u16(in), off = (int16_t)fuzz_u16(in), total = (int16_t)fuzz_u16(in);
    uint8_t flags = fuzz_u8(in);
    struct mqttvpn_reasm_message out;

    if (flags & 1) {
        int t = (int8_t)fuzz_u8(in); /* a topic_len that is not the topic's (never past it) */
        tl = topic != NULL && t > tl ? tl : t;
    }
    if (len > (int)sizeof pool) {
        len = (int)sizeof pool;
    }
    (void)feed(r, topic, tl, (flags & 2) ? NULL : pool, len, off, total, &out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_in in = {data, size};
    struct mqttvpn_reasm r;
    unsigned ops = 0;

    memset(long_topic, 'a', sizeof long_topic);
    memset(&m, 0, sizeof m);
    mqttvpn_reasm_init(&r, buf, sizeof buf);
    while (in.left > 0 && ops++ < 64) {
        switch (fuzz_u8(&in) % 6) {
        case 0:
        case 1:
        case 2:
            message(&r, &in, 0);
            break;
        case 3:
            message(&r, &in, 1);
            break;
        case 4:
            raw(&r, &in);
            break;
        default:
            mqttvpn_reasm_reset(&r);
            if (m.state == M_ASSEMBLING) {
                m.c.incomplete++;
            }
            m.state = M_IDLE;
            break;
        }
    }
    free(last_copy);
    last_copy = NULL;
    return 0;
}
