/*
 * The platform of the glue tests: hooks (mqttvpn/hooks.h) that record publishes and
 * subscriptions, a clock and a random source the test sets, and a record of what the glue
 * handed to lwIP's netif_add/netif_set_addr (linked with -Wl,--wrap for those two).
 */
#ifndef GLUE_PLATFORM_H
#define GLUE_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

#define GP_MAX_MESSAGES 64
#define GP_MAX_SUBS 64
#define GP_TOPIC_MAX 160
#define GP_PAYLOAD_MAX 2048

struct gp_message {
    char topic[GP_TOPIC_MAX];
    uint8_t payload[GP_PAYLOAD_MAX];
    size_t len;
};

struct gp_platform {
    struct gp_message published[GP_MAX_MESSAGES];
    size_t n_published;
    char subscribed[GP_MAX_SUBS][GP_TOPIC_MAX];
    size_t n_subscribed;
    char unsubscribed[GP_MAX_SUBS][GP_TOPIC_MAX];
    size_t n_unsubscribed;
    /* Subscriptions (+1) and unsubscriptions (-1) in the order they were asked for. */
    int sub_log_op[2 * GP_MAX_SUBS];
    char sub_log_topic[2 * GP_MAX_SUBS][GP_TOPIC_MAX];
    size_t n_sub_log;
};

/* What the hooks see; reset by gp_reset. */
extern struct gp_platform gp;
/* The clock mqttvpn_hook_now_ms returns. */
extern uint32_t gp_now_ms;
/* Random words: mqttvpn_hook_random hands out gp_random[0..gp_n_random) in turn (bytes of
 * each word in memory order), then libsodium's when gp_n_random is 0; fails when gp_random_fails. */
extern uint32_t gp_random[16];
extern size_t gp_n_random, gp_random_next;
extern int gp_random_fails;

/* netif_add / netif_set_addr as the glue called them. */
struct gp_lwip_record {
    unsigned netif_add_calls;
    unsigned netif_add_with_address;      /* calls that passed a non-zero IPv4 address/mask/gw */
    unsigned netif_set_addr_calls;
    unsigned netif_set_addr_state_visible; /* calls made while netif->state was not NULL */
    unsigned netif_set_addr_output_live;   /* calls made while netif->output could reach the driver */
    void *driver_output;                  /* the driver's output4, learnt after netif_add */
};
extern struct gp_lwip_record gp_lwip;

void gp_reset(void);
/* Whether the last request for topic was a subscription. */
int gp_is_subscribed(const char *topic);
size_t gp_count_subscribed(const char *topic);

#endif
