#include "wire.h"

#include <stdlib.h>
#include <string.h>

#include "lwip/ip.h"
#include "lwip/pbuf.h"
#include "lwip/priv/tcp_priv.h" /* tcp_tmr: the test drives lwIP's TCP timer itself */
#include "lwip/tcp.h"
#include "lwip/tcpip.h"

#include "mqttvpn/ota.h"
#include "../support/test_platform.h"

#define WIRE_STEP_MS 10u
#define WIRE_QUEUE 4096u

#define WIRE_CALLBACKS 64u

struct netif wire_dev, wire_up;

static struct {
    struct pbuf *packets[WIRE_QUEUE];
    struct netif *to[WIRE_QUEUE];
    size_t head, count;
    int cut;
    uint32_t crossed;
    uint32_t tcp_timer_ms, poll_ms;
    tcpip_callback_fn callbacks[WIRE_CALLBACKS];
    void *callback_ctx[WIRE_CALLBACKS];
    size_t n_callbacks;
} wire;

/*
 * A packet the stack sends to one of its own addresses (a RST for a connection the other side
 * has closed, routed by address to the netif that owns it) goes to lwIP's loopback, which asks
 * the tcpip thread to deliver it: tcpip_try_callback(netif_poll). These tests run lwIP without
 * that thread, so this definition takes the place of the library's, and the wire runs the
 * callback when it is pumped.
 */
err_t tcpip_try_callback(tcpip_callback_fn function, void *ctx)
{
    if (wire.n_callbacks == WIRE_CALLBACKS) {
        return ERR_MEM;
    }
    wire.callbacks[wire.n_callbacks] = function;
    wire.callback_ctx[wire.n_callbacks++] = ctx;
    return ERR_OK;
}

static err_t wire_carry(struct netif *from, struct pbuf *p)
{
    struct pbuf *copy;
    size_t slot;

    if (wire.cut) {
        return ERR_OK; /* lost on the wire, as far as the sender can tell */
    }
    if (wire.count == WIRE_QUEUE) {
        abort(); /* a test that floods the wire this much is broken */
    }
    copy = pbuf_alloc(PBUF_RAW, p->tot_len, PBUF_RAM);
    if (copy == NULL || pbuf_copy(copy, p) != ERR_OK) {
        abort();
    }
    slot = (wire.head + wire.count) % WIRE_QUEUE;
    wire.packets[slot] = copy;
    wire.to[slot] = from == &wire_dev ? &wire_up : &wire_dev;
    wire.count++;
    return ERR_OK;
}

static err_t wire_output4(struct netif *netif, struct pbuf *p, const ip4_addr_t *dest)
{
    LWIP_UNUSED_ARG(dest);
    return wire_carry(netif, p);
}

static err_t wire_output6(struct netif *netif, struct pbuf *p, const ip6_addr_t *dest)
{
    LWIP_UNUSED_ARG(dest);
    return wire_carry(netif, p);
}

static err_t wire_netif_init(struct netif *netif)
{
    netif->output = wire_output4;
    netif->output_ip6 = wire_output6;
    netif->mtu = 1500;
    netif->flags = NETIF_FLAG_LINK_UP;
    netif->name[0] = 'w';
    netif->name[1] = netif == &wire_dev ? 'd' : 'u';
    return ERR_OK;
}

static void wire_add_one(struct netif *n, const char *v4, const char *v6)
{
    ip4_addr_t a, m, g;
    ip6_addr_t a6;
    s8_t idx;

    ip4addr_aton(v4, &a);
    ip4addr_aton("255.255.255.0", &m);
    ip4_addr_set_zero(&g);
    memset(n, 0, sizeof(*n));
    if (netif_add(n, &a, &m, &g, NULL, wire_netif_init, ip_input) == NULL) {
        abort();
    }
    netif_set_up(n); /* before the IPv6 address: bringing a netif up restarts address detection */
    ip6addr_aton(v6, &a6);
    if (netif_add_ip6_address(n, &a6, &idx) != ERR_OK) {
        abort();
    }
    netif_ip6_addr_set_state(n, idx, IP6_ADDR_PREFERRED); /* no duplicate address detection */
}

void wire_add(void)
{
    memset(&wire, 0, sizeof(wire));
    wire_add_one(&wire_up, "10.0.9.2", "fd09::2");
    wire_add_one(&wire_dev, "10.0.9.1", "fd09::1");
}

void wire_remove(void)
{
    while (wire.count > 0) {
        pbuf_free(wire.packets[wire.head]);
        wire.head = (wire.head + 1) % WIRE_QUEUE;
        wire.count--;
    }
    netif_remove(&wire_dev);
    netif_remove(&wire_up);
}

void wire_set_cut(int cut)
{
    wire.cut = cut;
}

uint32_t wire_packets(void)
{
    return wire.crossed;
}

void wire_pump(void)
{
    while (wire.count > 0 || wire.n_callbacks > 0) {
        if (wire.n_callbacks > 0) {
            tcpip_callback_fn fn = wire.callbacks[0];
            void *ctx = wire.callback_ctx[0];
            memmove(wire.callbacks, wire.callbacks + 1, --wire.n_callbacks * sizeof(wire.callbacks[0]));
            memmove(wire.callback_ctx, wire.callback_ctx + 1, wire.n_callbacks * sizeof(wire.callback_ctx[0]));
            fn(ctx);
            continue;
        }
        struct pbuf *p = wire.packets[wire.head];
        struct netif *to = wire.to[wire.head];
        wire.head = (wire.head + 1) % WIRE_QUEUE;
        wire.count--;
        wire.crossed++;
        if (to->input(p, to) != ERR_OK) {
            pbuf_free(p);
        }
    }
}

int wire_run(struct mqttvpn_ota *ota, void (*step)(void), int (*done)(void), uint32_t max_ms)
{
    uint32_t t;

    for (t = 0; t <= max_ms; t += WIRE_STEP_MS) {
        wire_pump();
        if (step != NULL) {
            step();
            wire_pump();
        }
        if (done != NULL && done()) {
            return 1;
        }
        tp.now_ms += WIRE_STEP_MS;
        wire.tcp_timer_ms += WIRE_STEP_MS;
        wire.poll_ms += WIRE_STEP_MS;
        if (wire.tcp_timer_ms >= TCP_TMR_INTERVAL) {
            wire.tcp_timer_ms = 0;
            tcp_tmr();
        }
        if (ota != NULL && wire.poll_ms >= 100u) {
            wire.poll_ms = 0;
            mqttvpn_ota_poll(ota, tp.now_ms);
        }
    }
    return 0;
}

void wire_addr(ip_addr_t *out, const struct netif *which, int v6)
{
    if (v6) {
        /* lwIP keeps slot 0 for a link-local address: ours is in slot 1. */
        ip_addr_copy_from_ip6(*out, *netif_ip6_addr(which, 1));
    } else {
        ip_addr_copy_from_ip4(*out, *netif_ip4_addr(which));
    }
}
