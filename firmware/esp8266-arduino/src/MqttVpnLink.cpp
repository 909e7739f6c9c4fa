/* One VPN link on the ESP8266 Arduino core (see MqttVpnLink.h for contexts and tunables). */
#include "MqttVpnLink.h"

#include <Schedule.h>
#include <new>
#include <string.h>

#include "lwip/ip.h"
#include "lwip/netif.h"

#include "mqttvpn/hooks.h"
#include "mqttvpn/netif.h"

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
    for (char *b : link->brokers) {
        free(b);
    }
    free(link->user);
    free(link->password);
    free(link->client_id);
}

static mqtt_if_data *g_links;      /* every running link, for the scheduled service */
static bool g_service_scheduled;   /* one copy of scheduled_service is pending */
static bool g_retry_scheduled;     /* retry_scheduling is in the recurrent functions */

static void ensure_scheduled();

/*
 * Runs once after a return of the sketch's loop() (schedule_function: once, after loop()
 * returns, FIFO; what it schedules waits for the next return) and leaves exactly one copy of
 * itself for the next: the flag says whether that copy exists, and only ensure_scheduled()
 * makes one.
 */
static void scheduled_service()
{
    g_service_scheduled = false; /* this copy is running: it is no longer pending */
    mqttvpn_link_service_all();
    ensure_scheduled();
}

/*
 * A recurrent function, only while schedule_function fails: the core runs recurrent functions
 * after the scheduled ones at each return of loop() (and at every yield()), when those have
 * given their slots back. It only schedules (no yield, as Schedule.h requires), and removes
 * itself (returns false) once the copy is pending or no link is left.
 */
static bool retry_scheduling()
{
    if (!g_service_scheduled && g_links != nullptr) {
        g_service_scheduled = schedule_function(scheduled_service);
    }
    g_retry_scheduled = !g_service_scheduled && g_links != nullptr;
    return g_retry_scheduled;
}

static void ensure_scheduled()
{
    if (g_service_scheduled || g_links == nullptr) {
        return;
    }
    g_service_scheduled = schedule_function(scheduled_service);
    if (!g_service_scheduled && !g_retry_scheduled) {
        /* All SCHEDULED_FN_MAX_COUNT slots are taken: by the sketch's functions and, while it
         * runs, by the running copy itself, which the core frees only when it returns. */
        g_retry_scheduled = schedule_recurrent_function_us(retry_scheduling, 0);
    }
}

/*
 * PubSubClient's callback, inside mqtt.loop() (CONT). topic and payload point into
 * PubSubClient's buffer, which its next publish overwrites: copy them out and return. The
 * queue has a free slot: the service empties it after every loop() (MqttVpnLink.h).
 */
static void on_message(mqtt_if_data *link, const char *topic, const uint8_t *payload, unsigned int len)
{
    /* Too long for a slot: counted (rxq.dropped_too_long); no valid frame is that long. */
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

/* Undoes what mqttvpn_link_create did, in reverse order; safe on a half-made link. */
static void free_link(mqtt_if_data *link)
{
    mqttvpn_arduino_ota_stop(link->ota); /* its connection goes through the interface */
    /* After a disconnect the driver's unsubscribes go nowhere; it still frees its state. */
    mqttvpn_iface_detach(&link->iface);
    if (link->netif_added) {
        netif_remove(&link->netif);
    }
    free_strings(link);
    delete link;
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

    link->ports[0] = config.port;
    link->brokers[0] = copy_string(config.broker);
    link->n_brokers = 1;
    for (const MqttVpnBroker &b : config.moreBrokers) {
        if (b.host != nullptr && b.host[0] != '\0' && link->brokers[link->n_brokers - 1] != nullptr) {
            link->ports[link->n_brokers] = b.port;
            link->brokers[link->n_brokers++] = copy_string(b.host);
        }
    }
    link->user = copy_string(config.user != nullptr && config.user[0] != '\0' ? config.user : nullptr);
    link->password = copy_string(config.brokerPassword);
    if (config.clientId == nullptr && mqttvpn_client_id(id, sizeof(id)) == 0) {
        id[0] = '\0';
    }
    link->client_id = copy_string(config.clientId != nullptr ? config.clientId : id);
    if (link->brokers[link->n_brokers - 1] == nullptr || link->client_id == nullptr) {
        MQTTVPN_LOG(MQTTVPN_LOG_ERROR, "mqttvpn: no memory for the configuration");
        goto err_ret;
    }
    (void)mqttvpn_msgq_init(&link->rxq, link->rx_storage, sizeof(link->rx_storage), MQTTVPN_MAX_FRAME);
    (void)mqttvpn_msgq_init(&link->txq, link->tx_storage, sizeof(link->tx_storage), MQTTVPN_MAX_FRAME);

    /* Attached first, then added: netif_add runs the driver's init, which needs its state. */
    if (mqttvpn_iface_attach(&link->iface, &link->netif, config.topicPrefix, config.key, link, nullptr) != ERR_OK) {
        goto err_ret; /* mqttvpn_iface_attach logged what was wrong and what to change */
    }
    ip4_addr_set_u32(&ip, (uint32_t)config.address);
    ip4_addr_set_u32(&mask, (uint32_t)config.netmask);
    ip4_addr_set_u32(&gw, (uint32_t)config.gateway);
    /* ip_input: frames reach lwIP from the service function (CONT), where lwIP may run at once. */
    if (netif_add(&link->netif, &ip, &mask, &gw, nullptr, mqttvpn_netif_init, ip_input) == nullptr) {
        MQTTVPN_LOG(MQTTVPN_LOG_ERROR, "mqttvpn: lwIP refused the interface (no free netif number)");
        goto err_ret;
    }
    link->netif_added = true;
    (void)mqttvpn_netif_set_route_for_others(&link->netif, config.routeForOthers);
    netif_set_up(&link->netif);
    /* Taken when MQTT is up, given back when it goes down: the broker stays reachable. */
    mqttvpn_iface_set_default_route(&link->iface, config.defaultRoute);
    mqttvpn_session_init(&link->session, &link->iface, MQTTVPN_RECONNECT_MIN_MS, MQTTVPN_RECONNECT_MAX_MS,
                         millis());
    mqttvpn_session_set_brokers(&link->session, link->n_brokers,
                                config.brokerOrderRandom ? MQTTVPN_BROKERS_RANDOM : MQTTVPN_BROKERS_IN_ORDER,
                                config.brokerReturnSeconds * 1000u);
    /* Listens on every interface, the VPN's included (which is up now); logs why it did not start. */
    if (mqttvpn_arduino_ota_wanted(config) && (link->ota = mqttvpn_arduino_ota_start(config)) == nullptr) {
        goto err_ret;
    }

    /* setBufferSize allocates once; the largest frame, its topic and the MQTT header fit. */
    if (!link->mqtt.setBufferSize(MQTTVPN_MQTT_PACKET_MAX)) {
        MQTTVPN_LOG(MQTTVPN_LOG_ERROR, "mqttvpn: no memory for PubSubClient's %u byte buffer",
                    (unsigned)MQTTVPN_MQTT_PACKET_MAX);
        goto err_ret;
    }
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
    free_link(link);
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
    free_link(link);
}

/*
 * Publishes what is queued now, at most a queue's worth: a frame that lwIP queues meanwhile
 * (SYS runs while PubSubClient's write waits) goes out in the next call, so this ends.
 */
static void publish_queued(mqtt_if_data *link)
{
    struct mqttvpn_msg *m;
    for (uint32_t n = mqttvpn_msgq_count(&link->txq); n > 0 && (m = mqttvpn_msgq_peek(&link->txq)) != nullptr;
         n--) {
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
        (void)mqttvpn_netif_input(&link->netif, m->topic, m->topic_len, m->data, m->len);
        mqttvpn_msgq_release(&link->rxq);
    }
}

/* After each successful connect, before the link comes up. */
static void on_connected(mqtt_if_data *link)
{
    /* WiFiClient::connect() sets no-delay to the sketch's global default (Nagle on unless it
     * changed it): a VPN packet must not wait for the ACK of the previous one. Only this
     * connection, and only now: setNoDelay applies to a connected client. */
    link->tcp.setNoDelay(true);
    /* The address the name resolved to this time: packets for it keep their route. */
    const IPAddress broker = link->tcp.remoteIP();
    if (mqttvpn_iface_set_broker(&link->iface, static_cast<const ip_addr_t *>(broker)) != ERR_OK &&
        link->iface.default_route) {
        MQTTVPN_LOG(MQTTVPN_LOG_WARN, "mqttvpn: broker %s is reached only through the VPN itself: as the "
                    "default route the VPN would carry its own session; reach the broker through Wi-Fi",
                    broker.toString().c_str());
    }
    if (mqttvpn_session_connected(&link->session) != ERR_OK) {
        MQTTVPN_LOG(MQTTVPN_LOG_WARN, "mqttvpn: some reading topics could not be subscribed");
    }
    unsigned i = mqttvpn_session_broker(&link->session);
    MQTTVPN_LOG(MQTTVPN_LOG_INFO, "mqttvpn: connected to %s:%u (%u of %u) as %s", link->brokers[i],
                (unsigned)link->ports[i], i + 1u, (unsigned)link->n_brokers, link->client_id);
}

static void keep_session(mqtt_if_data *link)
{
    uint32_t now = millis();

    unsigned i = mqttvpn_session_broker(&link->session);

    if (link->mqtt.connected()) {
        if (mqttvpn_session_return_due(&link->session, now)) {
            /* A device cannot ask the first broker without leaving this one (one connection):
             * if the first still does not answer, the failure moves straight on (brokers.h). */
            MQTTVPN_LOG(MQTTVPN_LOG_INFO, "mqttvpn: leaving broker %s:%u to try the first, %s:%u, again",
                        link->brokers[i], (unsigned)link->ports[i], link->brokers[0], (unsigned)link->ports[0]);
            mqttvpn_session_go_home(&link->session, now);
            link->mqtt.disconnect();
        }
        return;
    }
    if (link->session.state == MQTTVPN_SESSION_UP) {
        uint32_t delay = mqttvpn_session_lost(&link->session, now);
        unsigned next = mqttvpn_session_broker(&link->session);
        MQTTVPN_LOG(MQTTVPN_LOG_WARN, "mqttvpn: lost broker %s:%u (state %d), trying %s:%u in %u ms",
                    link->brokers[i], (unsigned)link->ports[i], link->mqtt.state(), link->brokers[next],
                    (unsigned)link->ports[next], (unsigned)delay);
        return;
    }
    if (!mqttvpn_session_poll(&link->session, now)) {
        return;
    }
    /* PubSubClient connects synchronously: up to the TCP connect and CONNACK timeouts. */
    link->mqtt.setServer(link->brokers[i], link->ports[i]);
    if (WiFi.status() == WL_CONNECTED &&
        link->mqtt.connect(link->client_id, link->user, link->user != nullptr ? link->password : nullptr)) {
        on_connected(link);
        return;
    }
    uint32_t delay = mqttvpn_session_failed(&link->session, millis());
    unsigned next = mqttvpn_session_broker(&link->session);
    MQTTVPN_LOG(MQTTVPN_LOG_WARN, "mqttvpn: broker %s:%u unreachable (state %d), trying %s:%u in %u ms",
                link->brokers[i], (unsigned)link->ports[i], link->mqtt.state(), link->brokers[next],
                (unsigned)link->ports[next], (unsigned)delay);
}

/*
 * Up to MQTTVPN_ARDUINO_BUDGET MQTT messages, each handed to lwIP right after the loop() that
 * read it, and what lwIP answered published before the next read: every message finds the rx
 * slot free, and every frame lwIP is given finds the tx queue empty.
 */
static void exchange(mqtt_if_data *link)
{
    publish_queued(link); /* what lwIP sent since the last round (SYS: TCP timers, forwarding) */
    if (!link->mqtt.connected()) {
        return;
    }
    for (int n = 0; n < MQTTVPN_ARDUINO_BUDGET; n++) {
        bool alive = link->mqtt.loop(); /* keepalive, then at most one MQTT packet */
        deliver_received(link);
        publish_queued(link);
        if (!alive || link->tcp.available() <= 0) {
            break;
        }
    }
}

void mqttvpn_link_service(mqtt_if_data *link)
{
    if (link == nullptr || !link->running || link->busy) {
        return;
    }
    link->busy = true;
    keep_session(link);
    mqttvpn_iface_keep_default_route(&link->iface); /* the Wi-Fi code sets its own when it reconnects */
    /* Before exchange: what it sends (ACKs opening the window, progress, the result) is published
     * first thing there, and the ring has room for what the frames read there carry. */
    mqttvpn_arduino_ota_service(link->ota);
    exchange(link);
    link->busy = false;
    ensure_scheduled(); /* when begin() or a retry found the core's queue full */
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

    mqttvpn_netif_get_counters(const_cast<struct netif *>(&link->netif), &c);
    n = c.rx_unexpected_topic + c.rx_not_for_us + c.rx_no_memory + c.tx_publish_failed + c.tx_no_random +
        c.tx_too_long + c.tx_multicast6 + c.tx_bypass_failed;
    for (int i = 0; i < MQTTVPN_DROP_COUNT; i++) {
        n += c.rx_dropped[i];
    }
    return n + link->rxq.dropped_full + link->rxq.dropped_too_long + link->txq.dropped_full +
           link->txq.dropped_too_long + link->tx_publish_failed;
}
