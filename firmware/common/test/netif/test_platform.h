/*
 * A platform for the netif tests: implements the hooks of mqttvpn/hooks.h by recording
 * what the driver asks for, so a test can look at every publish and subscription.
 */
#ifndef MQTTVPN_TEST_PLATFORM_H
#define MQTTVPN_TEST_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

#define TP_MAX_MESSAGES 16
#define TP_MAX_SUBS 32
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
    int publish_fails;   /* nonzero: the publish hook reports failure */
    int subscribe_fails; /* nonzero: the subscribe hook reports failure */
};

/* Forget everything recorded; failure switches off. */
void tp_reset(struct tp_platform *tp);

/* Whether topic was subscribed (and not unsubscribed since). */
int tp_is_subscribed(const struct tp_platform *tp, const char *topic);

#endif
