/*
 * The original MQTT_VPN ESP32 API (mqttif.h) on mqtt_vpn_start(). Same names and arguments;
 * empty user/password strings mean none, as in the original. Each call that touches lwIP runs
 * in the core context (mqtt_vpn_run_in_core): call them from application tasks.
 */
#include <string.h>

#include "esp_log.h"
#include "esp_netif.h" /* IPSTR, IP2STR (esp_netif_ip_addr.h), esp_netif_set_ip_info */
#include "lwip/dns.h"
#include "lwip/ip_addr.h"
#include "lwip/netif.h"

#include "mqttif.h"
#include "mqtt_vpn.h"
#include "mqtt_vpn_priv.h"
#include "mqttvpn/netif.h"

static const char *TAG = "mqtt_vpn";

/* A mqtt_if_data is a mqtt_vpn: the original's opaque handle. */
static struct mqtt_vpn *vpn_of(struct mqtt_if_data *data)
{
    return (struct mqtt_vpn *)(void *)data;
}

struct mqtt_if_data *mqtt_vpn_if_init(char *broker, char *user, char *broker_password, char *topic_pre,
                                      char *password, ip4_addr_t ipaddr, ip4_addr_t netmask, ip4_addr_t gw)
{
    mqtt_vpn_config_t cfg = MQTT_VPN_CONFIG_DEFAULT();
    mqtt_vpn_handle_t vpn;
    esp_err_t err;

    cfg.broker_uri = broker;
    cfg.username = user;
    cfg.password = broker_password;
    cfg.topic_prefix = topic_pre;
    cfg.key = password;
    cfg.ipaddr = ipaddr;
    cfg.netmask = netmask;
    cfg.gw = gw;
    err = mqtt_vpn_start(&cfg, &vpn);
    if (err != ESP_OK) {
        ESP_LOGE(TAG, "mqtt_vpn_if_init(%s): %s", broker != NULL ? broker : "(null)", esp_err_to_name(err));
        return NULL;
    }
    return (struct mqtt_if_data *)(void *)vpn;
}

void mqtt_if_del(struct mqtt_if_data *data)
{
    if (data != NULL) {
        (void)mqtt_vpn_stop(vpn_of(data));
    }
}

/* One operation of the original API, carried into the core context. */
enum op_kind { OP_TARGET, OP_FLUSH, OP_SUBSCRIBE, OP_UNSUBSCRIBE, OP_PASSWORD, OP_ADDR, OP_UP, OP_DOWN,
               OP_MTU, OP_SET_FLAG, OP_CLEAR_FLAG, OP_CLEAR_DNS, OP_ADD_DNS };

struct op {
    enum op_kind kind;
    struct mqtt_vpn *vpn;
    const char *password;
    const ip4_addr_t *ip, *mask, *gw;
    uint32_t value;
    err_t err;
};

static int dns_count; /* core context */

/*
 * New addresses (NULL: keep that one), in the tcpip thread. The glue applies them and moves the
 * reading topic (it compares with the address before the change, so it goes first); then
 * esp_netif's own copy follows, which esp_netif_get_ip_info reports while the netif is down and
 * esp_netif_up applies (esp_netif_set_ip_info runs at once in this thread; while the netif is
 * up it sets the same addresses again, which lwIP ignores).
 */
static err_t set_addr_in_core(struct mqtt_vpn *vpn, const ip4_addr_t *ip, const ip4_addr_t *mask,
                              const ip4_addr_t *gw)
{
    struct netif *nif = vpn->iface.netif;
    esp_netif_ip_info_t info;
    err_t err = mqttvpn_iface_set_addr(&vpn->iface, ip, mask, gw);

    info.ip.addr = ip4_addr_get_u32(netif_ip4_addr(nif));
    info.netmask.addr = ip4_addr_get_u32(netif_ip4_netmask(nif));
    info.gw.addr = ip4_addr_get_u32(netif_ip4_gw(nif));
    if (esp_netif_set_ip_info(vpn->netif, &info) != ESP_OK && err == ERR_OK) {
        err = ERR_VAL;
    }
    return err;
}

static void op_in_core(void *p)
{
    struct op *o = p;
    struct mqttvpn_iface *f = o->vpn != NULL ? &o->vpn->iface : NULL;
    ip4_addr_t a;
    ip_addr_t dns;
    int k;

    o->err = ERR_OK;
    switch (o->kind) {
    case OP_TARGET:
        o->err = mqttvpn_iface_add_target(f, o->ip);
        break;
    case OP_FLUSH:
        mqttvpn_iface_flush_targets(f);
        break;
    case OP_SUBSCRIBE:
        o->err = o->vpn->mqtt_up ? mqttvpn_iface_set_connected(f, 1) : ERR_CONN;
        break;
    case OP_UNSUBSCRIBE:
        o->err = mqttvpn_iface_unsubscribe(f); /* through the ctl queue; link down, as the original */
        break;
    case OP_PASSWORD:
        o->err = mqttvpn_iface_set_password(f, o->password);
        break;
    case OP_ADDR:
        o->err = set_addr_in_core(o->vpn, o->ip, o->mask, o->gw);
        break;
    case OP_UP:
        netif_set_up(f->netif);
        break;
    case OP_DOWN:
        netif_set_down(f->netif);
        break;
    case OP_MTU:
        f->netif->mtu = (u16_t)o->value;
        break;
    case OP_SET_FLAG:
        f->netif->flags |= (u8_t)o->value;
        break;
    case OP_CLEAR_FLAG:
        f->netif->flags &= (u8_t)~o->value;
        break;
    case OP_CLEAR_DNS:
        for (k = 0; k < DNS_MAX_SERVERS; k++) {
            dns_setserver((u8_t)k, NULL); /* lwIP: NULL clears the entry */
        }
        dns_count = 0;
        break;
    case OP_ADD_DNS:
        if (dns_count >= DNS_MAX_SERVERS) {
            o->err = ERR_MEM;
            break;
        }
        ip4_addr_set_u32(&a, o->value);
        ip_addr_copy_from_ip4(dns, a);
        dns_setserver((u8_t)dns_count++, &dns);
        break;
    }
}

static err_t run(struct op *o)
{
    if (o->kind != OP_CLEAR_DNS && o->kind != OP_ADD_DNS && (o->vpn == NULL || !o->vpn->iface.attached)) {
        return ERR_IF;
    }
    if (mqtt_vpn_run_in_core(op_in_core, o) != ESP_OK) {
        return ERR_MEM;
    }
    return o->err;
}

void mqtt_if_add_reading_topic(struct mqtt_if_data *data, ip4_addr_t addr)
{
    struct op o = { .kind = OP_TARGET, .vpn = vpn_of(data), .ip = &addr };
    if (run(&o) == ERR_MEM) {
        ESP_LOGW(TAG, "reading topic for " IPSTR " not added: MQTTVPN_MAX_TOPICS (%u) reached", IP2STR(&addr),
                 (unsigned)MQTTVPN_MAX_TOPICS);
    }
}

void mqtt_if_flush_reading_topic(struct mqtt_if_data *data)
{
    struct op o = { .kind = OP_FLUSH, .vpn = vpn_of(data) };
    (void)run(&o);
}

void mqtt_if_subscribe(struct mqtt_if_data *data)
{
    struct op o = { .kind = OP_SUBSCRIBE, .vpn = vpn_of(data) };
    (void)run(&o);
}

void mqtt_if_unsubscribe(struct mqtt_if_data *data)
{
    struct op o = { .kind = OP_UNSUBSCRIBE, .vpn = vpn_of(data) };
    (void)run(&o);
}

void mqtt_if_set_password(struct mqtt_if_data *data, char *password)
{
    struct op o = { .kind = OP_PASSWORD, .vpn = vpn_of(data), .password = password };
    if (run(&o) != ERR_OK) {
        ESP_LOGE(TAG, "mqtt_if_set_password: the VPN interface is not running");
    }
}

static void set_addr(struct mqtt_if_data *data, const uint32_t *ip, const uint32_t *mask, const uint32_t *gw)
{
    ip4_addr_t a, m, g;
    struct op o = { .kind = OP_ADDR, .vpn = vpn_of(data) };

    if (ip != NULL) {
        ip4_addr_set_u32(&a, *ip);
        o.ip = &a;
    }
    if (mask != NULL) {
        ip4_addr_set_u32(&m, *mask);
        o.mask = &m;
    }
    if (gw != NULL) {
        ip4_addr_set_u32(&g, *gw);
        o.gw = &g;
    }
    (void)run(&o);
}

void mqtt_if_set_ipaddr(struct mqtt_if_data *data, uint32_t addr)
{
    set_addr(data, &addr, NULL, NULL);
}

void mqtt_if_set_netmask(struct mqtt_if_data *data, uint32_t addr)
{
    set_addr(data, NULL, &addr, NULL);
}

void mqtt_if_set_gw(struct mqtt_if_data *data, uint32_t addr)
{
    set_addr(data, NULL, NULL, &addr);
}

void mqtt_if_set_up(struct mqtt_if_data *data)
{
    struct op o = { .kind = OP_UP, .vpn = vpn_of(data) };
    (void)run(&o);
}

void mqtt_if_set_down(struct mqtt_if_data *data)
{
    struct op o = { .kind = OP_DOWN, .vpn = vpn_of(data) };
    (void)run(&o);
}

void mqtt_if_set_mtu(struct mqtt_if_data *data, int mtu)
{
    /* Above MQTTVPN_MTU the driver would drop every full-size packet: clamp to what it carries. */
    struct op o = { .kind = OP_MTU, .vpn = vpn_of(data),
                    .value = (uint32_t)(mtu > (int)MQTTVPN_MTU ? (int)MQTTVPN_MTU : mtu) };
    if (mtu >= 68) {
        (void)run(&o);
    }
}

void mqtt_if_set_flag(struct mqtt_if_data *data, int flag)
{
    struct op o = { .kind = OP_SET_FLAG, .vpn = vpn_of(data), .value = (uint32_t)flag };
    (void)run(&o);
}

void mqtt_if_clear_flag(struct mqtt_if_data *data, int flag)
{
    struct op o = { .kind = OP_CLEAR_FLAG, .vpn = vpn_of(data), .value = (uint32_t)flag };
    (void)run(&o);
}

void mqtt_if_clear_dns(void)
{
    struct op o = { .kind = OP_CLEAR_DNS };
    (void)run(&o);
}

void mqtt_if_add_dns(uint32_t addr)
{
    struct op o = { .kind = OP_ADD_DNS, .value = addr };
    if (run(&o) == ERR_MEM) {
        ESP_LOGW(TAG, "DNS server not added: lwIP keeps %d", (int)DNS_MAX_SERVERS);
    }
}
