/*
 * The platform of the host tests that run the driver on real lwIP (netif, glue): hooks of
 * mqttvpn/hooks.h that record what the driver asks for, so a test can look at every publish
 * and (un)subscription; a clock and a random source the test sets; switches that make the
 * MQTT hooks fail. Give &tp as the platform pointer: the hooks abort on any other, which
 * proves the driver hands them the pointer it was configured with.
 */
#ifndef MQTTVPN_TEST_PLATFORM_H
#define MQTTVPN_TEST_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

#define TP_MAX_MESSAGES 64
#define TP_MAX_SUBS 64
#define TP_TOPIC_MAX 160
#define TP_PAYLOAD_MAX 2048

struct tp_message {
    char topic[TP_TOPIC_MAX];
    uint8_t payload[TP_PAYLOAD_MAX];
    size_t len;
};

struct tp_platform {
    struct tp_message published[TP_MAX_MESSAGES];
    size_t n_published;
    char subscribed[TP_MAX_SUBS][TP_TOPIC_MAX];
    size_t n_subscribed;
    char unsubscribed[TP_MAX_SUBS][TP_TOPIC_MAX];
    size_t n_unsubscribed;
    /* Subscriptions (+1) and unsubscriptions (-1) in the order they were asked for. */
    int sub_log_op[2 * TP_MAX_SUBS];
    char sub_log_topic[2 * TP_MAX_SUBS][TP_TOPIC_MAX];
    size_t n_sub_log;
    int publish_fails;   /* nonzero: the publish hook reports failure */
    int subscribe_fails; /* nonzero: the subscribe hook reports failure */
    /* The clock mqttvpn_hook_now_ms returns. */
    uint32_t now_ms;
    /* mqttvpn_hook_random hands out random[0..n_random) in turn (the bytes of each word in
     * memory order), or libsodium's bytes when n_random is 0; it fails when random_fails. */
    uint32_t random[16];
    size_t n_random, random_next;
    int random_fails;
    /* Lines logged through mqttvpn_hook_log (counted whether printed or not), and the last one. */
    size_t n_logs;
    int last_log_level;
    char last_log[512];
};

/* What the hooks see and do. */
extern struct tp_platform tp;

/* Forgets everything recorded; failure switches off, clock 0, libsodium's random bytes. */
void tp_reset(void);

/* Whether the last request for topic was a subscription. */
int tp_is_subscribed(const char *topic);
/* How many times topic was subscribed. */
size_t tp_count_subscribed(const char *topic);

#endif
