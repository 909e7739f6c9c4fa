#include "test_platform.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "mqttvpn/hooks.h"

void tp_reset(struct tp_platform *tp)
{
    memset(tp, 0, sizeof(*tp));
}

int tp_is_subscribed(const struct tp_platform *tp, const char *topic)
{
    int subscribed = 0;
    size_t i;
    for (i = 0; i < tp->n_subscribed; i++) {
        subscribed |= strcmp(tp->subscribed[i], topic) == 0;
    }
    for (i = 0; i < tp->n_unsubscribed; i++) {
        if (strcmp(tp->unsubscribed[i], topic) == 0) {
            subscribed = 0;
        }
    }
    return subscribed;
}

static void tp_copy_topic(char *dst, const char *topic)
{
    if (strlen(topic) >= TP_TOPIC_MAX) {
        fprintf(stderr, "test platform: topic too long: %s\n", topic);
        abort();
    }
    strcpy(dst, topic);
}

int mqttvpn_hook_publish(void *ctx, const char *topic, const uint8_t *payload, size_t len)
{
    struct tp_platform *tp = ctx;
    struct tp_message *m;

    if (tp->publish_fails) {
        return 0;
    }
    if (tp->n_published == TP_MAX_MESSAGES || len > TP_PAYLOAD_MAX) {
        fprintf(stderr, "test platform: publish record full or payload too long (%zu)\n", len);
        abort();
    }
    m = &tp->published[tp->n_published++];
    tp_copy_topic(m->topic, topic);
    memcpy(m->payload, payload, len);
    m->len = len;
    return 1;
}

int mqttvpn_hook_subscribe(void *ctx, const char *topic)
{
    struct tp_platform *tp = ctx;
    if (tp->subscribe_fails) {
        return 0;
    }
    if (tp->n_subscribed == TP_MAX_SUBS) {
        abort();
    }
    tp_copy_topic(tp->subscribed[tp->n_subscribed++], topic);
    return 1;
}

int mqttvpn_hook_unsubscribe(void *ctx, const char *topic)
{
    struct tp_platform *tp = ctx;
    if (tp->n_unsubscribed == TP_MAX_SUBS) {
        abort();
    }
    tp_copy_topic(tp->unsubscribed[tp->n_unsubscribed++], topic);
    return 1;
}

int mqttvpn_hook_random(uint8_t *buf, size_t len)
{
    randombytes_buf(buf, len);
    return 1;
}

uint32_t mqttvpn_hook_now_ms(void)
{
    return 1000u;
}

void mqttvpn_hook_log(int level, const char *fmt, ...)
{
    va_list ap;
    if (getenv("MQTTVPN_TEST_LOG") == NULL) {
        return;
    }
    va_start(ap, fmt);
    fprintf(stderr, "[log %d] ", level);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}
