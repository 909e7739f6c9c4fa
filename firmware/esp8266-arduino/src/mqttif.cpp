/*
 * The original MQTT_VPN C API (mqttif.h) on the shared link. Same names, arguments and
 * defaults as martin-ger's library (port 1883, prefix "mqttip", netmask 255.255.255.0, no
 * gateway, keepalive 120 s); behaviour kept, with its leaks and overflows fixed:
 *   - mqtt_if_init connects in the background (the service function) and returns at once;
 *   - mqtt_if_add_reading_topic logs instead of silently ignoring topics beyond the cap;
 *   - mqtt_if_flush_reading_topic forgets the NAT targets; own address and broadcast stay;
 *   - mqtt_if_add_dns stops at DNS_MAX_SERVERS.
 * Every function runs in the sketch's context (CONT), where lwIP may be called.
 */
#include "mqttif.h"

#include "lwip/dns.h"
#include "lwip/ip_addr.h"
#include "lwip/netif.h"

#include "MqttVpnLink.h"
#include "mqttvpn/hooks.h"
#include "mqttvpn/netif.h"

struct mqtt_if_data *mqtt_if_init(char *broker, char *user, char *broker_password, int port, char *topic_pre,
                                  char *password, IPAddress ipaddr, IPAddress netmask, IPAddress gw)
{
    MqttVpnConfig config;
    config.broker = broker;
    config.port = (uint16_t)port;
    config.user = user;
    config.brokerPassword = broker_password;
    config.topicPrefix = topic_pre;
    config.key = password;
    config.address = ipaddr;
    config.netmask = netmask;
    config.gateway = gw;
    config.defaultRoute = false; /* as the original: the interface is not the default route */
    return mqttvpn_link_create(config);
}

struct mqtt_if_data *mqtt_if_init(char *broker, char *user, char *broker_password, IPAddress ipaddr, char *password)
{
    return mqtt_if_init(broker, user, broker_password, 1883, (char *)MQTTVPN_DEFAULT_TOPIC_PREFIX, password, ipaddr,
                        IPAddress(255, 255, 255, 0), IPAddress(0, 0, 0, 0));
}

struct mqtt_if_data *mqtt_if_init(char *broker, IPAddress ipaddr, char *password)
{
    return mqtt_if_init(broker, nullptr, nullptr, 1883, (char *)MQTTVPN_DEFAULT_TOPIC_PREFIX, password, ipaddr,
                        IPAddress(255, 255, 255, 0), IPAddress(0, 0, 0, 0));
}

void mqtt_if_del(struct mqtt_if_data *data)
{
    mqttvpn_link_destroy(data);
}

void mqtt_if_add_reading_topic(struct mqtt_if_data *data, IPAddress addr)
{
    ip4_addr_t t;
    ip4_addr_set_u32(&t, (uint32_t)addr);
    if (data != nullptr && mqttvpn_iface_add_target(&data->iface, &t) == ERR_MEM) {
        MQTTVPN_LOG(MQTTVPN_LOG_WARN, "mqttvpn: reading topic for %s not added: MQTTVPN_MAX_TOPICS (%u) reached",
                    addr.toString().c_str(), (unsigned)MQTTVPN_MAX_TOPICS);
    }
}

void mqtt_if_flush_reading_topic(struct mqtt_if_data *data)
{
    if (data != nullptr) {
        mqttvpn_iface_flush_targets(&data->iface);
    }
}

void mqtt_if_subscribe(struct mqtt_if_data *data)
{
    if (data != nullptr && data->mqtt.connected()) {
        (void)mqttvpn_iface_set_connected(&data->iface, 1);
    }
}

void mqtt_if_unsubscribe(struct mqtt_if_data *data)
{
    /* Through the unsubscribe hook (PubSubClient, which refuses while disconnected); link down. */
    if (data != nullptr) {
        (void)mqttvpn_iface_unsubscribe(&data->iface);
    }
}

void mqtt_if_set_password(struct mqtt_if_data *data, char *password)
{
    /* Rekeys in place: addresses, reading topics and the MQTT session stay; the next frame in
     * either direction uses the new key. */
    if (data != nullptr && mqttvpn_iface_set_password(&data->iface, password) != ERR_OK) {
        MQTTVPN_LOG(MQTTVPN_LOG_ERROR, "mqttvpn: password not changed: the interface is gone (mqtt_if_del?)");
    }
}

static void set_addr(struct mqtt_if_data *data, const uint32_t *ip, const uint32_t *mask, const uint32_t *gw)
{
    ip4_addr_t a, m, g;
    if (data == nullptr) {
        return;
    }
    if (ip != nullptr) {
        ip4_addr_set_u32(&a, *ip);
    }
    if (mask != nullptr) {
        ip4_addr_set_u32(&m, *mask);
    }
    if (gw != nullptr) {
        ip4_addr_set_u32(&g, *gw);
    }
    (void)mqttvpn_iface_set_addr(&data->iface, ip != nullptr ? &a : nullptr, mask != nullptr ? &m : nullptr,
                                 gw != nullptr ? &g : nullptr);
}

void mqtt_if_set_ipaddr(struct mqtt_if_data *data, uint32_t addr)
{
    set_addr(data, &addr, nullptr, nullptr);
}

void mqtt_if_set_netmask(struct mqtt_if_data *data, uint32_t addr)
{
    set_addr(data, nullptr, &addr, nullptr);
}

void mqtt_if_set_gw(struct mqtt_if_data *data, uint32_t addr)
{
    set_addr(data, nullptr, nullptr, &addr);
}

void mqtt_if_set_up(struct mqtt_if_data *data)
{
    if (data != nullptr) {
        netif_set_up(&data->netif);
    }
}

void mqtt_if_set_down(struct mqtt_if_data *data)
{
    if (data != nullptr) {
        netif_set_down(&data->netif);
    }
}

void mqtt_if_set_mtu(struct mqtt_if_data *data, int mtu)
{
    /* Above MQTTVPN_MTU the driver would drop every full-size packet: clamp to what it carries. */
    if (data != nullptr && mtu >= 68) {
        data->netif.mtu = (u16_t)(mtu > (int)MQTTVPN_MTU ? (int)MQTTVPN_MTU : mtu);
    }
}

void mqtt_if_set_flag(struct mqtt_if_data *data, int flag)
{
    if (data != nullptr) {
        data->netif.flags |= (u8_t)flag;
    }
}

void mqtt_if_clear_flag(struct mqtt_if_data *data, int flag)
{
    if (data != nullptr) {
        data->netif.flags &= (u8_t)~flag;
    }
}

static int dns_count;

void mqtt_if_clear_dns(void)
{
    for (int i = 0; i < DNS_MAX_SERVERS; i++) {
        dns_setserver((u8_t)i, nullptr); /* lwIP: NULL clears the entry */
    }
    dns_count = 0;
}

void mqtt_if_add_dns(uint32_t addr)
{
    ip_addr_t a;
    if (dns_count >= DNS_MAX_SERVERS) {
        MQTTVPN_LOG(MQTTVPN_LOG_WARN, "mqttvpn: DNS server not added: lwIP keeps %d", (int)DNS_MAX_SERVERS);
        return;
    }
    ip_addr_set_ip4_u32_val(a, addr);
    dns_setserver((u8_t)dns_count++, &a);
}

void mqtt_if_loop(void)
{
    mqttvpn_link_service_all();
}
