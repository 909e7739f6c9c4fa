/*
 * The portable ESP glue (the headers in mqttvpn/glue) with the real core, the real netif driver and
 * real lwIP (Debian's, lwip_init() and everything on this thread, as with NO_SYS=1).
 * Frames are sealed and opened with libsodium, so what reaches lwIP and what leaves it
 * is checked against the wire format, not against our own codec.
 */
#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "lwip/init.h"
#include "lwip/ip4_addr.h"
#include "lwip/ip_addr.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/tcpip.h"
#include "lwip/udp.h"

#include "mqttvpn/codec.h"
#include "mqttvpn/glue/iface.h"
#include "mqttvpn/glue/msgq.h"
#include "mqttvpn/glue/reasm.h"
#include "mqttvpn/glue/session.h"
#include "mqttvpn/netif.h"
#include "lwip_calls.h"
#include "../support/test_check.h"
#include "../support/test_frames.h"
#include "../support/test_ip.h"
#include "../support/test_platform.h"
#include "../support/test_station.h"

/* ---- fixture: one interface over the real driver ------------------------------------- */

/* The interface as the ESP-IDF component builds it: the netif is the platform's, added by
 * the platform (esp_netif_start) with the addresses and its own object as netif->state. */
static struct mqttvpn_iface fx;
static struct netif fx_nif;
static struct fake_esp_netif fx_esp_netif;

static ip4_addr_t ip4(const char *s)
{
    ip4_addr_t a;
    ip4addr_aton(s, &a);
    return a;
}

static int fx_add_prefix(const char *ip, const char *password, const char *prefix)
{
    ip4_addr_t a = ip4(ip), m = ip4("255.255.255.0");
    if (mqttvpn_iface_attach(&fx, &fx_nif, prefix, password, &tp, ip_input) != ERR_OK) {
        return 0;
    }
    if (netif_add(&fx_nif, &a, &m, IP4_ADDR_ANY4, &fx_esp_netif, mqttvpn_netif_init, tcpip_input) == NULL) {
        mqttvpn_iface_detach(&fx);
        return 0;
    }
    netif_set_up(&fx_nif);
    netif_set_default(&fx_nif);
    return 1;
}

static int fx_add(const char *ip, const char *password)
{
    return fx_add_prefix(ip, password, NULL);
}

static struct mqttvpn_netif_counters fx_counters(void)
{
    struct mqttvpn_netif_counters c;
    mqttvpn_netif_get_counters(&fx_nif, &c);
    return c;
}

static err_t fx_input(const char *topic, const uint8_t *frame, size_t len)
{
    return mqttvpn_netif_input(&fx_nif, topic, strlen(topic), frame, len);
}

/* The consumer side of a queue as both ports run it: hand every message to the netif. */
static unsigned drain_into_netif(struct mqttvpn_msgq *q, unsigned budget)
{
    struct mqttvpn_msg *m;
    unsigned n = 0;
    while (n < budget && (m = mqttvpn_msgq_peek(q)) != NULL) {
        (void)mqttvpn_netif_input(&fx_nif, m->topic, m->topic_len, m->data, m->len);
        mqttvpn_msgq_release(q);
        n++;
    }
    return n;
}

static MQTTVPN_MSGQ_STORAGE(frames_storage, 4, MQTTVPN_MAX_FRAME);

/* ---- message queue ------------------------------------------------------------------- */

static void frames_pass_through_the_queue_in_order_into_the_netif(void)
{
    struct mqttvpn_msgq q;
    uint8_t pkt[128];
    uint16_t seq;
    size_t len = 0;

    CHECK(mqttvpn_msgq_init(&q, frames_storage, sizeof(frames_storage), MQTTVPN_MAX_FRAME) == 4);
    CHECK(fx_add("10.0.1.2", NULL));
    CHECK(mqttvpn_iface_set_connected(&fx, 1) == ERR_OK);
    for (seq = 1; seq <= 3; seq++) {
        len = icmp4_echo(pkt, 8, "10.0.1.1", "10.0.1.2", seq, 40);
        CHECK(mqttvpn_msgq_push(&q, MQTTVPN_MSG_DATA, "mqttip/10.0.1.2", 15, pkt, len) == 1);
    }
    CHECK(mqttvpn_msgq_count(&q) == 3);
    CHECK(tp.n_published == 0); /* nothing reaches lwIP before the consumer runs */
    CHECK(drain_into_netif(&q, 2) == 2); /* the budget bounds the work of one call */
    CHECK(tp.n_published == 2);
    CHECK(drain_into_netif(&q, 8) == 1);
    CHECK(tp.n_published == 3);
    for (seq = 1; seq <= 3; seq++) {
        CHECK(strcmp(tp.published[seq - 1].topic, "mqttip/10.0.1.1") == 0);
        CHECK(is_icmp4_echo_reply(tp.published[seq - 1].payload, tp.published[seq - 1].len, "10.0.1.2",
                            "10.0.1.1", seq, 40));
    }
    CHECK(fx_counters().rx_packets == 3);
}

static void full_queue_drops_and_counts_and_recovers(void)
{
    static MQTTVPN_MSGQ_STORAGE(storage, 2, 64);
    struct mqttvpn_msgq q;
    uint8_t d[64];
    struct mqttvpn_msg *m;

    memset(d, 7, sizeof(d));
    CHECK(mqttvpn_msgq_init(&q, storage, sizeof(storage), 64) == 2);
    CHECK(mqttvpn_msgq_push(&q, MQTTVPN_MSG_DATA, "a/1", 3, d, 10) == 1);
    CHECK(mqttvpn_msgq_push(&q, MQTTVPN_MSG_DATA, "a/2", 3, d, 20) == 1);
    CHECK(mqttvpn_msgq_push(&q, MQTTVPN_MSG_DATA, "a/3", 3, d, 30) == 0);
    CHECK(mqttvpn_msgq_reserve(&q) == NULL);
    CHECK(q.dropped_full == 2 && q.dropped_too_long == 0);
    CHECK(mqttvpn_msgq_count(&q) == 2);
    m = mqttvpn_msgq_peek(&q);
    CHECK(m != NULL && strcmp(m->topic, "a/1") == 0 && m->len == 10);
    mqttvpn_msgq_release(&q);
    CHECK(mqttvpn_msgq_push(&q, MQTTVPN_MSG_DATA, "a/4", 3, d, 40) == 1);
    m = mqttvpn_msgq_peek(&q);
    CHECK(m != NULL && strcmp(m->topic, "a/2") == 0 && m->len == 20);
    mqttvpn_msgq_release(&q);
    m = mqttvpn_msgq_peek(&q);
    CHECK(m != NULL && strcmp(m->topic, "a/4") == 0 && m->len == 40);
    mqttvpn_msgq_release(&q);
    CHECK(mqttvpn_msgq_peek(&q) == NULL);
    mqttvpn_msgq_release(&q); /* releasing an empty queue changes nothing */
    CHECK(mqttvpn_msgq_count(&q) == 0);
}

static void message_larger_than_a_slot_is_dropped_and_counted(void)
{
    static MQTTVPN_MSGQ_STORAGE(storage, 2, 16);
    struct mqttvpn_msgq q;
    char topic[MQTTVPN_TOPIC_MAX + 1];
    uint8_t d[17] = {0};

    memset(topic, 'x', sizeof(topic));
    CHECK(mqttvpn_msgq_init(&q, storage, sizeof(storage), 16) == 2);
    CHECK(mqttvpn_msgq_push(&q, MQTTVPN_MSG_DATA, "t", 1, d, 17) == 0);
    CHECK(mqttvpn_msgq_push(&q, MQTTVPN_MSG_DATA, topic, MQTTVPN_TOPIC_MAX, d, 1) == 0);
    CHECK(q.dropped_too_long == 2 && q.dropped_full == 0);
    CHECK(mqttvpn_msgq_count(&q) == 0);
    CHECK(mqttvpn_msgq_push(&q, MQTTVPN_MSG_DATA, topic, MQTTVPN_TOPIC_MAX - 1, d, 16) == 1);
    CHECK(mqttvpn_msgq_peek(&q)->topic_len == MQTTVPN_TOPIC_MAX - 1);
}

static void topic_only_queue_carries_subscriptions_in_order(void)
{
    static MQTTVPN_MSGQ_STORAGE(storage, 3, 0);
    struct mqttvpn_msgq q;
    struct mqttvpn_msg *m;

    CHECK(mqttvpn_msgq_init(&q, storage, sizeof(storage), 0) == 3);
    CHECK(mqttvpn_msgq_push(&q, MQTTVPN_MSG_SUBSCRIBE, "mqttip/10.0.1.2", 15, NULL, 0) == 1);
    CHECK(mqttvpn_msgq_push(&q, MQTTVPN_MSG_UNSUBSCRIBE, "mqttip/10.0.1.9", 15, NULL, 0) == 1);
    m = mqttvpn_msgq_peek(&q);
    CHECK(m->kind == MQTTVPN_MSG_SUBSCRIBE && strcmp(m->topic, "mqttip/10.0.1.2") == 0 && m->len == 0);
    mqttvpn_msgq_release(&q);
    m = mqttvpn_msgq_peek(&q);
    CHECK(m->kind == MQTTVPN_MSG_UNSUBSCRIBE && strcmp(m->topic, "mqttip/10.0.1.9") == 0);
}

static void counters_wrap_around_2_to_the_32_without_losing_messages(void)
{
    static MQTTVPN_MSGQ_STORAGE(storage, 3, 8);
    struct mqttvpn_msgq q;
    uint8_t d[8];
    uint32_t i;

    CHECK(mqttvpn_msgq_init(&q, storage, sizeof(storage), 8) == 3);
    q.head = q.tail = UINT32_MAX - 4u; /* as after four billion messages */
    for (i = 0; i < 20; i++) {
        struct mqttvpn_msg *m;
        memcpy(d, &i, sizeof(i));
        CHECK(mqttvpn_msgq_push(&q, MQTTVPN_MSG_DATA, "w", 1, d, sizeof(i)) == 1);
        if (i % 2 == 0) {
            CHECK(mqttvpn_msgq_push(&q, MQTTVPN_MSG_DATA, "w", 1, d, sizeof(i)) == 1);
            CHECK(mqttvpn_msgq_count(&q) == 2);
            mqttvpn_msgq_release(&q);
        }
        m = mqttvpn_msgq_peek(&q);
        CHECK(m != NULL && memcmp(m->data, &i, sizeof(i)) == 0);
        mqttvpn_msgq_release(&q);
        CHECK(mqttvpn_msgq_count(&q) == 0);
    }
    CHECK(q.dropped_full == 0);
}

/* Producer and consumer on two threads, each queue call under a lock as ESP-IDF does it
 * (portENTER_CRITICAL), the copies outside: every message arrives once, intact, in order. */
#define SPSC_MESSAGES 20000u
static pthread_mutex_t spsc_lock = PTHREAD_MUTEX_INITIALIZER;
static struct mqttvpn_msgq spsc_q;
static MQTTVPN_MSGQ_STORAGE(spsc_storage, 3, 256);

static void *spsc_producer(void *arg)
{
    uint32_t i = 0;
    (void)arg;
    while (i < SPSC_MESSAGES) {
        struct mqttvpn_msg *m;
        size_t len = 4u + i % 250u, k;
        pthread_mutex_lock(&spsc_lock);
        m = mqttvpn_msgq_reserve(&spsc_q);
        pthread_mutex_unlock(&spsc_lock);
        if (m == NULL) {
            continue; /* full: a real producer drops; this one retries to check every message */
        }
        memcpy(m->data, &i, 4);
        for (k = 4; k < len; k++) {
            m->data[k] = (uint8_t)(i + k);
        }
        m->len = len;
        m->topic_len = 0;
        m->topic[0] = '\0';
        pthread_mutex_lock(&spsc_lock);
        mqttvpn_msgq_commit(&spsc_q);
        pthread_mutex_unlock(&spsc_lock);
        i++;
    }
    return NULL;
}

static void concurrent_producer_and_consumer_see_every_message_once(void)
{
    pthread_t t;
    uint32_t expect = 0;
    int bad = 0;

    CHECK(mqttvpn_msgq_init(&spsc_q, spsc_storage, sizeof(spsc_storage), 256) == 3);
    CHECK(pthread_create(&t, NULL, spsc_producer, NULL) == 0);
    while (expect < SPSC_MESSAGES && !bad) {
        struct mqttvpn_msg *m;
        uint32_t got;
        size_t k;
        pthread_mutex_lock(&spsc_lock);
        m = mqttvpn_msgq_peek(&spsc_q);
        pthread_mutex_unlock(&spsc_lock);
        if (m == NULL) {
            continue;
        }
        memcpy(&got, m->data, 4);
        bad |= got != expect || m->len != 4u + expect % 250u;
        for (k = 4; k < m->len && !bad; k++) {
            bad |= m->data[k] != (uint8_t)(expect + k);
        }
        pthread_mutex_lock(&spsc_lock);
        mqttvpn_msgq_release(&spsc_q);
        pthread_mutex_unlock(&spsc_lock);
        expect++;
    }
    if (bad) {
        /* Let the producer finish before failing, so the thread is joined either way. */
        while (expect < SPSC_MESSAGES) {
            pthread_mutex_lock(&spsc_lock);
            if (mqttvpn_msgq_peek(&spsc_q) != NULL) {
                mqttvpn_msgq_release(&spsc_q);
                expect++;
            }
            pthread_mutex_unlock(&spsc_lock);
        }
    }
    pthread_join(t, NULL);
    CHECK(!bad);
    CHECK(mqttvpn_msgq_count(&spsc_q) == 0);
}

/* ---- reassembly ---------------------------------------------------------------------- */

static uint8_t reasm_buf[MQTTVPN_MAX_FRAME];

static void whole_message_passes_through_without_a_copy(void)
{
    struct mqttvpn_reasm r;
    struct mqttvpn_reasm_message out;
    static const uint8_t data[5] = {1, 2, 3, 4, 5};

    mqttvpn_reasm_init(&r, reasm_buf, sizeof(reasm_buf));
    CHECK(mqttvpn_reasm_feed(&r, "mqttip/10.0.1.2", 15, data, 5, 0, 5, &out) == MQTTVPN_REASM_DONE);
    CHECK(out.data == data && out.len == 5 && out.topic_len == 15);
    CHECK(memcmp(out.topic, "mqttip/10.0.1.2", 15) == 0);
    CHECK(r.counters.whole == 1 && r.counters.reassembled == 0);
}

/* Feeds frame in n fragments (uneven sizes) as esp-mqtt does; returns the result of the last. */
static enum mqttvpn_reasm_result feed_split(struct mqttvpn_reasm *r, const char *topic, const uint8_t *frame,
                                            size_t len, unsigned n, struct mqttvpn_reasm_message *out)
{
    enum mqttvpn_reasm_result res = MQTTVPN_REASM_MORE;
    size_t off = 0;
    unsigned i;
    for (i = 0; i < n; i++) {
        size_t piece = i + 1 == n ? len - off : (len / n) + (i % 2 ? 3u : 0u);
        if (piece > len - off) {
            piece = len - off;
        }
        res = mqttvpn_reasm_feed(r, i == 0 ? topic : NULL, i == 0 ? (int)strlen(topic) : 0, frame + off,
                                 (int)piece, (int)off, (int)len, out);
        if (i + 1 < n && res != MQTTVPN_REASM_MORE) {
            return MQTTVPN_REASM_DROPPED;
        }
        off += piece;
    }
    return res;
}

static void frame_split_into_1_to_n_fragments_reaches_lwip_as_the_same_packet(void)
{
    static uint8_t pkt[1600], frame[1700], reply[1700];
    struct mqttvpn_reasm r;
    struct mqttvpn_reasm_message out;
    unsigned n;
    size_t len = icmp4_echo(pkt, 8, "10.0.1.1", "10.0.1.2", 9, 1500 - 28);
    size_t flen = seal_frame(frame, "split key", pkt, len);

    CHECK(flen == MQTTVPN_MAX_FRAME);
    CHECK(fx_add("10.0.1.2", "split key"));
    CHECK(mqttvpn_iface_set_connected(&fx, 1) == ERR_OK);
    mqttvpn_reasm_init(&r, reasm_buf, sizeof(reasm_buf));
    for (n = 1; n <= 12; n++) {
        long rlen;
        CHECK(feed_split(&r, "mqttip/10.0.1.2", frame, flen, n, &out) == MQTTVPN_REASM_DONE);
        CHECK(out.len == flen && memcmp(out.data, frame, flen) == 0);
        CHECK(out.topic_len == 15 && memcmp(out.topic, "mqttip/10.0.1.2", 15) == 0);
        CHECK(mqttvpn_netif_input(&fx_nif, out.topic, out.topic_len, out.data, out.len) == ERR_OK);
        CHECK(tp.n_published == n);
        rlen = open_frame(reply, "split key", tp.published[n - 1].payload, tp.published[n - 1].len);
        CHECK(rlen == (long)len);
        CHECK(is_icmp4_echo_reply(reply, (size_t)rlen, "10.0.1.2", "10.0.1.1", 9, 1500 - 28));
    }
    CHECK(r.counters.whole == 1 && r.counters.reassembled == 11);
    CHECK(r.counters.too_long + r.counters.inconsistent + r.counters.incomplete + r.counters.bad_topic == 0);
    CHECK(fx_counters().rx_packets == 12);
}

static void fragment_out_of_order_is_dropped_and_counted(void)
{
    struct mqttvpn_reasm r;
    struct mqttvpn_reasm_message out;
    uint8_t d[300] = {0};

    mqttvpn_reasm_init(&r, reasm_buf, sizeof(reasm_buf));
    CHECK(mqttvpn_reasm_feed(&r, "t/a", 3, d, 100, 0, 300, &out) == MQTTVPN_REASM_MORE);
    CHECK(mqttvpn_reasm_feed(&r, NULL, 0, d + 200, 100, 200, 300, &out) == MQTTVPN_REASM_DROPPED);
    CHECK(r.counters.inconsistent == 1);
    /* The fragment that was skipped over changes nothing now: its message is gone. */
    CHECK(mqttvpn_reasm_feed(&r, NULL, 0, d + 100, 100, 100, 300, &out) == MQTTVPN_REASM_DROPPED);
    CHECK(r.counters.inconsistent == 2 && r.counters.reassembled == 0);
    /* The next message is assembled normally. */
    CHECK(feed_split(&r, "t/b", d, 300, 3, &out) == MQTTVPN_REASM_DONE);
    CHECK(r.counters.reassembled == 1);
}

static void message_larger_than_a_frame_is_dropped_once_and_its_fragments_skipped(void)
{
    static uint8_t big[MQTTVPN_MAX_FRAME + 200];
    struct mqttvpn_reasm r;
    struct mqttvpn_reasm_message out;
    int total = (int)sizeof(big);

    mqttvpn_reasm_init(&r, reasm_buf, sizeof(reasm_buf));
    CHECK(mqttvpn_reasm_feed(&r, "t/a", 3, big, 1000, 0, total, &out) == MQTTVPN_REASM_DROPPED);
    CHECK(mqttvpn_reasm_feed(&r, NULL, 0, big + 1000, 500, 1000, total, &out) == MQTTVPN_REASM_MORE);
    CHECK(mqttvpn_reasm_feed(&r, NULL, 0, big + 1500, total - 1500, 1500, total, &out) == MQTTVPN_REASM_MORE);
    CHECK(r.counters.too_long == 1 && r.counters.inconsistent == 0);
    CHECK(feed_split(&r, "t/b", big, 600, 2, &out) == MQTTVPN_REASM_DONE);
    CHECK(r.counters.reassembled == 1);
}

static void total_that_changes_within_a_message_is_dropped(void)
{
    struct mqttvpn_reasm r;
    struct mqttvpn_reasm_message out;
    uint8_t d[400] = {0};

    mqttvpn_reasm_init(&r, reasm_buf, sizeof(reasm_buf));
    CHECK(mqttvpn_reasm_feed(&r, "t/a", 3, d, 100, 0, 300, &out) == MQTTVPN_REASM_MORE);
    CHECK(mqttvpn_reasm_feed(&r, NULL, 0, d, 100, 100, 400, &out) == MQTTVPN_REASM_DROPPED);
    CHECK(r.counters.inconsistent == 1);
}

static void continuation_without_its_first_fragment_is_dropped(void)
{
    struct mqttvpn_reasm r;
    struct mqttvpn_reasm_message out;
    uint8_t d[300] = {0};

    mqttvpn_reasm_init(&r, reasm_buf, sizeof(reasm_buf));
    CHECK(mqttvpn_reasm_feed(&r, NULL, 0, d, 100, 100, 300, &out) == MQTTVPN_REASM_DROPPED);
    CHECK(mqttvpn_reasm_feed(&r, NULL, 0, d, 100, 200, 300, &out) == MQTTVPN_REASM_MORE); /* skipped */
    CHECK(r.counters.inconsistent == 1);
}

static void new_message_before_the_last_fragment_counts_the_old_one_incomplete(void)
{
    struct mqttvpn_reasm r;
    struct mqttvpn_reasm_message out;
    uint8_t d[300];
    size_t i;

    for (i = 0; i < sizeof(d); i++) {
        d[i] = (uint8_t)i;
    }
    mqttvpn_reasm_init(&r, reasm_buf, sizeof(reasm_buf));
    CHECK(mqttvpn_reasm_feed(&r, "t/a", 3, d, 100, 0, 300, &out) == MQTTVPN_REASM_MORE);
    CHECK(feed_split(&r, "t/b", d, 300, 2, &out) == MQTTVPN_REASM_DONE);
    CHECK(r.counters.incomplete == 1 && r.counters.reassembled == 1);
    CHECK(out.topic_len == 3 && memcmp(out.topic, "t/b", 3) == 0);
    CHECK(out.len == 300 && memcmp(out.data, d, 300) == 0);
}

static void fields_that_cannot_describe_a_fragment_are_dropped(void)
{
    struct mqttvpn_reasm r;
    struct mqttvpn_reasm_message out;
    uint8_t d[16] = {0};

    mqttvpn_reasm_init(&r, reasm_buf, sizeof(reasm_buf));
    CHECK(mqttvpn_reasm_feed(&r, "t", 1, d, -1, 0, 10, &out) == MQTTVPN_REASM_DROPPED);
    CHECK(mqttvpn_reasm_feed(&r, "t", 1, d, 4, -4, 10, &out) == MQTTVPN_REASM_DROPPED);
    CHECK(mqttvpn_reasm_feed(&r, "t", 1, d, 11, 0, 10, &out) == MQTTVPN_REASM_DROPPED);
    CHECK(mqttvpn_reasm_feed(&r, "t", 1, d, 8, 4, 10, &out) == MQTTVPN_REASM_DROPPED);
    CHECK(mqttvpn_reasm_feed(&r, "t", 1, NULL, 4, 0, 10, &out) == MQTTVPN_REASM_DROPPED);
    CHECK(r.counters.inconsistent == 5);
}

static void fragmented_message_without_a_topic_is_dropped(void)
{
    struct mqttvpn_reasm r;
    struct mqttvpn_reasm_message out;
    uint8_t d[200] = {0};
    char longtopic[MQTTVPN_TOPIC_MAX + 8];

    memset(longtopic, 'a', sizeof(longtopic));
    mqttvpn_reasm_init(&r, reasm_buf, sizeof(reasm_buf));
    CHECK(mqttvpn_reasm_feed(&r, NULL, 0, d, 100, 0, 200, &out) == MQTTVPN_REASM_DROPPED);
    CHECK(mqttvpn_reasm_feed(&r, NULL, 0, d, 100, 100, 200, &out) == MQTTVPN_REASM_MORE);
    CHECK(mqttvpn_reasm_feed(&r, longtopic, (int)sizeof(longtopic), d, 100, 0, 200, &out) ==
          MQTTVPN_REASM_DROPPED);
    CHECK(r.counters.bad_topic == 2);
}

static void reset_counts_a_message_in_progress_as_incomplete(void)
{
    struct mqttvpn_reasm r;
    struct mqttvpn_reasm_message out;
    uint8_t d[200] = {0};

    mqttvpn_reasm_init(&r, reasm_buf, sizeof(reasm_buf));
    mqttvpn_reasm_reset(&r);
    CHECK(r.counters.incomplete == 0);
    CHECK(mqttvpn_reasm_feed(&r, "t", 1, d, 100, 0, 200, &out) == MQTTVPN_REASM_MORE);
    mqttvpn_reasm_reset(&r);
    CHECK(r.counters.incomplete == 1);
    CHECK(mqttvpn_reasm_feed(&r, NULL, 0, d, 100, 100, 200, &out) == MQTTVPN_REASM_DROPPED);
}

/* esp-mqtt hands over data NULL when data_len is 0 (mqtt_client.c, deliver_publish): a first
 * event that carries the topic and no payload byte, when its receive buffer ends with the
 * topic; its next event is at offset 0 again. Copying from NULL, even 0 bytes, is undefined
 * (issue 12, item 6: UBSan stopped at reasm.c:63). */
static void fragment_without_data_is_taken_without_copying_from_null(void)
{
    struct mqttvpn_reasm r;
    struct mqttvpn_reasm_message out;
    uint8_t d[300];
    size_t i;

    for (i = 0; i < sizeof(d); i++) {
        d[i] = (uint8_t)(i * 7u);
    }
    mqttvpn_reasm_init(&r, reasm_buf, sizeof(reasm_buf));
    CHECK(mqttvpn_reasm_feed(&r, "mqttip/10.0.1.2", 15, NULL, 0, 0, 200, &out) == MQTTVPN_REASM_MORE);
    CHECK(mqttvpn_reasm_feed(&r, NULL, 0, d, 120, 0, 200, &out) == MQTTVPN_REASM_MORE);
    CHECK(mqttvpn_reasm_feed(&r, NULL, 0, NULL, 0, 120, 200, &out) == MQTTVPN_REASM_MORE);
    CHECK(mqttvpn_reasm_feed(&r, NULL, 0, d + 120, 80, 120, 200, &out) == MQTTVPN_REASM_DONE);
    CHECK(out.topic_len == 15 && memcmp(out.topic, "mqttip/10.0.1.2", 15) == 0);
    CHECK(out.len == 200 && memcmp(out.data, d, 200) == 0);
    CHECK(r.counters.reassembled == 1);
    CHECK(r.counters.inconsistent + r.counters.incomplete + r.counters.bad_topic + r.counters.too_long == 0);
    /* With CONFIG_MQTT_TOPIC_PRESENT_ALL_DATA_EVENTS the topic comes again: still one message. */
    CHECK(mqttvpn_reasm_feed(&r, "t/b", 3, NULL, 0, 0, 300, &out) == MQTTVPN_REASM_MORE);
    CHECK(mqttvpn_reasm_feed(&r, "t/b", 3, d, 300, 0, 300, &out) == MQTTVPN_REASM_DONE);
    CHECK(out.topic_len == 3 && memcmp(out.topic, "t/b", 3) == 0 && out.len == 300 && memcmp(out.data, d, 300) == 0);
    /* Another topic at offset 0 is another message: the empty one is incomplete. */
    CHECK(mqttvpn_reasm_feed(&r, "t/a", 3, NULL, 0, 0, 300, &out) == MQTTVPN_REASM_MORE);
    CHECK(mqttvpn_reasm_feed(&r, "t/b", 3, d, 100, 0, 300, &out) == MQTTVPN_REASM_MORE);
    CHECK(r.counters.incomplete == 1);
    CHECK(mqttvpn_reasm_feed(&r, NULL, 0, d + 100, 200, 100, 300, &out) == MQTTVPN_REASM_DONE);
    CHECK(out.topic_len == 3 && memcmp(out.topic, "t/b", 3) == 0 && memcmp(out.data, d, 300) == 0);
    /* A message of no bytes at all is whole: passed through as it came. */
    CHECK(mqttvpn_reasm_feed(&r, "t/c", 3, NULL, 0, 0, 0, &out) == MQTTVPN_REASM_DONE);
    CHECK(out.data == NULL && out.len == 0);
    CHECK(r.counters.reassembled == 3 && r.counters.whole == 1 && r.counters.incomplete == 1);
    CHECK(r.counters.inconsistent + r.counters.bad_topic + r.counters.too_long == 0);
}

/* ---- session ------------------------------------------------------------------------- */

static void backoff_doubles_up_to_the_cap_with_jitter_in_range(void)
{
    struct mqttvpn_session s;
    static const uint32_t base[] = {1000, 2000, 4000, 8000, 8000, 8000};
    uint32_t now = 5000, d;
    size_t i;

    tp.random[0] = 0;          /* r % (half + 1) == 0: the shortest delay, half the base */
    tp.random[1] = 0xffffffffu; /* large: some value up to the whole base */
    tp.n_random = 2;
    mqttvpn_session_init(&s, NULL, 1000, 8000, now);
    CHECK(mqttvpn_session_poll(&s, now) == 1); /* the first attempt is due at once */
    CHECK(s.state == MQTTVPN_SESSION_CONNECTING);
    CHECK(mqttvpn_session_poll(&s, now) == 0); /* and only one at a time */
    for (i = 0; i < sizeof(base) / sizeof(base[0]); i++) {
        d = mqttvpn_session_failed(&s, now);
        CHECK(d >= base[i] / 2 && d <= base[i]);
        if (i % 2 == 0) {
            CHECK(d == base[i] / 2);
        }
        CHECK(mqttvpn_session_poll(&s, now + d - 1) == 0);
        CHECK(mqttvpn_session_poll(&s, now + d) == 1);
        now += d;
    }
    CHECK(s.attempts == 7 && s.failures == 6);
}

static void backoff_without_random_bytes_waits_the_whole_base(void)
{
    struct mqttvpn_session s;

    tp.random_fails = 1;
    mqttvpn_session_init(&s, NULL, 500, 1500, 0);
    CHECK(mqttvpn_session_poll(&s, 0) == 1);
    CHECK(mqttvpn_session_failed(&s, 0) == 500);
    CHECK(mqttvpn_session_poll(&s, 500) == 1);
    CHECK(mqttvpn_session_failed(&s, 500) == 1000);
    CHECK(mqttvpn_session_poll(&s, 1500) == 1);
    CHECK(mqttvpn_session_failed(&s, 1500) == 1500); /* 2000 capped */
}

static void retry_is_timed_correctly_across_the_clock_wrap(void)
{
    struct mqttvpn_session s;
    uint32_t now = UINT32_MAX - 300u, d;

    tp.random_fails = 1;
    mqttvpn_session_init(&s, NULL, 1000, 4000, now);
    CHECK(mqttvpn_session_poll(&s, now) == 1);
    d = mqttvpn_session_failed(&s, now);
    CHECK(d == 1000);
    CHECK(mqttvpn_session_poll(&s, now + 999u) == 0); /* past 2^32 already, not yet due */
    CHECK(mqttvpn_session_poll(&s, now + 1000u) == 1);
}

static void reconnect_subscribes_every_reading_topic_again_and_resets_the_backoff(void)
{
    struct mqttvpn_session s;
    ip4_addr_t target = ip4("192.168.4.2");
    uint32_t d;

    tp.random_fails = 1;
    CHECK(fx_add("10.0.1.2", NULL));
    CHECK(mqttvpn_iface_add_target(&fx, &target) == ERR_OK);
    mqttvpn_session_init(&s, &fx, 1000, 16000, 0);
    CHECK(mqttvpn_session_poll(&s, 0) == 1);
    CHECK(mqttvpn_session_failed(&s, 0) == 1000);
    CHECK(mqttvpn_session_poll(&s, 1000) == 1);
    CHECK(mqttvpn_session_failed(&s, 1000) == 2000);
    CHECK(mqttvpn_session_poll(&s, 3000) == 1);
    CHECK(tp.n_subscribed == 0 && !netif_is_link_up(&fx_nif));
    CHECK(mqttvpn_session_connected(&s) == ERR_OK);
    CHECK(tp.n_subscribed == 3);
    CHECK(tp_is_subscribed("mqttip/10.0.1.2") && tp_is_subscribed("mqttip/255.255.255.255") &&
          tp_is_subscribed("mqttip/192.168.4.2"));
    CHECK(netif_is_link_up(&fx_nif));

    d = mqttvpn_session_lost(&s, 10000);
    CHECK(d == 1000); /* a session that was up retries after the shortest delay */
    CHECK(!netif_is_link_up(&fx_nif));
    CHECK(mqttvpn_session_poll(&s, 11000) == 1);
    CHECK(mqttvpn_session_connected(&s) == ERR_OK);
    CHECK(tp.n_subscribed == 6); /* clean session: all three again */
    CHECK(tp_count_subscribed("mqttip/192.168.4.2") == 2);
    CHECK(mqttvpn_session_reconnects(&s) == 1 && s.connects == 2);
    CHECK(s.backoff_ms == 1000);
}

/* ---- brokers (failover) --------------------------------------------------------------- */

static void brokers_in_order_start_at_home_and_fail_over_down_the_list(void)
{
    struct mqttvpn_brokers b;

    mqttvpn_brokers_init(&b, 3, MQTTVPN_BROKERS_IN_ORDER, 0);
    CHECK(mqttvpn_brokers_current(&b) == 0);
    CHECK(mqttvpn_brokers_failed(&b) == 0 && mqttvpn_brokers_current(&b) == 1);
    CHECK(mqttvpn_brokers_failed(&b) == 0 && mqttvpn_brokers_current(&b) == 2);
    CHECK(mqttvpn_brokers_failed(&b) == 1); /* every broker failed: the round is over */
    CHECK(mqttvpn_brokers_current(&b) == 0);
    CHECK(mqttvpn_brokers_failed(&b) == 0); /* a new round */
}

static void brokers_lost_session_moves_on_and_starts_a_round(void)
{
    struct mqttvpn_brokers b;

    mqttvpn_brokers_init(&b, 3, MQTTVPN_BROKERS_IN_ORDER, 0);
    (void)mqttvpn_brokers_failed(&b);
    mqttvpn_brokers_connected(&b); /* on 1 */
    mqttvpn_brokers_lost(&b);
    CHECK(mqttvpn_brokers_current(&b) == 2);
    CHECK(mqttvpn_brokers_failed(&b) == 0 && mqttvpn_brokers_current(&b) == 0);
    CHECK(mqttvpn_brokers_failed(&b) == 0 && mqttvpn_brokers_current(&b) == 1);
    CHECK(mqttvpn_brokers_failed(&b) == 1); /* all three failed since the loss */
}

static void brokers_one_broker_ends_a_round_at_every_failure(void)
{
    struct mqttvpn_brokers b;

    mqttvpn_brokers_init(&b, 1, MQTTVPN_BROKERS_RANDOM, 1000);
    CHECK(mqttvpn_brokers_failed(&b) == 1 && mqttvpn_brokers_current(&b) == 0);
    mqttvpn_brokers_lost(&b);
    CHECK(mqttvpn_brokers_current(&b) == 0);
    CHECK(mqttvpn_brokers_return_due(&b, 0) == 0 && mqttvpn_brokers_return_due(&b, 5000) == 0);
    mqttvpn_brokers_init(&b, 0, MQTTVPN_BROKERS_IN_ORDER, 0);
    CHECK(b.count == 1);
    mqttvpn_brokers_init(&b, MQTTVPN_MAX_BROKERS + 3u, MQTTVPN_BROKERS_IN_ORDER, 0);
    CHECK(b.count == MQTTVPN_MAX_BROKERS);
}

static void brokers_random_rounds_try_each_once_and_vary(void)
{
    struct mqttvpn_brokers b;
    unsigned round, i, seen, first_differs = 0, prev_first = 99, last = 99;

    tp.n_random = 0; /* libsodium's random bytes */
    mqttvpn_brokers_init(&b, 4, MQTTVPN_BROKERS_RANDOM, 0);
    for (round = 0; round < 64; round++) {
        seen = 0;
        for (i = 0; i < 4; i++) {
            unsigned c = mqttvpn_brokers_current(&b);
            CHECK(c < 4);
            if (i == 0) {
                CHECK(c != last); /* a new round does not start with the broker just tried */
                first_differs += prev_first != 99 && c != prev_first;
                prev_first = c;
            }
            seen |= 1u << c;
            last = c;
            CHECK(mqttvpn_brokers_failed(&b) == (i == 3));
        }
        CHECK(seen == 0xfu);
    }
    CHECK(first_differs > 0);
}

static void brokers_random_without_random_bytes_keeps_working(void)
{
    struct mqttvpn_brokers b;
    unsigned i, seen = 0;

    tp.random_fails = 1;
    mqttvpn_brokers_init(&b, 3, MQTTVPN_BROKERS_RANDOM, 0);
    for (i = 0; i < 3; i++) {
        seen |= 1u << mqttvpn_brokers_current(&b);
        CHECK(mqttvpn_brokers_failed(&b) == (i == 2));
    }
    CHECK(seen == 7u);
    CHECK(mqttvpn_brokers_current(&b) != 2u); /* still not the one just tried */
}

static void brokers_return_is_due_an_interval_after_coming_up_away_from_home(void)
{
    struct mqttvpn_brokers b;
    uint32_t t0 = 0xfffff000u; /* across the clock wrap */

    mqttvpn_brokers_init(&b, 2, MQTTVPN_BROKERS_IN_ORDER, 60000);
    CHECK(mqttvpn_brokers_return_due(&b, t0) == 0); /* at home: never */
    CHECK(mqttvpn_brokers_failed(&b) == 0);
    mqttvpn_brokers_connected(&b); /* on the second */
    CHECK(mqttvpn_brokers_return_due(&b, t0) == 0); /* arms the timer */
    CHECK(mqttvpn_brokers_return_due(&b, t0 + 59999u) == 0);
    CHECK(mqttvpn_brokers_return_due(&b, t0 + 60000u) == 1);
    mqttvpn_brokers_go_home(&b);
    CHECK(mqttvpn_brokers_current(&b) == 0);
    CHECK(mqttvpn_brokers_failed(&b) == 0 && mqttvpn_brokers_current(&b) == 1); /* home still down */
    mqttvpn_brokers_connected(&b);
    CHECK(mqttvpn_brokers_return_due(&b, t0 + 70000u) == 0); /* a new interval from here */
    CHECK(mqttvpn_brokers_return_due(&b, t0 + 129999u) == 0);
    CHECK(mqttvpn_brokers_return_due(&b, t0 + 130000u) == 1);
    mqttvpn_brokers_init(&b, 2, MQTTVPN_BROKERS_IN_ORDER, 0);
    (void)mqttvpn_brokers_failed(&b);
    mqttvpn_brokers_connected(&b);
    CHECK(mqttvpn_brokers_return_due(&b, 0) == 0 && mqttvpn_brokers_return_due(&b, 0x7fffffffu) == 0); /* off */
}

static void brokers_going_home_is_the_first_broker_not_the_next_one(void)
{
    struct mqttvpn_brokers b;

    mqttvpn_brokers_init(&b, 3, MQTTVPN_BROKERS_IN_ORDER, 60000);
    CHECK(mqttvpn_brokers_failed(&b) == 0 && mqttvpn_brokers_current(&b) == 1);
    mqttvpn_brokers_connected(&b); /* on the second of three */
    mqttvpn_brokers_go_home(&b);
    CHECK(mqttvpn_brokers_current(&b) == 0); /* a step to the next would be 2 */
}

static void session_tries_the_next_broker_at_once_and_backs_off_only_after_a_round(void)
{
    struct mqttvpn_session s;

    tp.random_fails = 1;
    CHECK(fx_add("10.0.1.2", NULL));
    mqttvpn_session_init(&s, &fx, 1000, 16000, 0);
    mqttvpn_session_set_brokers(&s, 2, MQTTVPN_BROKERS_IN_ORDER, 0);
    CHECK(mqttvpn_session_poll(&s, 0) == 1 && mqttvpn_session_broker(&s) == 0);
    CHECK(mqttvpn_session_failed(&s, 0) == 0); /* the second broker, at once */
    CHECK(mqttvpn_session_poll(&s, 0) == 1 && mqttvpn_session_broker(&s) == 1);
    CHECK(mqttvpn_session_failed(&s, 0) == 1000); /* both failed: back off */
    CHECK(mqttvpn_session_poll(&s, 999) == 0);
    CHECK(mqttvpn_session_poll(&s, 1000) == 1 && mqttvpn_session_broker(&s) == 0);
    CHECK(mqttvpn_session_failed(&s, 1000) == 0);
    CHECK(mqttvpn_session_poll(&s, 1000) == 1 && mqttvpn_session_broker(&s) == 1);
    CHECK(mqttvpn_session_failed(&s, 1000) == 2000); /* the backoff grows between rounds only */
    CHECK(mqttvpn_session_poll(&s, 3000) == 1);
    CHECK(mqttvpn_session_connected(&s) == ERR_OK && netif_is_link_up(&fx_nif)); /* on the first */
    CHECK(mqttvpn_session_lost(&s, 5000) == 1000);
    CHECK(mqttvpn_session_poll(&s, 6000) == 1 && mqttvpn_session_broker(&s) == 1); /* the next one */
    CHECK(mqttvpn_session_connected(&s) == ERR_OK);
    CHECK(tp_count_subscribed("mqttip/10.0.1.2") == 2); /* subscribed again on the second */
}

static void session_returns_home_when_due_and_moves_on_if_home_is_still_down(void)
{
    struct mqttvpn_session s;

    tp.random_fails = 1;
    CHECK(fx_add("10.0.1.2", NULL));
    mqttvpn_session_init(&s, &fx, 1000, 16000, 0);
    mqttvpn_session_set_brokers(&s, 2, MQTTVPN_BROKERS_IN_ORDER, 30000);
    CHECK(mqttvpn_session_poll(&s, 0) == 1);
    CHECK(mqttvpn_session_failed(&s, 0) == 0);
    CHECK(mqttvpn_session_poll(&s, 0) == 1 && mqttvpn_session_broker(&s) == 1);
    CHECK(mqttvpn_session_return_due(&s, 0) == 0); /* not up yet */
    CHECK(mqttvpn_session_connected(&s) == ERR_OK);
    CHECK(mqttvpn_session_return_due(&s, 100) == 0);
    CHECK(mqttvpn_session_return_due(&s, 30099) == 0);
    CHECK(mqttvpn_session_return_due(&s, 30100) == 1);
    mqttvpn_session_go_home(&s, 30100);
    CHECK(!netif_is_link_up(&fx_nif)); /* nothing is sent while between brokers */
    CHECK(s.state == MQTTVPN_SESSION_WAITING);
    CHECK(mqttvpn_session_poll(&s, 30100) == 1 && mqttvpn_session_broker(&s) == 0);
    CHECK(mqttvpn_session_failed(&s, 30100) == 0); /* home still down: straight back */
    CHECK(mqttvpn_session_poll(&s, 30100) == 1 && mqttvpn_session_broker(&s) == 1);
    CHECK(mqttvpn_session_connected(&s) == ERR_OK);
    CHECK(mqttvpn_session_return_due(&s, 30200) == 0);
    CHECK(mqttvpn_session_return_due(&s, 60200) == 1);
    mqttvpn_session_go_home(&s, 60200);
    CHECK(mqttvpn_session_poll(&s, 60200) == 1 && mqttvpn_session_broker(&s) == 0);
    CHECK(mqttvpn_session_connected(&s) == ERR_OK && netif_is_link_up(&fx_nif));
    CHECK(mqttvpn_session_return_due(&s, 0x7fffffffu) == 0); /* home: nothing to return to */
}

static void lost_session_stops_publishing_until_it_is_back(void)
{
    struct mqttvpn_session s;
    uint8_t pkt[128];
    size_t len = icmp4_echo(pkt, 8, "10.0.1.1", "10.0.1.2", 3, 16);

    tp.random_fails = 1;
    CHECK(fx_add("10.0.1.2", NULL));
    mqttvpn_session_init(&s, &fx, 1000, 16000, 0);
    CHECK(mqttvpn_session_poll(&s, 0) == 1);
    CHECK(mqttvpn_session_connected(&s) == ERR_OK);
    CHECK(fx_input("mqttip/10.0.1.2", pkt, len) == ERR_OK);
    CHECK(tp.n_published == 1);
    (void)mqttvpn_session_lost(&s, 100);
    CHECK(fx_input("mqttip/10.0.1.2", pkt, len) == ERR_OK); /* still delivered to lwIP... */
    CHECK(tp.n_published == 1);                              /* ...but the reply is not sent */
    CHECK(fx_counters().tx_publish_failed == 1);
    CHECK(mqttvpn_session_poll(&s, 1100) == 1);
    CHECK(mqttvpn_session_connected(&s) == ERR_OK);
    CHECK(fx_input("mqttip/10.0.1.2", pkt, len) == ERR_OK);
    CHECK(tp.n_published == 2);
}

static void client_id_is_mqtt_vpn_and_eight_hex_digits_of_the_random_source(void)
{
    static const uint8_t bytes[4] = {0x01, 0xab, 0x23, 0xcd};
    char id[MQTTVPN_CLIENT_ID_LEN + 1], other[MQTTVPN_CLIENT_ID_LEN + 1];

    memcpy(&tp.random[0], bytes, sizeof(bytes)); /* the hook hands out a word's bytes in memory order */
    tp.n_random = 1;
    CHECK(mqttvpn_client_id(id, sizeof(id) - 1) == 0);
    CHECK(mqttvpn_client_id(id, sizeof(id)) == MQTTVPN_CLIENT_ID_LEN);
    CHECK(strcmp(id, "MQTT_VPN_01ab23cd") == 0);
    /* Without random bytes the clock stands in: still the pattern, and another id. */
    tp.random_fails = 1;
    tp.now_ms = 0x00c0ffeeu;
    CHECK(mqttvpn_client_id(other, sizeof(other)) == MQTTVPN_CLIENT_ID_LEN);
    CHECK(strncmp(other, "MQTT_VPN_", 9) == 0 && strspn(other + 9, "0123456789abcdef") == 8);
    CHECK(strcmp(other, id) != 0);
}

/* ---- interface ----------------------------------------------------------------------- */

/* Link flaps, address changes and rekeying, as the ESP-IDF component drives them, with the
 * model of esp_netif's callback running after each lwIP call (lwip_calls.h). */
static void esp_netif_callbacks_see_only_the_platforms_object_and_the_key_survives_them(void)
{
    static uint8_t pkt[256], frame[512], reply[512];
    ip4_addr_t a = ip4("10.0.1.7"), g = ip4("10.0.1.1");
    size_t len = icmp4_echo(pkt, 8, "10.0.1.1", "10.0.1.7", 9, 24), flen;
    long rlen;
    int i;

    fx_esp_netif.magic = FAKE_ESP_NETIF_MAGIC;
    CHECK(fx_add_prefix("10.0.1.2", "k", "a-topic-prefix-longer-than-16"));
    CHECK(lwip_calls.state_changed_by_init == 0);
    CHECK(mqttvpn_iface_set_addr(&fx, &a, NULL, &g) == ERR_OK);
    for (i = 0; i < 3; i++) {
        CHECK(mqttvpn_iface_set_connected(&fx, 1) == ERR_OK);
        CHECK(mqttvpn_iface_set_connected(&fx, 0) == ERR_OK);
        netif_set_down(&fx_nif);
        netif_set_up(&fx_nif);
    }
    CHECK(mqttvpn_iface_set_password(&fx, "k") == ERR_OK);
    CHECK(mqttvpn_iface_set_connected(&fx, 1) == ERR_OK);
    CHECK(lwip_calls.callbacks >= 15);
    CHECK(lwip_calls.state_not_platform == 0);
    CHECK(fx_nif.state == &fx_esp_netif && fx_esp_netif.magic == FAKE_ESP_NETIF_MAGIC);
    CHECK(fx_esp_netif.status_events >= 7); /* the model did write through netif->state */
    /* ...and the driver is intact: the key opens and seals, the long prefix is whole. */
    flen = seal_frame(frame, "k", pkt, len);
    CHECK(fx_input("a-topic-prefix-longer-than-16/10.0.1.7", frame, flen) == ERR_OK);
    CHECK(tp.n_published == 1 && strcmp(tp.published[0].topic, "a-topic-prefix-longer-than-16/10.0.1.1") == 0);
    rlen = open_frame(reply, "k", tp.published[0].payload, tp.published[0].len);
    CHECK(rlen == (long)len && is_icmp4_echo_reply(reply, (size_t)rlen, "10.0.1.7", "10.0.1.1", 9, 24));
    CHECK(fx_counters().rx_dropped[MQTTVPN_DROP_AUTH_FAILED] == 0);
}

/* A UDP datagram from this device to dest, through netif, or routed by lwIP (NULL). */
static err_t send_udp_via(const char *dest, struct netif *netif)
{
    struct udp_pcb *pcb = udp_new();
    struct pbuf *p = pbuf_alloc(PBUF_TRANSPORT, 8, PBUF_RAM);
    ip_addr_t d;
    err_t err = ERR_MEM;

    ipaddr_aton(dest, &d);
    if (pcb != NULL && p != NULL) {
        memset(p->payload, 0x11, 8);
        err = netif != NULL ? udp_sendto_if(pcb, p, &d, 1883, netif) : udp_sendto(pcb, p, &d, 1883);
    }
    if (p != NULL) {
        pbuf_free(p);
    }
    if (pcb != NULL) {
        udp_remove(pcb);
    }
    return err;
}

static err_t send_udp_to(const char *dest)
{
    return send_udp_via(dest, NULL);
}

static void detached_interface_sends_nothing_and_gives_its_table_entry_back(void)
{
    uint8_t pkt[128];
    size_t len = icmp4_echo(pkt, 8, "10.0.1.1", "10.0.1.2", 2, 8);

    CHECK(fx_add("10.0.1.2", NULL));
    CHECK(mqttvpn_iface_set_connected(&fx, 1) == ERR_OK);
    CHECK(mqttvpn_netif_is_attached(&fx_nif));
    mqttvpn_iface_detach(&fx);
    CHECK(!mqttvpn_netif_is_attached(&fx_nif) && !netif_is_link_up(&fx_nif));
    CHECK(tp.n_unsubscribed == 2);
    /* The platform has not removed the netif yet: lwIP may still hand it packets. */
    CHECK(fx_input("mqttip/10.0.1.2", pkt, len) == ERR_IF);
    CHECK(send_udp_via("10.0.1.1", &fx_nif) == ERR_IF);
    CHECK(tp.n_published == 0);
    CHECK(mqttvpn_netif_set_connected(&fx_nif, 1) == ERR_IF && mqttvpn_netif_topic_count(&fx_nif) == 0);
    netif_remove(&fx_nif);
    /* Every entry of the table can be used again. */
    {
        static struct netif others[MQTTVPN_MAX_NETIFS + 1];
        struct mqttvpn_netif_config cfg;
        size_t i;
        memset(&cfg, 0, sizeof(cfg));
        cfg.platform = &tp;
        for (i = 0; i < MQTTVPN_MAX_NETIFS; i++) {
            CHECK(mqttvpn_netif_attach(&others[i], &cfg) == ERR_OK);
        }
        CHECK(mqttvpn_netif_attach(&others[0], &cfg) == ERR_VAL);
        CHECK(mqttvpn_netif_attach(&others[MQTTVPN_MAX_NETIFS], &cfg) == ERR_MEM);
        for (i = 0; i < MQTTVPN_MAX_NETIFS; i++) {
            mqttvpn_netif_detach(&others[i]);
        }
    }
}

static void netif_add_without_attach_fails(void)
{
    ip4_addr_t a = ip4("10.0.1.2"), m = ip4("255.255.255.0");
    CHECK(netif_add(&fx_nif, &a, &m, IP4_ADDR_ANY4, NULL, mqttvpn_netif_init, ip_input) == NULL);
}

/* ---- default route and the broker -------------------------------------------------------- */

static void default_route_follows_the_link_and_the_broker_stays_outside_the_tunnel(void)
{
    ip_addr_t broker;

    sta_add();
    CHECK(fx_add("10.0.1.2", NULL));
    netif_set_default(&sta); /* fx_add made the VPN the default: the platform's Wi-Fi had it first */
    mqttvpn_iface_set_default_route(&fx, 1);
    /* Not connected: the VPN must not hold the default, or the broker is unreachable. */
    CHECK(netif_default == &sta);
    CHECK(ip4_route(ip_2_ip4(&(ip_addr_t)IPADDR4_INIT_BYTES(203, 0, 113, 5))) == &sta);
    ipaddr_aton("203.0.113.5", &broker);
    CHECK(mqttvpn_iface_set_broker(&fx, &broker) == ERR_OK);
    CHECK(mqttvpn_iface_set_connected(&fx, 1) == ERR_OK);
    CHECK(netif_default == &fx_nif);
    /* Off-link traffic goes into the tunnel, the broker's does not. */
    CHECK(send_udp_to("198.51.100.7") == ERR_OK);
    CHECK(tp.n_published == 1 && strcmp(tp.published[0].topic, "mqttip/198.51.100.7") == 0);
    CHECK(send_udp_to("203.0.113.5") == ERR_OK);
    CHECK(tp.n_published == 1 && sta_sent == 1 && ip4_addr_cmp(&sta_last_dest, ip_2_ip4(&broker)));
    CHECK(fx_counters().tx_bypassed == 1);
    /* Wi-Fi reconnects and its code takes the default: the service takes it back. */
    netif_set_default(&sta);
    mqttvpn_iface_keep_default_route(&fx);
    CHECK(netif_default == &fx_nif);
    /* Broker lost: the default goes back before anything reconnects. */
    CHECK(mqttvpn_iface_set_connected(&fx, 0) == ERR_OK);
    CHECK(netif_default == &sta);
    /* Without the station the bypass has nowhere to go: dropped and counted, not tunnelled. */
    CHECK(mqttvpn_iface_set_connected(&fx, 1) == ERR_OK);
    netif_set_link_down(&sta);
    CHECK(send_udp_to("203.0.113.5") != ERR_OK);
    CHECK(fx_counters().tx_bypass_failed == 1 && tp.n_published == 1);
    netif_remove(&sta);
    mqttvpn_iface_detach(&fx);
    CHECK(netif_default == NULL);
}

static void broker_reachable_only_through_the_vpn_gets_no_bypass(void)
{
    ip_addr_t broker;

    CHECK(fx_add("10.0.1.2", NULL));
    CHECK(mqttvpn_iface_set_connected(&fx, 1) == ERR_OK); /* VPN default and up: the only route */
    ipaddr_aton("203.0.113.5", &broker);
    CHECK(mqttvpn_iface_set_broker(&fx, &broker) == ERR_RTE);
    CHECK(send_udp_to("203.0.113.5") == ERR_OK);
    CHECK(tp.n_published == 1 && fx_counters().tx_bypassed == 0);
}

static void address_change_moves_the_own_reading_topic(void)
{
    ip4_addr_t a = ip4("10.0.1.9");
    uint8_t pkt[128];
    size_t len;

    CHECK(fx_add("10.0.1.2", NULL));
    CHECK(mqttvpn_iface_set_connected(&fx, 1) == ERR_OK);
    CHECK(tp_is_subscribed("mqttip/10.0.1.2"));
    CHECK(mqttvpn_iface_set_addr(&fx, &a, NULL, NULL) == ERR_OK);
    CHECK(!tp_is_subscribed("mqttip/10.0.1.2") && tp_is_subscribed("mqttip/10.0.1.9"));
    len = icmp4_echo(pkt, 8, "10.0.1.1", "10.0.1.9", 5, 8);
    CHECK(fx_input("mqttip/10.0.1.2", pkt, len) == ERR_VAL);
    CHECK(fx_input("mqttip/10.0.1.9", pkt, len) == ERR_OK);
    CHECK(tp.n_published == 1 && is_icmp4_echo_reply(tp.published[0].payload, tp.published[0].len, "10.0.1.9",
                                               "10.0.1.1", 5, 8));
}

static void old_address_that_is_a_nat_target_stays_readable_after_an_address_change(void)
{
    ip4_addr_t old = ip4("10.0.1.2"), a = ip4("10.0.1.9");

    CHECK(fx_add("10.0.1.2", NULL));
    CHECK(mqttvpn_iface_add_target(&fx, &old) == ERR_OK);
    CHECK(mqttvpn_iface_set_connected(&fx, 1) == ERR_OK);
    CHECK(mqttvpn_iface_set_addr(&fx, &a, NULL, NULL) == ERR_OK);
    CHECK(tp_is_subscribed("mqttip/10.0.1.2") && tp_is_subscribed("mqttip/10.0.1.9"));
    CHECK(mqttvpn_netif_topic_count(&fx_nif) == 3);
}

static void target_whose_subscription_fails_is_kept_for_the_next_session(void)
{
    ip4_addr_t t = ip4("192.168.4.2");

    CHECK(fx_add("10.0.1.2", NULL));
    CHECK(mqttvpn_iface_set_connected(&fx, 1) == ERR_OK);
    tp.subscribe_fails = 1;
    CHECK(mqttvpn_iface_add_target(&fx, &t) == ERR_IF);
    CHECK(fx.n_targets == 1);
    tp.subscribe_fails = 0;
    CHECK(mqttvpn_iface_set_connected(&fx, 0) == ERR_OK);
    CHECK(mqttvpn_iface_set_connected(&fx, 1) == ERR_OK);
    CHECK(tp_is_subscribed("mqttip/192.168.4.2"));
    /* ...and flush, which works from the list of targets, forgets it. */
    mqttvpn_iface_flush_targets(&fx);
    CHECK(!tp_is_subscribed("mqttip/192.168.4.2"));
}

static void flush_forgets_targets_but_keeps_own_address_and_broadcast(void)
{
    ip4_addr_t t1 = ip4("192.168.4.2"), t2 = ip4("192.168.4.3"), own = ip4("10.0.1.2");

    CHECK(fx_add("10.0.1.2", NULL));
    CHECK(mqttvpn_iface_add_target(&fx, &t1) == ERR_OK);
    CHECK(mqttvpn_iface_add_target(&fx, &t2) == ERR_OK);
    CHECK(mqttvpn_iface_add_target(&fx, &t1) == ERR_OK); /* present: no second entry */
    CHECK(mqttvpn_iface_add_target(&fx, &own) == ERR_OK);
    CHECK(mqttvpn_netif_topic_count(&fx_nif) == 4 && fx.n_targets == 3);
    mqttvpn_iface_flush_targets(&fx);
    CHECK(fx.n_targets == 0);
    CHECK(mqttvpn_netif_topic_count(&fx_nif) == 2);
    CHECK(mqttvpn_iface_set_connected(&fx, 1) == ERR_OK);
    CHECK(tp_is_subscribed("mqttip/10.0.1.2") && tp_is_subscribed("mqttip/255.255.255.255"));
    CHECK(!tp_is_subscribed("mqttip/192.168.4.2") && tp.n_subscribed == 2);
}

static void unsubscribe_drops_every_reading_topic_and_the_link_until_the_next_session(void)
{
    ip4_addr_t t = ip4("192.168.4.2");

    CHECK(fx_add("10.0.1.2", NULL));
    CHECK(mqttvpn_iface_add_target(&fx, &t) == ERR_OK);
    CHECK(mqttvpn_iface_set_connected(&fx, 1) == ERR_OK);
    CHECK(tp.n_subscribed == 3 && netif_is_link_up(&fx_nif));
    CHECK(mqttvpn_iface_unsubscribe(&fx) == ERR_OK);
    CHECK(tp.n_unsubscribed == 3);
    CHECK(!tp_is_subscribed("mqttip/10.0.1.2") && !tp_is_subscribed("mqttip/255.255.255.255") &&
          !tp_is_subscribed("mqttip/192.168.4.2"));
    CHECK(!netif_is_link_up(&fx_nif));
    /* The topics stay the interface's: the next session subscribes all three again. */
    CHECK(mqttvpn_netif_topic_count(&fx_nif) == 3);
    CHECK(mqttvpn_iface_set_connected(&fx, 1) == ERR_OK);
    CHECK(tp.n_subscribed == 6 && tp_is_subscribed("mqttip/192.168.4.2"));
    mqttvpn_iface_detach(&fx);
    CHECK(mqttvpn_iface_unsubscribe(&fx) == ERR_IF);
}

static void targets_beyond_the_topic_cap_are_refused(void)
{
    char text[32];
    unsigned i;
    err_t err = ERR_OK;

    CHECK(fx_add("10.0.1.2", NULL));
    for (i = 0; i < MQTTVPN_MAX_TOPICS && err == ERR_OK; i++) {
        ip4_addr_t t;
        snprintf(text, sizeof(text), "172.16.0.%u", i + 1);
        t = ip4(text);
        err = mqttvpn_iface_add_target(&fx, &t);
    }
    /* Own address and broadcast take two of the driver's topics. */
    CHECK(err == ERR_MEM);
    CHECK(i == MQTTVPN_MAX_TOPICS - 1u);
    CHECK(mqttvpn_netif_topic_count(&fx_nif) == MQTTVPN_MAX_TOPICS);
}

static void new_password_takes_effect_and_keeps_addresses_targets_and_session(void)
{
    static uint8_t pkt[256], frame[512], reply[512];
    ip4_addr_t t = ip4("192.168.4.2"), g = ip4("10.0.1.1");
    size_t len = icmp4_echo(pkt, 8, "10.0.1.1", "10.0.1.2", 4, 32), flen;
    long rlen;

    CHECK(fx_add("10.0.1.2", "old secret"));
    CHECK(mqttvpn_iface_set_addr(&fx, NULL, NULL, &g) == ERR_OK);
    CHECK(mqttvpn_iface_add_target(&fx, &t) == ERR_OK);
    CHECK(mqttvpn_iface_set_connected(&fx, 1) == ERR_OK);
    fx_nif.mtu = 1400;
    CHECK(mqttvpn_iface_set_password(&fx, "new secret") == ERR_OK);
    CHECK(fx.attached && netif_is_up(&fx_nif) && netif_default == &fx_nif && netif_is_link_up(&fx_nif));
    CHECK(fx_nif.mtu == 1400 && ip4_addr_cmp(netif_ip4_gw(&fx_nif), &g));
    CHECK(tp_is_subscribed("mqttip/192.168.4.2") && tp_is_subscribed("mqttip/10.0.1.2"));
    CHECK(lwip_calls.netif_add_calls == 1); /* the same interface: nothing was rebuilt */

    flen = seal_frame(frame, "old secret", pkt, len);
    CHECK(fx_input("mqttip/10.0.1.2", frame, flen) == ERR_VAL);
    CHECK(fx_counters().rx_dropped[MQTTVPN_DROP_AUTH_FAILED] == 1);
    flen = seal_frame(frame, "new secret", pkt, len);
    CHECK(fx_input("mqttip/10.0.1.2", frame, flen) == ERR_OK);
    CHECK(tp.n_published == 1);
    rlen = open_frame(reply, "new secret", tp.published[0].payload, tp.published[0].len);
    CHECK(rlen == (long)len && is_icmp4_echo_reply(reply, (size_t)rlen, "10.0.1.2", "10.0.1.1", 4, 32));

    CHECK(mqttvpn_iface_set_password(&fx, "") == ERR_OK); /* back to plain frames */
    CHECK(fx_input("mqttip/10.0.1.2", pkt, len) == ERR_OK);
    CHECK(tp.n_published == 2 && tp.published[1].len == len);
}

static void bad_prefix_is_refused_and_leaves_nothing_behind(void)
{
    CHECK(mqttvpn_iface_attach(&fx, &fx_nif, "mqtt/#", NULL, &tp, NULL) == ERR_ARG);
    CHECK(!fx.attached && !mqttvpn_netif_is_attached(&fx_nif));
    CHECK(mqttvpn_iface_attach(&fx, &fx_nif, "", NULL, &tp, NULL) == ERR_ARG);
    CHECK(fx_add_prefix("10.0.1.2", NULL, "vpn"));
    CHECK(mqttvpn_iface_set_connected(&fx, 1) == ERR_OK);
    CHECK(tp_is_subscribed("vpn/10.0.1.2"));
}

/* ---- runner ----------------------------------------------------------------------------- */

static const struct test_case tests[] = {
    TEST(frames_pass_through_the_queue_in_order_into_the_netif),
    TEST(full_queue_drops_and_counts_and_recovers),
    TEST(message_larger_than_a_slot_is_dropped_and_counted),
    TEST(topic_only_queue_carries_subscriptions_in_order),
    TEST(counters_wrap_around_2_to_the_32_without_losing_messages),
    TEST(concurrent_producer_and_consumer_see_every_message_once),
    TEST(whole_message_passes_through_without_a_copy),
    TEST(frame_split_into_1_to_n_fragments_reaches_lwip_as_the_same_packet),
    TEST(fragment_out_of_order_is_dropped_and_counted),
    TEST(message_larger_than_a_frame_is_dropped_once_and_its_fragments_skipped),
    TEST(total_that_changes_within_a_message_is_dropped),
    TEST(continuation_without_its_first_fragment_is_dropped),
    TEST(new_message_before_the_last_fragment_counts_the_old_one_incomplete),
    TEST(fields_that_cannot_describe_a_fragment_are_dropped),
    TEST(fragmented_message_without_a_topic_is_dropped),
    TEST(reset_counts_a_message_in_progress_as_incomplete),
    TEST(fragment_without_data_is_taken_without_copying_from_null),
    TEST(backoff_doubles_up_to_the_cap_with_jitter_in_range),
    TEST(backoff_without_random_bytes_waits_the_whole_base),
    TEST(retry_is_timed_correctly_across_the_clock_wrap),
    TEST(reconnect_subscribes_every_reading_topic_again_and_resets_the_backoff),
    TEST(lost_session_stops_publishing_until_it_is_back),
    TEST(brokers_in_order_start_at_home_and_fail_over_down_the_list),
    TEST(brokers_lost_session_moves_on_and_starts_a_round),
    TEST(brokers_one_broker_ends_a_round_at_every_failure),
    TEST(brokers_random_rounds_try_each_once_and_vary),
    TEST(brokers_random_without_random_bytes_keeps_working),
    TEST(brokers_return_is_due_an_interval_after_coming_up_away_from_home),
    TEST(brokers_going_home_is_the_first_broker_not_the_next_one),
    TEST(session_tries_the_next_broker_at_once_and_backs_off_only_after_a_round),
    TEST(session_returns_home_when_due_and_moves_on_if_home_is_still_down),
    TEST(client_id_is_mqtt_vpn_and_eight_hex_digits_of_the_random_source),
    TEST(esp_netif_callbacks_see_only_the_platforms_object_and_the_key_survives_them),
    TEST(detached_interface_sends_nothing_and_gives_its_table_entry_back),
    TEST(netif_add_without_attach_fails),
    TEST(default_route_follows_the_link_and_the_broker_stays_outside_the_tunnel),
    TEST(broker_reachable_only_through_the_vpn_gets_no_bypass),
    TEST(address_change_moves_the_own_reading_topic),
    TEST(old_address_that_is_a_nat_target_stays_readable_after_an_address_change),
    TEST(target_whose_subscription_fails_is_kept_for_the_next_session),
    TEST(flush_forgets_targets_but_keeps_own_address_and_broadcast),
    TEST(unsubscribe_drops_every_reading_topic_and_the_link_until_the_next_session),
    TEST(targets_beyond_the_topic_cap_are_refused),
    TEST(new_password_takes_effect_and_keeps_addresses_targets_and_session),
    TEST(bad_prefix_is_refused_and_leaves_nothing_behind),
};

static void fx_reset(void)
{
    tp_reset();
    memset(&lwip_calls, 0, sizeof(lwip_calls));
    memset(&fx, 0, sizeof(fx));
    memset(&fx_nif, 0, sizeof(fx_nif));
    memset(&fx_esp_netif, 0, sizeof(fx_esp_netif));
    fx_esp_netif.magic = FAKE_ESP_NETIF_MAGIC;
}

static void fx_remove(void)
{
    mqttvpn_iface_detach(&fx);
    netif_remove(&fx_nif); /* ignores a netif lwIP does not hold */
    netif_set_default(NULL);
}

int main(void)
{
    if (sodium_init() < 0) {
        fprintf(stderr, "libsodium failed to initialise\n");
        return 1;
    }
    lwip_init();
    return run_tests("glue", tests, sizeof(tests) / sizeof(tests[0]), fx_reset, fx_remove);
}
