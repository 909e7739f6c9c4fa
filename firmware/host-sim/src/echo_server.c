/*
 * Echo (RFC 862) on port 7, TCP and UDP, IPv4 and IPv6, with lwIP's raw API: every
 * callback runs in the lwIP core context.
 *
 * TCP flow control: received data is acknowledged to the peer's window (tcp_recved) only
 * once it has been written back, so a peer that sends faster than it reads is slowed by
 * its own receive window, and the device holds at most one window of data per connection.
 */
#include "echo_server.h"

#include <stdlib.h>

#include "lwip/tcp.h"
#include "lwip/udp.h"

#include "log.h"

/* Pending data is one pbuf chain, whose u16_t tot_len must hold a whole window. */
#if TCP_WND > 0xFFFF
#error "echo_server keeps up to TCP_WND bytes in one pbuf chain"
#endif

#define ECHO_PORT 7
#define ECHO_POLL_INTERVAL 4 /* lwIP slow-timer ticks (500 ms): retry a stalled close */

struct echo_conn {
    struct tcp_pcb *pcb;
    struct pbuf *pending; /* received, not yet written back; its head may be partly sent */
    int peer_closed;      /* FIN received: close once pending is written */
};

static struct tcp_pcb *echo_listen_pcb;
static struct udp_pcb *echo_udp_pcb;

static void echo_free(struct echo_conn *c)
{
    if (c->pending != NULL) {
        pbuf_free(c->pending);
    }
    free(c);
}

static void echo_detach(struct tcp_pcb *pcb)
{
    tcp_arg(pcb, NULL);
    tcp_recv(pcb, NULL);
    tcp_sent(pcb, NULL);
    tcp_err(pcb, NULL);
    tcp_poll(pcb, NULL, 0);
}

/* Closes gracefully (queued data still goes out before the FIN). ERR_ABRT if aborted. */
static err_t echo_close(struct echo_conn *c)
{
    struct tcp_pcb *pcb = c->pcb;

    if (tcp_close(pcb) != ERR_OK) {
        return ERR_OK; /* no memory for the FIN now: echo_poll retries */
    }
    echo_detach(pcb);
    echo_free(c);
    return ERR_OK;
}

/* Writes as much of pending back as the send buffer takes. ERR_ABRT if it aborted. */
static err_t echo_flush(struct echo_conn *c)
{
    struct tcp_pcb *pcb = c->pcb;
    int wrote = 0;

    while (c->pending != NULL) {
        struct pbuf *head = c->pending;
        u16_t n = LWIP_MIN(head->len, tcp_sndbuf(pcb));
        err_t err;

        if (head->len > 0) {
            if (n == 0) {
                break; /* send buffer full: echo_sent continues */
            }
            err = tcp_write(pcb, head->payload, n, TCP_WRITE_FLAG_COPY);
            if (err == ERR_MEM) {
                break; /* segment queue full: echo_sent continues */
            }
            if (err != ERR_OK) {
                sim_log(MQTTVPN_LOG_WARN, "tcp echo: write failed (%d), aborting", err);
                echo_detach(pcb);
                tcp_abort(pcb);
                echo_free(c);
                return ERR_ABRT;
            }
            wrote = 1;
            tcp_recved(pcb, n);
        }
        if (n < head->len) {
            pbuf_remove_header(head, n);
            break;
        }
        /* The head is written back whole: drop it and keep the rest of the chain (the
         * extra reference stops pbuf_free from walking on into the rest). */
        c->pending = head->next;
        if (c->pending != NULL) {
            pbuf_ref(c->pending);
        }
        pbuf_free(head);
    }
    if (wrote) {
        tcp_output(pcb);
    }
    if (c->pending == NULL && c->peer_closed) {
        return echo_close(c);
    }
    return ERR_OK;
}

static err_t echo_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
    struct echo_conn *c = arg;
    LWIP_UNUSED_ARG(pcb);

    if (p == NULL) {
        c->peer_closed = 1;
        return echo_flush(c);
    }
    if (err != ERR_OK) {
        pbuf_free(p);
        return err;
    }
    if (c->pending == NULL) {
        c->pending = p;
    } else {
        pbuf_cat(c->pending, p); /* the chain takes over our reference to p */
    }
    return echo_flush(c);
}

static err_t echo_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
    LWIP_UNUSED_ARG(pcb);
    LWIP_UNUSED_ARG(len);
    return echo_flush(arg);
}

static err_t echo_poll(void *arg, struct tcp_pcb *pcb)
{
    LWIP_UNUSED_ARG(pcb);
    return echo_flush(arg);
}

static void echo_err(void *arg, err_t err)
{
    LWIP_UNUSED_ARG(err);
    if (arg != NULL) {
        echo_free(arg); /* lwIP has freed the pcb already */
    }
}

static err_t echo_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
    struct echo_conn *c;
    LWIP_UNUSED_ARG(arg);

    if (err != ERR_OK || pcb == NULL) {
        return ERR_VAL;
    }
    c = calloc(1, sizeof(*c));
    if (c == NULL) {
        tcp_abort(pcb);
        return ERR_ABRT;
    }
    c->pcb = pcb;
    tcp_nagle_disable(pcb); /* small echoes go back at once */
    tcp_arg(pcb, c);
    tcp_recv(pcb, echo_recv);
    tcp_sent(pcb, echo_sent);
    tcp_err(pcb, echo_err);
    tcp_poll(pcb, echo_poll, ECHO_POLL_INTERVAL);
    return ERR_OK;
}

static void echo_udp_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr,
                          u16_t port)
{
    LWIP_UNUSED_ARG(arg);
    /* p still has room for the headers it arrived with: send it back as it is. */
    (void)udp_sendto(pcb, p, addr, port);
    pbuf_free(p);
}

int echo_server_start(void)
{
    struct tcp_pcb *pcb = tcp_new_ip_type(IPADDR_TYPE_ANY);

    if (pcb == NULL || tcp_bind(pcb, IP_ANY_TYPE, ECHO_PORT) != ERR_OK) {
        if (pcb != NULL) {
            tcp_close(pcb);
        }
        return -1;
    }
    echo_listen_pcb = tcp_listen(pcb);
    if (echo_listen_pcb == NULL) {
        tcp_close(pcb);
        return -1;
    }
    tcp_accept(echo_listen_pcb, echo_accept);

    echo_udp_pcb = udp_new_ip_type(IPADDR_TYPE_ANY);
    if (echo_udp_pcb == NULL || udp_bind(echo_udp_pcb, IP_ANY_TYPE, ECHO_PORT) != ERR_OK) {
        echo_server_stop();
        return -1;
    }
    udp_recv(echo_udp_pcb, echo_udp_recv, NULL);
    return 0;
}

void echo_server_stop(void)
{
    if (echo_listen_pcb != NULL) {
        tcp_close(echo_listen_pcb);
        echo_listen_pcb = NULL;
    }
    if (echo_udp_pcb != NULL) {
        udp_remove(echo_udp_pcb);
        echo_udp_pcb = NULL;
    }
}
