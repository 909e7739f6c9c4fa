/*
 * Discard (RFC 863) on TCP port 9, IPv4 and IPv6, with lwIP's raw API: what a peer sends is
 * acknowledged and dropped, and the connection is closed once the peer has closed its side.
 * The one-way TCP path into the device, without an answer travelling back: what the benchmark
 * compares a firmware upload (also one-way) with. The sender knows everything arrived when
 * the device's FIN reaches it.
 */
#include "discard_server.h"

#include "lwip/tcp.h"

#include "log.h"

#define DISCARD_PORT 9
#define DISCARD_POLL_INTERVAL 4 /* lwIP slow-timer ticks (500 ms): retry a close that had no memory */

static struct tcp_pcb *discard_listen_pcb;

static void discard_detach(struct tcp_pcb *pcb)
{
    tcp_arg(pcb, NULL);
    tcp_recv(pcb, NULL);
    tcp_err(pcb, NULL);
    tcp_poll(pcb, NULL, 0);
}

static err_t discard_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
    LWIP_UNUSED_ARG(arg);
    if (p == NULL) {
        /* The peer is done: close our side; when there is no memory for the FIN now, the poll
         * callback tries again. */
        if (tcp_close(pcb) == ERR_OK) {
            discard_detach(pcb);
        }
        return ERR_OK;
    }
    if (err == ERR_OK) {
        tcp_recved(pcb, p->tot_len);
    }
    pbuf_free(p);
    return ERR_OK;
}

static err_t discard_poll(void *arg, struct tcp_pcb *pcb)
{
    LWIP_UNUSED_ARG(arg);
    if (pcb->state == CLOSE_WAIT && tcp_close(pcb) == ERR_OK) {
        discard_detach(pcb);
    }
    return ERR_OK;
}

static err_t discard_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
    LWIP_UNUSED_ARG(arg);
    if (err != ERR_OK || pcb == NULL) {
        return ERR_VAL;
    }
    tcp_recv(pcb, discard_recv);
    tcp_poll(pcb, discard_poll, DISCARD_POLL_INTERVAL);
    return ERR_OK;
}

int discard_server_start(void)
{
    struct tcp_pcb *pcb = tcp_new_ip_type(IPADDR_TYPE_ANY);

    if (pcb == NULL) {
        return -1;
    }
    if (tcp_bind(pcb, IP_ANY_TYPE, DISCARD_PORT) != ERR_OK) {
        tcp_close(pcb);
        return -1;
    }
    discard_listen_pcb = tcp_listen(pcb);
    if (discard_listen_pcb == NULL) {
        tcp_close(pcb);
        return -1;
    }
    tcp_accept(discard_listen_pcb, discard_accept);
    return 0;
}

void discard_server_stop(void)
{
    if (discard_listen_pcb != NULL) {
        tcp_close(discard_listen_pcb);
        discard_listen_pcb = NULL;
    }
}
