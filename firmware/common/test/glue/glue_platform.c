#include "glue_platform.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "lwip/ip4_addr.h"
#include "lwip/netif.h"

#include "mqttvpn/hooks.h"

struct gp_platform gp;
uint32_t gp_now_ms;
uint32_t gp_random[16];
size_t gp_n_random, gp_random_next;
int gp_random_fails;
struct gp_lwip_record gp_lwip;

void gp_reset(void)
{
    memset(&gp, 0, sizeof(gp));
    memset(&gp_lwip, 0, sizeof(gp_lwip));
    gp_now_ms = 0;
    gp_n_random = gp_random_next = 0;
    gp_random_fails = 0;
}

int gp_is_subscribed(const char *topic)
{
    int subscribed = 0;
    size_t i;
    for (i = 0; i < gp.n_sub_log; i++) {
        if (strcmp(gp.sub_log_topic[i], topic) == 0) {
            subscribed = gp.sub_log_op[i] > 0;
        }
    }
    return subscribed;
}

size_t gp_count_subscribed(const char *topic)
{
    size_t i, n = 0;
    for (i = 0; i < gp.n_subscribed; i++) {
        n += strcmp(gp.subscribed[i], topic) == 0;
    }
    return n;
}

static void copy_topic(char *dst, const char *topic)
{
    if (strlen(topic) >= GP_TOPIC_MAX) {
        fprintf(stderr, "glue platform: topic too long: %s\n", topic);
        abort();
    }
    strcpy(dst, topic);
}

static void log_sub(int op, const char *topic)
{
    if (gp.n_sub_log == 2 * GP_MAX_SUBS) {
        abort();
    }
    gp.sub_log_op[gp.n_sub_log] = op;
    copy_topic(gp.sub_log_topic[gp.n_sub_log++], topic);
}

int mqttvpn_hook_publish(void *ctx, const char *topic, const uint8_t *payload, size_t len)
{
    struct gp_message *m;
    (void)ctx;
    if (gp.n_published == GP_MAX_MESSAGES || len > GP_PAYLOAD_MAX) {
        fprintf(stderr, "glue platform: publish record full or payload too long (%zu)\n", len);
        abort();
    }
    m = &gp.published[gp.n_published++];
    copy_topic(m->topic, topic);
    memcpy(m->payload, payload, len);
    m->len = len;
    return 1;
}

int mqttvpn_hook_subscribe(void *ctx, const char *topic)
{
    (void)ctx;
    if (gp.n_subscribed == GP_MAX_SUBS) {
        abort();
    }
    copy_topic(gp.subscribed[gp.n_subscribed++], topic);
    log_sub(1, topic);
    return 1;
}

int mqttvpn_hook_unsubscribe(void *ctx, const char *topic)
{
    (void)ctx;
    if (gp.n_unsubscribed == GP_MAX_SUBS) {
        abort();
    }
    copy_topic(gp.unsubscribed[gp.n_unsubscribed++], topic);
    log_sub(-1, topic);
    return 1;
}

int mqttvpn_hook_random(uint8_t *buf, size_t len)
{
    if (gp_random_fails) {
        return 0;
    }
    if (gp_n_random == 0) {
        randombytes_buf(buf, len);
        return 1;
    }
    while (len > 0) {
        uint32_t w = gp_random[gp_random_next++ % gp_n_random];
        size_t n = len < sizeof(w) ? len : sizeof(w);
        memcpy(buf, &w, n);
        buf += n;
        len -= n;
    }
    return 1;
}

uint32_t mqttvpn_hook_now_ms(void)
{
    return gp_now_ms;
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

/* ---- what the glue hands lwIP (the test links with -Wl,--wrap=netif_add,--wrap=netif_set_addr) ---- */

struct netif *__real_netif_add(struct netif *netif, const ip4_addr_t *ipaddr, const ip4_addr_t *netmask,
                               const ip4_addr_t *gw, void *state, netif_init_fn init, netif_input_fn input);
void __real_netif_set_addr(struct netif *netif, const ip4_addr_t *ipaddr, const ip4_addr_t *netmask,
                           const ip4_addr_t *gw);
struct netif *__wrap_netif_add(struct netif *netif, const ip4_addr_t *ipaddr, const ip4_addr_t *netmask,
                               const ip4_addr_t *gw, void *state, netif_init_fn init, netif_input_fn input);
void __wrap_netif_set_addr(struct netif *netif, const ip4_addr_t *ipaddr, const ip4_addr_t *netmask,
                           const ip4_addr_t *gw);

static int nonzero(const ip4_addr_t *a)
{
    return a != NULL && !ip4_addr_isany(a);
}

struct netif *__wrap_netif_add(struct netif *netif, const ip4_addr_t *ipaddr, const ip4_addr_t *netmask,
                               const ip4_addr_t *gw, void *state, netif_init_fn init, netif_input_fn input)
{
    struct netif *r;
    gp_lwip.netif_add_calls++;
    /* lwIP applies these before init() replaces state: an ext callback would see the config. */
    if (nonzero(ipaddr) || nonzero(netmask) || nonzero(gw)) {
        gp_lwip.netif_add_with_address++;
    }
    r = __real_netif_add(netif, ipaddr, netmask, gw, state, init, input);
    if (r != NULL) {
        gp_lwip.driver_output = (void *)r->output;
    }
    return r;
}

void __wrap_netif_set_addr(struct netif *netif, const ip4_addr_t *ipaddr, const ip4_addr_t *netmask,
                           const ip4_addr_t *gw)
{
    gp_lwip.netif_set_addr_calls++;
    if (netif->state != NULL) {
        gp_lwip.netif_set_addr_state_visible++;
    }
    if ((void *)netif->output == gp_lwip.driver_output) {
        gp_lwip.netif_set_addr_output_live++;
    }
    __real_netif_set_addr(netif, ipaddr, netmask, gw);
}
