#include "status_page.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mqttvpn/codec.h"
#include "mqttvpn/hooks.h"
#include "mqttvpn/netif.h"
#include "pinger.h"
#include "version.h"

struct page {
    char *out;
    size_t cap;
    size_t len;
    int overflow;
};

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void put(struct page *pg, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (pg->overflow) {
        return;
    }
    va_start(ap, fmt);
    n = vsnprintf(pg->out + pg->len, pg->cap - pg->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= pg->cap - pg->len) {
        pg->overflow = 1;
        return;
    }
    pg->len += (size_t)n;
}

/* Text from the command line (client id, broker, prefix) goes through here. */
static void put_escaped(struct page *pg, const char *s)
{
    for (; *s != '\0'; s++) {
        switch (*s) {
        case '<': put(pg, "&lt;"); break;
        case '>': put(pg, "&gt;"); break;
        case '&': put(pg, "&amp;"); break;
        case '"': put(pg, "&quot;"); break;
        default: put(pg, "%c", *s); break;
        }
    }
}

static void put_row(struct page *pg, const char *name, uint32_t value)
{
    put(pg, "<tr><th>%s</th><td>%lu</td></tr>\n", name, (unsigned long)value);
}

/* The image: version, slot and its state, and what the OTA receiver has done. */
static void put_firmware(struct page *pg, const struct status_source *src)
{
    struct mqttvpn_ota_stats s;

    put(pg, "<h2>firmware</h2>\n<table id=\"firmware\">\n<tr><th>version</th><td id=\"version\">");
    put_escaped(pg, sim_version);
    put(pg, "</td></tr>\n<tr><th>slot</th><td id=\"slot\">");
    if (src->slots == NULL) {
        put(pg, "no state dir");
    } else {
        /* The slot this process runs: after an update the state names the new one already,
         * while this image still answers until the restart. */
        put(pg, "%c%s", src->ota->running_slot,
            src->slots->state.active != src->ota->running_slot ? " (restarting into the new image)"
            : src->ota->probation.active ? " (new: on probation until it rejoins the VPN)" : "");
    }
    put(pg, "</td></tr>\n");
    if (!ota_service_stats(src->ota, &s)) {
        put(pg, "<tr><th>ota</th><td id=\"ota\">off</td></tr>\n</table>\n");
        return;
    }
    put(pg, "<tr><th>ota</th><td id=\"ota\">UDP port %d%s</td></tr>\n", src->opts->ota_port,
        s.busy ? ", receiving" : "");
    put_row(pg, "ota_invitations", s.invitations);
    put_row(pg, "ota_auth_failed", s.auth_failed);
    put_row(pg, "ota_refused", s.refused);
    put_row(pg, "ota_completed", s.completed);
    put_row(pg, "ota_failed", s.failed);
    put_row(pg, "ota_last_size", s.last_size);
    put_row(pg, "ota_last_received", s.last_received);
    put(pg, "</table>\n");
}

size_t status_page_render(const struct status_source *src, char *out, size_t cap)
{
    struct page pg = {out, cap, 0, 0};
    struct mqttvpn_netif_counters c;
    char a[INET6_ADDRSTRLEN], m[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN];
    char topic[MQTTVPN_TOPIC_MAX];
    uint32_t up_s = (mqttvpn_hook_now_ms() - src->start_ms) / 1000u;
    const struct sim_options *o = src->opts;
    size_t i;
    int d;

    if (cap == 0) {
        return 0;
    }
    mqttvpn_netif_get_counters(src->nif, &c);
    inet_ntop(AF_INET, o->address, a, sizeof(a));
    inet_ntop(AF_INET, o->netmask, m, sizeof(m));
    inet_ntop(AF_INET, o->gateway, g, sizeof(g));

    put(&pg, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>mqttvpn-sim %s</title>"
             "<style>body{font-family:sans-serif}th{text-align:left;padding-right:1em}"
             "td{text-align:right}</style></head><body>\n", a);
    put(&pg, "<h1>mqttvpn-sim %s</h1>\n<table>\n", a);
    put(&pg, "<tr><th>address</th><td id=\"address\">%s</td></tr>\n", a);
    put(&pg, "<tr><th>netmask</th><td>%s</td></tr>\n", m);
    put(&pg, "<tr><th>gateway</th><td>%s</td></tr>\n", o->gateway[0] | o->gateway[1] | o->gateway[2] | o->gateway[3] ? g : "none");
    if (o->has_address6) {
        inet_ntop(AF_INET6, o->address6, a, sizeof(a));
        put(&pg, "<tr><th>address6</th><td id=\"address6\">%s/%d</td></tr>\n", a, o->prefix6);
    }
    put(&pg, "<tr><th>uptime</th><td id=\"uptime\">");
    d = (int)(up_s / 86400u);
    if (d > 0) {
        put(&pg, "%dd ", d);
    }
    put(&pg, "%02u:%02u:%02u</td></tr>\n", (unsigned)(up_s / 3600u % 24u), (unsigned)(up_s / 60u % 60u),
        (unsigned)(up_s % 60u));
    put(&pg, "<tr><th>broker</th><td>");
    put_escaped(&pg, o->brokers[mqtt_link_broker(src->link)].host);
    put(&pg, ":%d (%s)</td></tr>\n", o->brokers[mqtt_link_broker(src->link)].port,
        mqtt_link_connected(src->link) ? "connected" : "disconnected");
    put(&pg, "<tr><th>client id</th><td>");
    put_escaped(&pg, o->client_id);
    put(&pg, "</td></tr>\n<tr><th>encryption</th><td>%s</td></tr>\n", o->key != NULL ? "key set" : "none");
    put(&pg, "<tr><th>topics</th><td>");
    for (i = 0; i < mqttvpn_netif_topic_count(src->nif); i++) {
        if (mqttvpn_netif_topic(src->nif, i, topic, sizeof(topic)) > 0) {
            put(&pg, "%s", i > 0 ? "<br>" : "");
            put_escaped(&pg, topic);
        }
    }
    put(&pg, "</td></tr>\n</table>\n<h2>counters</h2>\n<table id=\"counters\">\n");
    put_row(&pg, "rx_packets", c.rx_packets);
    put_row(&pg, "rx_bytes", c.rx_bytes);
    put_row(&pg, "tx_packets", c.tx_packets);
    put_row(&pg, "tx_bytes", c.tx_bytes);
    for (d = 0; d < MQTTVPN_DROP_COUNT; d++) {
        char name[40];
        snprintf(name, sizeof(name), "rx_dropped_%s", mqttvpn_drop_name((mqttvpn_drop_t)d));
        put_row(&pg, name, c.rx_dropped[d]);
    }
    put_row(&pg, "rx_dropped_unexpected_topic", c.rx_unexpected_topic);
    put_row(&pg, "rx_dropped_not_for_us", c.rx_not_for_us);
    put_row(&pg, "rx_dropped_no_memory", c.rx_no_memory);
    put_row(&pg, "tx_dropped_publish_failed", c.tx_publish_failed);
    put_row(&pg, "tx_dropped_no_random", c.tx_no_random);
    put_row(&pg, "tx_dropped_too_long", c.tx_too_long);
    put_row(&pg, "tx_dropped_multicast6", c.tx_multicast6);
    put_row(&pg, "reconnects", mqtt_link_reconnects(src->link));
    put(&pg, "</table>\n");
    put_firmware(&pg, src);
    {
        struct pinger_stats ps;
        char target[48];
        if (pinger_stats(&ps, target, sizeof(target))) {
            put(&pg, "<h2>ping %s</h2>\n<table id=\"ping\">\n", target);
            put_row(&pg, "sent", ps.sent);
            put_row(&pg, "received", ps.received);
            if (ps.received > 0) {
                put(&pg, "<tr><th>rtt min/avg/max/last</th><td>%.2f/%.2f/%.2f/%.2f ms</td></tr>\n",
                    ps.min_rtt_ms, ps.sum_rtt_ms / ps.received, ps.max_rtt_ms, ps.last_rtt_ms);
            }
            put(&pg, "</table>\n");
        }
    }
    put(&pg, "</body></html>\n");
    return pg.overflow ? 0 : pg.len;
}
