/*
 * The device's own ping (--ping IP): an ICMP or ICMPv6 echo request every interval from
 * lwIP's raw API, replies matched by identifier, one log line per reply or loss.
 * Runs in the core context (sys_timeout and raw callbacks on the tcpip thread).
 */
#include "pinger.h"

#include <string.h>
#include <time.h>

#include "lwip/inet_chksum.h"
#include "lwip/ip.h"
#include "lwip/prot/icmp.h"
#include "lwip/prot/icmp6.h"
#include "lwip/raw.h"
#include "lwip/timeouts.h"

#include "log.h"

#define PING_ID 0x5153u         /* "QS": our echo identifier */
#define PING_PAYLOAD 56u        /* as ping(8): 8 bytes of send time, then a pattern */

static struct {
    struct raw_pcb *pcb;
    ip_addr_t target;
    char target_text[48];
    uint32_t interval_ms;
    uint16_t seq;
    int awaiting;              /* a request is out and not yet answered */
    struct pinger_stats stats;
} pinger;

static uint64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void pinger_send(void *arg)
{
    struct pbuf *p;
    uint8_t *b;
    uint64_t t = now_us();
    size_t i;
    LWIP_UNUSED_ARG(arg);

    if (pinger.awaiting) {
        sim_log(MQTTVPN_LOG_INFO, "ping %s: seq=%u lost", pinger.target_text, (unsigned)pinger.seq);
    }
    pinger.seq++;
    p = pbuf_alloc(PBUF_IP, (u16_t)(8u + PING_PAYLOAD), PBUF_RAM);
    if (p != NULL) {
        b = p->payload;
        memset(b, 0, 8);
        b[0] = IP_IS_V6(&pinger.target) ? ICMP6_TYPE_EREQ : ICMP_ECHO;
        b[4] = (uint8_t)(PING_ID >> 8);
        b[5] = (uint8_t)PING_ID;
        b[6] = (uint8_t)(pinger.seq >> 8);
        b[7] = (uint8_t)pinger.seq;
        memcpy(b + 8, &t, sizeof(t));
        for (i = 8u + sizeof(t); i < 8u + PING_PAYLOAD; i++) {
            b[i] = (uint8_t)i;
        }
        if (!IP_IS_V6(&pinger.target)) {
            uint16_t sum = inet_chksum(b, (u16_t)(8u + PING_PAYLOAD));
            memcpy(b + 2, &sum, 2); /* already in network order */
        } /* ICMPv6: lwIP fills the checksum (chksum_reqd) */
        if (raw_sendto(pinger.pcb, p, &pinger.target) == ERR_OK) {
            pinger.stats.sent++;
            pinger.awaiting = 1;
        } else {
            pinger.awaiting = 0;
            sim_log(MQTTVPN_LOG_DEBUG, "ping %s: seq=%u not sent (no route or link down)",
                    pinger.target_text, (unsigned)pinger.seq);
        }
        pbuf_free(p);
    }
    sys_timeout(pinger.interval_ms, pinger_send, NULL);
}

/* Eats our echo replies (returns 1 and frees p); everything else goes on to lwIP. */
static u8_t pinger_recv(void *arg, struct raw_pcb *pcb, struct pbuf *p, const ip_addr_t *addr)
{
    uint8_t icmp[8 + sizeof(uint64_t)];
    u16_t hlen;
    uint8_t reply_type;
    uint64_t sent;
    double rtt_ms;
    LWIP_UNUSED_ARG(arg);
    LWIP_UNUSED_ARG(pcb);

    if (!ip_addr_cmp(addr, &pinger.target)) {
        return 0;
    }
    if (IP_IS_V6(addr)) {
        hlen = 40; /* payload starts at the IPv6 header; echo replies carry no extension */
        reply_type = ICMP6_TYPE_EREP;
    } else {
        hlen = (u16_t)((((const uint8_t *)p->payload)[0] & 0x0fu) * 4u);
        reply_type = ICMP_ER;
    }
    if (pbuf_copy_partial(p, icmp, sizeof(icmp), hlen) != sizeof(icmp) || icmp[0] != reply_type ||
        icmp[4] != (uint8_t)(PING_ID >> 8) || icmp[5] != (uint8_t)PING_ID) {
        return 0;
    }
    memcpy(&sent, icmp + 8, sizeof(sent));
    rtt_ms = (double)(now_us() - sent) / 1000.0;
    pinger.stats.received++;
    pinger.stats.last_rtt_ms = rtt_ms;
    if (pinger.stats.received == 1 || rtt_ms < pinger.stats.min_rtt_ms) {
        pinger.stats.min_rtt_ms = rtt_ms;
    }
    if (rtt_ms > pinger.stats.max_rtt_ms) {
        pinger.stats.max_rtt_ms = rtt_ms;
    }
    pinger.stats.sum_rtt_ms += rtt_ms;
    if ((unsigned)((icmp[6] << 8) | icmp[7]) == pinger.seq) {
        pinger.awaiting = 0;
    }
    sim_log(MQTTVPN_LOG_INFO, "ping %s: seq=%u time=%.2f ms", pinger.target_text,
            (unsigned)((icmp[6] << 8) | icmp[7]), rtt_ms);
    pbuf_free(p);
    return 1;
}

int pinger_start(const ip_addr_t *target, uint32_t interval_ms)
{
    memset(&pinger, 0, sizeof(pinger));
    ip_addr_copy(pinger.target, *target);
    ipaddr_ntoa_r(target, pinger.target_text, sizeof(pinger.target_text));
    pinger.interval_ms = interval_ms;
    if (IP_IS_V6(target)) {
        pinger.pcb = raw_new_ip_type(IPADDR_TYPE_V6, IP6_NEXTH_ICMP6);
        if (pinger.pcb != NULL) {
            pinger.pcb->chksum_reqd = 1; /* RFC 3542 IPV6_CHECKSUM: lwIP computes it */
            pinger.pcb->chksum_offset = 2;
        }
    } else {
        pinger.pcb = raw_new_ip_type(IPADDR_TYPE_V4, IP_PROTO_ICMP);
    }
    if (pinger.pcb == NULL) {
        return -1;
    }
    raw_recv(pinger.pcb, pinger_recv, NULL);
    sys_timeout(interval_ms, pinger_send, NULL);
    return 0;
}

void pinger_stop(void)
{
    if (pinger.pcb != NULL) {
        sys_untimeout(pinger_send, NULL);
        raw_remove(pinger.pcb);
        pinger.pcb = NULL;
    }
}

int pinger_stats(struct pinger_stats *out, char *target, size_t cap)
{
    if (pinger.pcb == NULL) {
        return 0;
    }
    *out = pinger.stats;
    if (cap > 0) {
        strncpy(target, pinger.target_text, cap - 1);
        target[cap - 1] = '\0';
    }
    return 1;
}
