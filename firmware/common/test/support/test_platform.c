#include "test_platform.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "mqttvpn/hooks.h"

struct tp_platform tp;

void tp_reset(void)
{
    memset(&tp, 0, sizeof(tp));
}

int tp_is_subscribed(const char *topic)
{
    int subscribed = 0;
    size_t i;
    for (i = 0; i < tp.n_sub_log; i++) {
        if (strcmp(tp.sub_log_topic[i], topic) == 0) {
            subscribed = tp.sub_log_op[i] > 0;
        }
    }
    return subscribed;
}

size_t tp_count_subscribed(const char *topic)
{
    size_t i, n = 0;
    for (i = 0; i < tp.n_subscribed; i++) {
        n += strcmp(tp.subscribed[i], topic) == 0;
    }
    return n;
}

static void fail(const char *what)
{
    fprintf(stderr, "test platform: %s\n", what);
    abort();
}

static void check_ctx(const void *ctx)
{
    if (ctx != &tp) {
        fail("a hook got a platform pointer other than the configured &tp");
    }
}

static void copy_topic(char *dst, const char *topic)
{
    if (strlen(topic) >= TP_TOPIC_MAX) {
        fail("topic too long for the record");
    }
    strcpy(dst, topic);
}

static void log_sub(int op, const char *topic)
{
    if (tp.n_sub_log == 2 * TP_MAX_SUBS) {
        fail("subscription log full");
    }
    tp.sub_log_op[tp.n_sub_log] = op;
    copy_topic(tp.sub_log_topic[tp.n_sub_log++], topic);
}

int mqttvpn_hook_publish(void *ctx, const char *topic, const uint8_t *payload, size_t len)
{
    struct tp_message *m;

    check_ctx(ctx);
    if (tp.publish_fails) {
        return 0;
    }
    if (tp.n_published == TP_MAX_MESSAGES || len > TP_PAYLOAD_MAX) {
        fail("publish record full or payload too long");
    }
    m = &tp.published[tp.n_published++];
    copy_topic(m->topic, topic);
    memcpy(m->payload, payload, len);
    m->len = len;
    return 1;
}

int mqttvpn_hook_subscribe(void *ctx, const char *topic)
{
    check_ctx(ctx);
    if (tp.subscribe_fails) {
        return 0;
    }
    if (tp.n_subscribed == TP_MAX_SUBS) {
        fail("subscribe record full");
    }
    copy_topic(tp.subscribed[tp.n_subscribed++], topic);
    log_sub(1, topic);
    return 1;
}

int mqttvpn_hook_unsubscribe(void *ctx, const char *topic)
{
    check_ctx(ctx);
    if (tp.n_unsubscribed == TP_MAX_SUBS) {
        fail("unsubscribe record full");
    }
    copy_topic(tp.unsubscribed[tp.n_unsubscribed++], topic);
    log_sub(-1, topic);
    return 1;
}

int mqttvpn_hook_random(uint8_t *buf, size_t len)
{
    if (tp.random_fails) {
        return 0;
    }
    if (tp.n_random == 0) {
        randombytes_buf(buf, len);
        return 1;
    }
    while (len > 0) {
        uint32_t w = tp.random[tp.random_next++ % tp.n_random];
        size_t n = len < sizeof(w) ? len : sizeof(w);
        memcpy(buf, &w, n);
        buf += n;
        len -= n;
    }
    return 1;
}

uint32_t mqttvpn_hook_now_ms(void)
{
    return tp.now_ms;
}

/* Silent unless MQTTVPN_TEST_LOG is set in the environment. */
void mqttvpn_hook_log(int level, const char *fmt, ...)
{
    va_list ap;
    tp.n_logs++;
    tp.last_log_level = level;
    va_start(ap, fmt);
    (void)vsnprintf(tp.last_log, sizeof(tp.last_log), fmt, ap);
    va_end(ap);
    if (getenv("MQTTVPN_TEST_LOG") == NULL) {
        return;
    }
    va_start(ap, fmt);
    fprintf(stderr, "[log %d] ", level);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}
