/* One VPN link on the ESP8266 Arduino core (see MqttVpnLink.h for contexts and tunables). */
#include "MqttVpnLink.h"

#include <Schedule.h>
#include <new>
#include <string.h>

#include "lwip/ip.h"
#include "lwip/netif.h"

#include "mqttvpn/hooks.h"
#include "mqttvpn/netif.h"

static mqtt_if_data *g_links;      /* every running link, for the scheduled service */
static bool g_service_scheduled;

static char *copy_string(const char *s)
{
    if (s == nullptr) {
        return nullptr;
    }
    size_t n = strlen(s) + 1;
    char *c = static_cast<char *>(malloc(n));
    if (c != nullptr) {
        memcpy(c, s, n);
    }
    return c;
}

static void free_strings(mqtt_if_data *link)
{
    free(link->broker);
    free(link->user);
    free(link->password);
    free(link->client_id);
}

/* Runs after every return of the sketch's loop() while a link exists (schedule_function runs
 * a function once when loop() returns; it schedules itself again for the next one). */
static void scheduled_service()
{
    g_service_scheduled = false;
    if (g_links == nullptr) {
        return;
    }
    mqttvpn_link_service_all();
    g_service_scheduled = schedule_function(scheduled_service);
}

static void ensure_scheduled()
{
    if (!g_service_scheduled) {
        /* false only when the core's 32 scheduled slots are all taken: then loop() calls serve. */
        g_service_scheduled = schedule_function(scheduled_service);
    }
}

/*
 * PubSubClient's callback, inside mqtt.loop() (CONT). topic and payload point into
 * PubSubClient's buffer, which its next publish overwrites: copy them out and return.
 */
static void on_message(mqtt_if_data *link, const char *topic, const uint8_t *payload, unsigned int len)
{
    /* A full queue drops and counts (rxq.dropped_full); the sender's TCP, if any, retransmits. */
    (void)mqttvpn_msgq_push(&link->rxq, MQTTVPN_MSG_DATA, topic, strlen(topic), payload, len);
}

static void drop_link(mqtt_if_data *link)
{
    for (mqtt_if_data **p = &g_links; *p != nullptr; p = &(*p)->next) {
        if (*p == link) {
            *p = link->next;
            break;
        }
    }
}

mqtt_if_data *mqttvpn_link_create(const MqttVpnConfig &config)
{
    if (config.broker == nullptr || config.broker[0] == '\0') {
        MQTTVPN_LOG(MQTTVPN_LOG_ERROR, "mqttvpn: no broker given");
        return nullptr;
    }
    mqtt_if_data *link = new (std::nothrow) mqtt_if_data();
    if (link == nullptr) {
        MQTTVPN_LOG(MQTTVPN_LOG_ERROR, "mqttvpn: no memory for the link (%u bytes)", (unsigned)sizeof(*link));
        return nullptr;
    }
    ip4_addr_t ip, mask, gw;
    char id[MQTTVPN_CLIENT_ID_LEN + 1];
    err_t err;

    link->port = config.port;
    link->broker = copy_string(config.broker);
    link->user = copy_string(config.user != nullptr && config.user[0] != '\0' ? config.user : nullptr);
    link->password = copy_string(config.brokerPassword);
    if (config.clientId == nullptr && mqttvpn_client_id(id, sizeof(id)) == 0) {
        id[0] = '\0';
    }
    link->client_id = copy_string(config.clientId != nullptr ? config.clientId : id);
    if (link->broker == nullptr || link->client_id == nullptr) {
        MQTTVPN_LOG(MQTTVPN_LOG_ERROR, "mqttvpn: no memory for the configuration");
        goto err_ret;
    }
    (void)mqttvpn_msgq_init(&link->rxq, link->rx_storage, sizeof(link->rx_storage), MQTTVPN_MAX_FRAME);
    (void)mqttvpn_msgq_init(&link->txq, link->tx_storage, sizeof(link->tx_storage), MQTTVPN_MAX_FRAME);

    ip4_addr_set_u32(&ip, (uint32_t)config.address);
    ip4_addr_set_u32(&mask, (uint32_t)config.netmask);
    ip4_addr_set_u32(&gw, (uint32_t)config.gateway);
    /* ip_input: frames reach lwIP from the service function (CONT), where lwIP may run at once. */
    err = mqttvpn_iface_add(&link->iface, config.topicPrefix, config.key, link, &ip, &mask, &gw, ip_input);
    if (err != ERR_OK) {
        goto err_ret; /* mqttvpn_iface_add logged what was wrong and what to change */
    }
    netif_set_up(&link->iface.netif);
    if (config.defaultRoute) {
        netif_set_default(&link->iface.netif);
    }
    mqttvpn_session_init(&link->session, &link->iface, MQTTVPN_RECONNECT_MIN_MS, MQTTVPN_RECONNECT_MAX_MS,
                         millis());

    /* setBufferSize allocates once; the largest frame, its topic and the MQTT header fit. */
    if (!link->mqtt.setBufferSize(MQTTVPN_MQTT_PACKET_MAX)) {
        MQTTVPN_LOG(MQTTVPN_LOG_ERROR, "mqttvpn: no memory for PubSubClient's %u byte buffer",
                    (unsigned)MQTTVPN_MQTT_PACKET_MAX);
        goto err_ret;
    }
    link->mqtt.setServer(link->broker, link->port);
    link->mqtt.setKeepAlive(MQTTVPN_ARDUINO_KEEPALIVE_S);
    link->mqtt.setCallback([link](char *topic, uint8_t *payload, unsigned int len) {
        on_message(link, topic, payload, len);
    });
    link->running = true;
    link->next = g_links;
    g_links = link;
    ensure_scheduled();
    return link;

err_ret:
    mqttvpn_iface_remove(&link->iface);
    free_strings(link);
    delete link;
    return nullptr;
}

void mqttvpn_link_destroy(mqtt_if_data *link)
{
    if (link == nullptr) {
        return;
    }
    drop_link(link);
    link->running = false;
    if (link->mqtt.connected()) {
        link->mqtt.disconnect();
    }
    /* After disconnect the driver's unsubscribes go nowhere; it still frees its state. */
    mqttvpn_iface_remove(&link->iface);
    free_strings(link);
    delete link;
}

static void publish_queued(mqtt_if_data *link)
{
    struct mqttvpn_msg *m;
    for (int n = 0; n < MQTTVPN_ARDUINO_BUDGET && (m = mqttvpn_msgq_peek(&link->txq)) != nullptr; n++) {
        /* The slot stays ours until release: a frame queued meanwhile (SYS) goes to another. */
        if (!link->mqtt.publish(m->topic, m->data, (unsigned int)m->len)) {
            link->tx_publish_failed++;
        }
        mqttvpn_msgq_release(&link->txq);
    }
}

static void deliver_received(mqtt_if_data *link)
{
    struct mqttvpn_msg *m;
    while ((m = mqttvpn_msgq_peek(&link->rxq)) != nullptr) {
        /* The driver opens the frame into a new pbuf and hands that to lwIP; the slot stays ours. */
        (void)mqttvpn_netif_input(&link->iface.netif, m->topic, m->topic_len, m->data, m->len);
        mqttvpn_msgq_release(&link->rxq);
    }
}

static void keep_session(mqtt_if_data *link)
{
    uint32_t now = millis();

    if (link->mqtt.connected()) {
        return;
    }
    if (link->session.state == MQTTVPN_SESSION_UP) {
        uint32_t delay = mqttvpn_session_lost(&link->session, now);
        MQTTVPN_LOG(MQTTVPN_LOG_WARN, "mqttvpn: lost broker %s:%u (state %d), retry in %u ms", link->broker,
                    (unsigned)link->port, link->mqtt.state(), (unsigned)delay);
        return;
    }
    if (!mqttvpn_session_poll(&link->session, now)) {
        return;
    }
    /* PubSubClient connects synchronously: up to the TCP connect and CONNACK timeouts. */
    if (WiFi.status() == WL_CONNECTED &&
        link->mqtt.connect(link->client_id, link->user, link->user != nullptr ? link->password : nullptr)) {
        if (mqttvpn_session_connected(&link->session) != ERR_OK) {
            MQTTVPN_LOG(MQTTVPN_LOG_WARN, "mqttvpn: some reading topics could not be subscribed");
        }
        MQTTVPN_LOG(MQTTVPN_LOG_INFO, "mqttvpn: connected to %s:%u as %s", link->broker, (unsigned)link->port,
                    link->client_id);
        return;
    }
    uint32_t delay = mqttvpn_session_failed(&link->session, millis());
    MQTTVPN_LOG(MQTTVPN_LOG_WARN, "mqttvpn: broker %s:%u unreachable (state %d), retry in %u ms", link->broker,
                (unsigned)link->port, link->mqtt.state(), (unsigned)delay);
}

void mqttvpn_link_service(mqtt_if_data *link)
{
    if (link == nullptr || !link->running || link->busy) {
        return;
    }
    link->busy = true;
    keep_session(link);
    if (link->mqtt.connected()) {
        /* PubSubClient reads one MQTT packet per loop(): a bounded number, then lwIP's turn. */
        for (int n = 0; n < MQTTVPN_ARDUINO_BUDGET; n++) {
            if (!link->mqtt.loop() || link->tcp.available() <= 0) {
                break;
            }
        }
    }
    deliver_received(link);
    publish_queued(link);
    link->busy = false;
    ensure_scheduled();
}

void mqttvpn_link_service_all()
{
    for (mqtt_if_data *link = g_links; link != nullptr;) {
        mqtt_if_data *next = link->next; /* the service never frees, but stay safe against end() in hooks */
        mqttvpn_link_service(link);
        link = next;
    }
}

uint32_t mqttvpn_link_drops(const mqtt_if_data *link)
{
    struct mqttvpn_netif_counters c;
    uint32_t n;

    mqttvpn_netif_get_counters(const_cast<struct netif *>(&link->iface.netif), &c);
    n = c.rx_unexpected_topic + c.rx_no_memory + c.tx_publish_failed + c.tx_no_random + c.tx_too_long +
        c.tx_multicast6;
    for (int i = 0; i < MQTTVPN_DROP_COUNT; i++) {
        n += c.rx_dropped[i];
    }
    return n + link->rxq.dropped_full + link->rxq.dropped_too_long + link->txq.dropped_full +
           link->txq.dropped_too_long + link->tx_publish_failed;
}
