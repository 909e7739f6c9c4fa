/*
 * mqtt_vpn for ESP-IDF: esp-mqtt events in, the portable core's netif driver in lwIP's
 * tcpip thread, frames out through the component's task. Contexts and buffer ownership are
 * described in private_include/mqtt_vpn_priv.h; the interface is an esp_netif
 * (mqtt_vpn_netif.c, README.md).
 */
#include <stdlib.h>
#include <string.h>

#include "sdkconfig.h"
#include "esp_err.h"
#include "esp_log.h"
#include "esp_netif.h"
#include "esp_timer.h"
#include "freertos/FreeRTOS.h"
#include "freertos/semphr.h"
#include "freertos/task.h"
#include "lwip/ip.h"
#include "lwip/netif.h"
#include "lwip/tcpip.h"
#include "mqtt_client.h"
#if CONFIG_MBEDTLS_CERTIFICATE_BUNDLE
#include "esp_crt_bundle.h"
#endif

#include "mqtt_vpn.h"
#include "mqtt_vpn_priv.h"
#include "mqttvpn/hooks.h"
#include "mqttvpn/netif.h"

/* How often the lwIP side looks at the reconnect backoff and retries a failed wake-up. */
#define MQTT_VPN_TICK_MS 250

static const char *TAG = "mqtt_vpn";

/* ---- the queues: each index update under the lock, the copies outside it (msgq.h) ------- */

bool mqtt_vpn_push(struct mqtt_vpn *vpn, struct mqttvpn_msgq *q, uint8_t kind, const char *topic, size_t topic_len,
                   const uint8_t *data, size_t len)
{
    struct mqttvpn_msg *slot;

    portENTER_CRITICAL(&vpn->lock);
    slot = mqttvpn_msgq_reserve(q);
    portEXIT_CRITICAL(&vpn->lock);
    /* The slot is the producer's until commit: the copy needs no lock. */
    if (slot == NULL || !mqttvpn_msgq_fill(q, slot, kind, topic, topic_len, data, len)) {
        return false;
    }
    portENTER_CRITICAL(&vpn->lock);
    mqttvpn_msgq_commit(q);
    portEXIT_CRITICAL(&vpn->lock);
    return true;
}

static struct mqttvpn_msg *peek_locked(struct mqtt_vpn *vpn, struct mqttvpn_msgq *q)
{
    struct mqttvpn_msg *m;
    portENTER_CRITICAL(&vpn->lock);
    m = mqttvpn_msgq_peek(q);
    portEXIT_CRITICAL(&vpn->lock);
    return m;
}

static void release_locked(struct mqtt_vpn *vpn, struct mqttvpn_msgq *q)
{
    portENTER_CRITICAL(&vpn->lock);
    mqttvpn_msgq_release(q);
    portEXIT_CRITICAL(&vpn->lock);
}

/* ---- the lwIP core context ------------------------------------------------------------- */

struct core_call {
    void (*fn)(void *arg);
    void *arg;
    SemaphoreHandle_t done;
};

static void core_call_run(void *p)
{
    struct core_call *c = p;
    c->fn(c->arg);
    xSemaphoreGive(c->done);
}

esp_err_t mqtt_vpn_run_in_core(void (*fn)(void *arg), void *arg)
{
    StaticSemaphore_t storage;
    struct core_call c = { .fn = fn, .arg = arg, .done = xSemaphoreCreateBinaryStatic(&storage) };

    /* Through the tcpip mbox rather than LOCK_TCPIP_CORE(): works with and without
     * CONFIG_LWIP_TCPIP_CORE_LOCKING, and runs after every wake-up posted before it (stop
     * relies on that order). */
    if (tcpip_callback(core_call_run, &c) != ERR_OK) {
        vSemaphoreDelete(c.done);
        return ESP_ERR_NO_MEM;
    }
    xSemaphoreTake(c.done, portMAX_DELAY);
    vSemaphoreDelete(c.done);
    return ESP_OK;
}

void mqtt_vpn_kick(struct mqtt_vpn *vpn)
{
    bool post;

    portENTER_CRITICAL(&vpn->lock);
    post = !vpn->work_pending && !vpn->stopping;
    vpn->work_pending = vpn->work_pending || post;
    portEXIT_CRITICAL(&vpn->lock);
    /* The preallocated message: posting it allocates nothing. At most one is in the mbox. */
    if (post && tcpip_callbackmsg_trycallback(vpn->work_msg) != ERR_OK) {
        portENTER_CRITICAL(&vpn->lock);
        vpn->work_pending = false;
        vpn->post_failed++; /* the tick tries again */
        portEXIT_CRITICAL(&vpn->lock);
    }
}

static void copy_scheme(char *out, size_t cap, const char *uri);

/* tcpip thread: what esp-mqtt reported since the last look, applied to the session. */
static void apply_link_events(struct mqtt_vpn *vpn, uint32_t connects, uint32_t disconnects, bool up,
                              const ip_addr_t *broker)
{
    uint32_t now = mqttvpn_hook_now_ms();
    uint32_t new_connects = connects - vpn->seen_connects;
    uint32_t new_disconnects = disconnects - vpn->seen_disconnects;
    struct mqttvpn_session *s = &vpn->session;

    vpn->seen_connects = connects;
    vpn->seen_disconnects = disconnects;
    if (new_connects > 0) {
        if (s->state == MQTTVPN_SESSION_UP) {
            (void)mqttvpn_session_lost(s, now); /* a session ended between two looks */
        }
        /* Before the link (and maybe the default route) comes up: the broker stays outside. */
        (void)mqttvpn_iface_set_broker(&vpn->iface, broker);
        if (mqttvpn_session_connected(s) != ERR_OK) {
            ESP_LOGW(TAG, "some reading topics could not be subscribed");
        }
        ESP_LOGI(TAG, "connected to broker %s (%u of %u) as %s", vpn->broker_uris[vpn->broker_in_use],
                 vpn->broker_in_use + 1u, vpn->broker_count, vpn->client_id);
    }
    if (up) {
        return;
    }
    /* State changes first, logs after: ESP_LOGx drops its arguments when the level is compiled out. */
    unsigned was = mqttvpn_session_broker(s);
    if (s->state == MQTTVPN_SESSION_UP && vpn->leaving) {
        vpn->leaving = false;
        mqttvpn_session_go_home(s, now); /* the first broker's attempt is due at once */
        ESP_LOGI(TAG, "left broker %s: trying the first, %s, again", vpn->broker_uris[was], vpn->broker_uris[0]);
    } else if (s->state == MQTTVPN_SESSION_UP) {
        uint32_t delay = mqttvpn_session_lost(s, now);
        ESP_LOGW(TAG, "broker %s: connection lost, trying %s in %u ms", vpn->broker_uris[was],
                 vpn->broker_uris[mqttvpn_session_broker(s)], (unsigned)delay);
    } else if (s->state == MQTTVPN_SESSION_CONNECTING && new_disconnects > 0) {
        uint32_t delay = mqttvpn_session_failed(s, now);
        ESP_LOGW(TAG, "broker %s unreachable, trying %s in %u ms", vpn->broker_uris[was],
                 vpn->broker_uris[mqttvpn_session_broker(s)], (unsigned)delay);
    }
}

/*
 * tcpip thread, at an attempt: points esp-mqtt at broker i (failover) unless it holds that URI
 * already. esp_mqtt_client_set_uri takes the client's API lock, which the esp-mqtt task releases
 * while it waits in MQTT_STATE_WAIT_RECONNECT (mqtt_client.c of esp-mqtt 1.1.0 and of ESP-IDF
 * 5.5's pin), where every attempt after the first starts; its next MQTT_STATE_INIT makes the
 * transport for the new URI's scheme. A URI without a port would keep the previous one, so
 * mqtt_vpn_start requires ports when there are several.
 */
static esp_err_t use_broker(struct mqtt_vpn *vpn, unsigned i)
{
    esp_err_t err;

    if (i == vpn->broker_in_use) {
        return ESP_OK;
    }
    err = esp_mqtt_client_set_uri(vpn->client, vpn->broker_uris[i]);
    if (err != ESP_OK) {
        ESP_LOGW(TAG, "esp-mqtt refused the broker %s (%s)", vpn->broker_uris[i], esp_err_to_name(err));
        return err;
    }
    /* Read by the esp-mqtt task at the connect this asks for, after it. */
    portENTER_CRITICAL(&vpn->lock);
    copy_scheme(vpn->scheme, sizeof(vpn->scheme), vpn->broker_uris[i]);
    portEXIT_CRITICAL(&vpn->lock);
    vpn->broker_in_use = i;
    return ESP_OK;
}

/* tcpip thread: one bounded round of work per wake-up. */
static void work(void *arg)
{
    struct mqtt_vpn *vpn = arg;
    uint32_t connects, disconnects;
    struct mqttvpn_msg *m;
    ip_addr_t broker;
    bool up, broker_known;
    int n;

    portENTER_CRITICAL(&vpn->lock);
    vpn->work_pending = false;
    connects = vpn->connect_events;
    disconnects = vpn->disconnect_events;
    up = vpn->mqtt_up;
    broker = vpn->broker;
    broker_known = vpn->broker_known;
    portEXIT_CRITICAL(&vpn->lock);
    if (vpn->stopping || !vpn->iface.attached) {
        return;
    }
    apply_link_events(vpn, connects, disconnects, up, broker_known ? &broker : NULL);
    mqttvpn_iface_keep_default_route(&vpn->iface);
    if (!vpn->leaving && mqttvpn_session_return_due(&vpn->session, mqttvpn_hook_now_ms())) {
        /* A device holds one connection: it leaves this broker to ask the first (brokers.h). The
         * disconnect is the esp-mqtt task's (asynchronous): in MQTT_STATE_CONNECTED it sends
         * DISCONNECT and aborts the connection, which leaves it in MQTT_STATE_WAIT_RECONNECT and
         * dispatches MQTT_EVENT_DISCONNECTED (esp-mqtt 1.1.0 and ESP-IDF 5.5's pin alike); that
         * event sends the session home (apply_link_events), whose attempt is then due at once. */
        esp_err_t err = esp_mqtt_client_disconnect(vpn->client);
        vpn->leaving = err == ESP_OK;
        if (vpn->leaving) {
            ESP_LOGI(TAG, "leaving broker %s to try the first, %s, again", vpn->broker_uris[vpn->broker_in_use],
                     vpn->broker_uris[0]);
        } else {
            ESP_LOGW(TAG, "staying on broker %s: could not leave it to try the first (%s); next try in the return"
                     " interval", vpn->broker_uris[vpn->broker_in_use], esp_err_to_name(err));
        }
    }
    if (mqttvpn_session_poll(&vpn->session, mqttvpn_hook_now_ms()) &&
        (use_broker(vpn, mqttvpn_session_broker(&vpn->session)) != ESP_OK ||
         esp_mqtt_client_reconnect(vpn->client) != ESP_OK)) {
        /* Only sets an event bit of the esp-mqtt task; refused when it is not waiting to reconnect. */
        (void)mqttvpn_session_failed(&vpn->session, mqttvpn_hook_now_ms());
    }
    for (n = 0; n < CONFIG_MQTT_VPN_RX_BUDGET && (m = peek_locked(vpn, &vpn->rxq)) != NULL; n++) {
        /* The slot stays the queue's: the driver opens the frame into a new pbuf, which
         * ip_input (given to netif_add) owns from then on. */
        (void)mqttvpn_netif_input(vpn->iface.netif, m->topic, m->topic_len, m->data, m->len);
        release_locked(vpn, &vpn->rxq);
    }
    if (peek_locked(vpn, &vpn->rxq) != NULL) {
        mqtt_vpn_kick(vpn); /* the rest after the other messages in lwIP's mbox */
    }
    /* After the frames: the probation counts what came in. The tick and the task's progress
     * (room in the OTA buffer, an update checked) wake this too. */
    mqtt_vpn_ota_poll(vpn);
}

static void on_tick(void *arg)
{
    mqtt_vpn_kick(arg);
}

/* ---- esp-mqtt task ----------------------------------------------------------------------- */

static void on_data(struct mqtt_vpn *vpn, const esp_mqtt_event_t *ev)
{
    struct mqttvpn_reasm_message msg;

    if (mqttvpn_reasm_feed(&vpn->reasm, ev->topic, ev->topic_len, (const uint8_t *)ev->data, ev->data_len,
                           ev->current_data_offset, ev->total_data_len, &msg) != MQTTVPN_REASM_DONE) {
        return; /* more fragments to come, or dropped and counted by the reassembler */
    }
    /* msg points into esp-mqtt's buffer (or the reassembler's), valid during this event only:
     * copied. A full queue drops and counts (rxq.dropped_full): never wait for lwIP here. */
    if (mqtt_vpn_push(vpn, &vpn->rxq, MQTTVPN_MSG_DATA, msg.topic, msg.topic_len, msg.data, msg.len)) {
        mqtt_vpn_kick(vpn);
    }
}

/* Records a connect (up, with the broker's address if known) or disconnect for the lwIP
 * side, which applies it in work(). */
static void note_link_event(struct mqtt_vpn *vpn, bool up, const ip_addr_t *broker)
{
    portENTER_CRITICAL(&vpn->lock);
    if (up) {
        vpn->connect_events++;
        vpn->broker_known = broker != NULL;
        if (broker != NULL) {
            vpn->broker = *broker;
        }
    } else {
        vpn->disconnect_events++;
    }
    vpn->mqtt_up = up;
    portEXIT_CRITICAL(&vpn->lock);
    mqtt_vpn_kick(vpn);
}

/* Runs in the esp-mqtt task, which holds esp-mqtt's API lock: never wait for lwIP here. */
static void on_mqtt_event(void *arg, esp_event_base_t base, int32_t id, void *data)
{
    struct mqtt_vpn *vpn = arg;
    esp_mqtt_event_handle_t ev = data;
    ip_addr_t broker;

    (void)base;
    switch ((esp_mqtt_event_id_t)id) {
    case MQTT_EVENT_CONNECTED:
        note_link_event(vpn, true, mqtt_vpn_broker_socket_tune(vpn, &broker) ? &broker : NULL);
        break;
    case MQTT_EVENT_DISCONNECTED: /* also after every failed attempt (esp_mqtt_abort_connection) */
        mqttvpn_reasm_reset(&vpn->reasm);
        note_link_event(vpn, false, NULL);
        break;
    case MQTT_EVENT_DATA:
        on_data(vpn, ev);
        break;
    case MQTT_EVENT_ERROR:
        if (ev->error_handle != NULL && ev->error_handle->error_type == MQTT_ERROR_TYPE_CONNECTION_REFUSED) {
            ESP_LOGW(TAG, "broker refused the connection (code %d)", (int)ev->error_handle->connect_return_code);
        }
        break;
    default:
        break;
    }
}

/* ---- the component's task: frames and subscriptions into esp-mqtt ------------------------- */

static void task_main(void *arg)
{
    struct mqtt_vpn *vpn = arg;
    struct mqttvpn_msg *m;
    TickType_t wait = portMAX_DELAY;

    while (!vpn->stopping) {
        (void)ulTaskNotifyTake(pdTRUE, wait);
        /* Subscriptions first: a new session's topics before the frames that follow it. */
        while (!vpn->stopping && (m = peek_locked(vpn, &vpn->ctlq)) != NULL) {
            int id = m->kind == MQTTVPN_MSG_SUBSCRIBE ? esp_mqtt_client_subscribe(vpn->client, m->topic, 0)
                                                      : esp_mqtt_client_unsubscribe(vpn->client, m->topic);
            if (id < 0) {
                ESP_LOGW(TAG, "%s %s failed: esp-mqtt is not connected or its outbox is full (the next "
                         "connection subscribes every reading topic again)",
                         m->kind == MQTTVPN_MSG_SUBSCRIBE ? "subscribe" : "unsubscribe", m->topic);
            }
            release_locked(vpn, &vpn->ctlq);
        }
        /* Blocking here is fine: this task waits for the socket, no one waits for this task. */
        while (!vpn->stopping && (m = peek_locked(vpn, &vpn->txq)) != NULL) {
            if (esp_mqtt_client_publish(vpn->client, m->topic, (const char *)m->data, (int)m->len, 0, 0) < 0) {
                portENTER_CRITICAL(&vpn->lock);
                vpn->publish_failed++;
                portEXIT_CRITICAL(&vpn->lock);
            }
            release_locked(vpn, &vpn->txq);
        }
        /* Then one piece of OTA flash work (erase, a write, the image check), so that frames
         * keep going out during an update. */
        wait = vpn->stopping ? 0 : mqtt_vpn_ota_task_step(vpn);
    }
    mqtt_vpn_ota_task_exit(vpn);
    xSemaphoreGive(vpn->task_done);
    vTaskDelete(NULL);
}

/* ---- start / stop ------------------------------------------------------------------------ */

struct setup_args {
    struct mqtt_vpn *vpn;
    const mqtt_vpn_config_t *config;
    err_t err;
};

/* Before esp_netif_start adds the netif: the driver must be attached when its init runs. */
static void attach_in_core(void *p)
{
    struct setup_args *a = p;
    struct mqtt_vpn *vpn = a->vpn;
    const mqtt_vpn_config_t *c = a->config;
    const char *prefix = c->topic_prefix != NULL ? c->topic_prefix : CONFIG_MQTT_VPN_TOPIC_PREFIX;

    /* ip_input: frames reach lwIP from this thread (work), where they are processed at once;
     * esp_netif's netif->input (tcpip_input) would queue each one for this same thread. */
    a->err = mqttvpn_iface_attach(&vpn->iface, mqtt_vpn_netif_lwip(vpn), prefix, c->key, vpn, ip_input);
    if (a->err == ERR_OK) {
        (void)mqttvpn_netif_set_route_for_others(mqtt_vpn_netif_lwip(vpn), c->route_for_others);
    }
}

/* After esp_netif_start: up (the link follows the MQTT session), first connection attempt. */
static void start_in_core(void *p)
{
    struct setup_args *a = p;
    struct mqtt_vpn *vpn = a->vpn;
    struct netif *n;

    NETIF_FOREACH(n) {
        if (n == vpn->iface.netif) {
            break;
        }
    }
    if (n == NULL) {
        a->err = ERR_IF; /* esp_netif_start did not add it (logged by esp_netif) */
        return;
    }
    netif_set_up(vpn->iface.netif);
    mqttvpn_iface_set_default_route(&vpn->iface, a->config->default_route);
    mqttvpn_session_init(&vpn->session, &vpn->iface, CONFIG_MQTT_VPN_RECONNECT_MIN_MS,
                         CONFIG_MQTT_VPN_RECONNECT_MAX_MS, mqttvpn_hook_now_ms());
    mqttvpn_session_set_brokers(&vpn->session, vpn->broker_count,
                                a->config->broker_order_random ? MQTTVPN_BROKERS_RANDOM : MQTTVPN_BROKERS_IN_ORDER,
                                a->config->broker_return_s * 1000u);
    /* The first attempt's broker: esp_mqtt_client_start connects to it. */
    vpn->broker_in_use = mqttvpn_session_broker(&vpn->session);
    copy_scheme(vpn->scheme, sizeof(vpn->scheme), vpn->broker_uris[vpn->broker_in_use]);
    (void)mqttvpn_session_poll(&vpn->session, mqttvpn_hook_now_ms()); /* attempt 1: esp_mqtt_client_start */
    a->err = ERR_OK;
}

/* The driver lets go first (unsubscribes, gives the default route back, sends nothing more);
 * esp_netif_destroy removes the netif afterwards. */
static void detach_in_core(void *p)
{
    struct mqtt_vpn *vpn = p;
    mqttvpn_iface_detach(&vpn->iface);
}

/* "mqtt", "mqtts", "ws", "wss": the name esp-mqtt gives the transport of a URI's scheme. */
static void copy_scheme(char *out, size_t cap, const char *uri)
{
    const char *end = strstr(uri, "://");
    size_t n = end != NULL ? (size_t)(end - uri) : 0;

    if (n >= cap) {
        n = 0;
    }
    memcpy(out, uri, n);
    out[n] = '\0';
}

static bool is_tls(const char *uri)
{
    return strncmp(uri, "mqtts://", 8) == 0 || strncmp(uri, "wss://", 6) == 0;
}

static bool any_tls(const struct mqtt_vpn *vpn)
{
    for (unsigned i = 0; i < vpn->broker_count; i++) {
        if (is_tls(vpn->broker_uris[i])) {
            return true;
        }
    }
    return false;
}

/* Whether a URI names its port: scheme://host:port or scheme://[v6]:port (user info aside). */
static bool has_port(const char *uri)
{
    const char *host = strstr(uri, "://");
    const char *end, *at, *colon;

    host = host != NULL ? host + 3 : uri;
    end = host + strcspn(host, "/?#");
    at = memchr(host, '@', (size_t)(end - host));
    host = at != NULL ? at + 1 : host;
    if (*host == '[') {
        const char *close = memchr(host, ']', (size_t)(end - host));
        return close != NULL && close + 1 < end && close[1] == ':';
    }
    colon = memchr(host, ':', (size_t)(end - host));
    return colon != NULL && colon + 1 < end;
}

/* broker_uri and more_broker_uris into vpn->broker_uris (copies); ESP_ERR_INVALID_ARG, logged,
 * for an empty URI or, with several, a URI without its port. */
static esp_err_t copy_brokers(struct mqtt_vpn *vpn, const mqtt_vpn_config_t *config)
{
    const char *uris[CONFIG_MQTT_VPN_MAX_BROKERS];
    unsigned n = 0, i;

    uris[n++] = config->broker_uri;
    for (i = 0; i + 1u < CONFIG_MQTT_VPN_MAX_BROKERS && config->more_broker_uris[i] != NULL; i++) {
        uris[n++] = config->more_broker_uris[i];
    }
    for (i = 0; i < n; i++) {
        if (uris[i][0] == '\0' || (n > 1 && !has_port(uris[i]))) {
            ESP_LOGE(TAG, "broker %u (%s): %s", i + 1u, uris[i], uris[i][0] == '\0' ? "empty"
                     : "give each of several brokers with its port, like mqtt://host:1883");
            return ESP_ERR_INVALID_ARG;
        }
        vpn->broker_uris[i] = strdup(uris[i]);
        if (vpn->broker_uris[i] == NULL) {
            return ESP_ERR_NO_MEM;
        }
        vpn->broker_count = i + 1u;
    }
    return ESP_OK;
}

static const char *or_null(const char *s)
{
    return s != NULL && s[0] != '\0' ? s : NULL;
}

static void destroy(struct mqtt_vpn *vpn)
{
    /* While the task still runs: an update under way is abandoned through it. */
    mqtt_vpn_ota_stop(vpn);
    portENTER_CRITICAL(&vpn->lock);
    vpn->stopping = true; /* no wake-up is posted from now on */
    portEXIT_CRITICAL(&vpn->lock);
    if (vpn->tick != NULL) {
        esp_timer_stop(vpn->tick);
        esp_timer_delete(vpn->tick);
    }
    if (vpn->task != NULL) {
        xTaskNotifyGive(vpn->task);
        xSemaphoreTake(vpn->task_done, portMAX_DELAY); /* after its last call into esp-mqtt */
    }
    if (vpn->client != NULL) {
        esp_mqtt_client_destroy(vpn->client); /* stops the esp-mqtt task: no more events */
    }
    if (vpn->iface.attached) {
        (void)mqtt_vpn_run_in_core(detach_in_core, vpn);
    }
    mqtt_vpn_netif_destroy(vpn);
    /* run_in_core ran after any wake-up posted before it, so work_msg is out of the mbox. */
    if (vpn->work_msg != NULL) {
        tcpip_callbackmsg_delete(vpn->work_msg);
    }
    if (vpn->task_done != NULL) {
        vSemaphoreDelete(vpn->task_done);
    }
    mqtt_vpn_ota_free(vpn);
    for (unsigned i = 0; i < vpn->broker_count; i++) {
        free(vpn->broker_uris[i]);
    }
    free(vpn);
}

esp_err_t mqtt_vpn_start(const mqtt_vpn_config_t *config, mqtt_vpn_handle_t *out)
{
    struct mqtt_vpn *vpn;
    struct setup_args setup;
    esp_mqtt_client_config_t mc;
    esp_err_t err;

    if (config == NULL || out == NULL || config->broker_uri == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    *out = NULL;
    /* Starts lwIP's tcpip thread unless done already (the original called us before Wi-Fi). */
    err = esp_netif_init();
    if (err != ESP_OK) {
        return err;
    }
    vpn = calloc(1, sizeof(*vpn));
    if (vpn == NULL) {
        return ESP_ERR_NO_MEM;
    }
    portMUX_INITIALIZE(&vpn->lock);
    (void)mqttvpn_msgq_init(&vpn->rxq, vpn->rx_storage, sizeof(vpn->rx_storage), MQTTVPN_MAX_FRAME);
    (void)mqttvpn_msgq_init(&vpn->txq, vpn->tx_storage, sizeof(vpn->tx_storage), MQTTVPN_MAX_FRAME);
    (void)mqttvpn_msgq_init(&vpn->ctlq, vpn->ctl_storage, sizeof(vpn->ctl_storage), 0);
    mqttvpn_reasm_init(&vpn->reasm, vpn->reasm_buf, sizeof(vpn->reasm_buf));
    if (config->client_id != NULL) {
        strlcpy(vpn->client_id, config->client_id, sizeof(vpn->client_id));
    } else {
        (void)mqttvpn_client_id(vpn->client_id, sizeof(vpn->client_id));
    }

    err = ESP_ERR_NO_MEM;
    vpn->work_msg = tcpip_callbackmsg_new(work, vpn);
    vpn->task_done = xSemaphoreCreateBinary();
    if (vpn->work_msg == NULL || vpn->task_done == NULL ||
        xTaskCreate(task_main, "mqtt_vpn", CONFIG_MQTT_VPN_TASK_STACK_SIZE, vpn, CONFIG_MQTT_VPN_TASK_PRIORITY,
                    &vpn->task) != pdPASS) {
        goto err_ret;
    }

    err = copy_brokers(vpn, config);
    if (err != ESP_OK) {
        goto err_ret;
    }
    err = mqtt_vpn_netif_create(vpn, config);
    if (err != ESP_OK) {
        goto err_ret;
    }
    setup.vpn = vpn;
    setup.config = config;
    setup.err = ERR_IF;
    err = mqtt_vpn_run_in_core(attach_in_core, &setup);
    if (err == ESP_OK && setup.err != ERR_OK) {
        /* mqttvpn_iface_attach logged what was wrong and what to change. */
        err = setup.err == ERR_ARG ? ESP_ERR_INVALID_ARG : ESP_ERR_NO_MEM;
    }
    if (err != ESP_OK) {
        goto err_ret;
    }
    mqtt_vpn_netif_start(vpn);
    err = mqtt_vpn_run_in_core(start_in_core, &setup);
    if (err == ESP_OK && setup.err != ERR_OK) {
        err = ESP_ERR_INVALID_STATE;
    }
    if (err != ESP_OK) {
        goto err_ret;
    }
    /* The OTA receiver (ota_password), and the probation of a new image. */
    err = mqtt_vpn_ota_start(vpn, config);
    if (err != ESP_OK) {
        goto err_ret;
    }

    /* esp-mqtt v5 configuration (mqtt_client.h, esp_mqtt_client_config_t). */
    memset(&mc, 0, sizeof(mc));
    mc.broker.address.uri = vpn->broker_uris[vpn->broker_in_use];
    if (config->broker_cert_pem != NULL) {
        mc.broker.verification.certificate = config->broker_cert_pem;
    } else if (any_tls(vpn)) {
#if CONFIG_MBEDTLS_CERTIFICATE_BUNDLE
        mc.broker.verification.crt_bundle_attach = esp_crt_bundle_attach;
#else
        ESP_LOGW(TAG, "TLS broker without broker_cert_pem and without the certificate bundle: not verified");
#endif
    }
    mc.credentials.username = or_null(config->username);
    mc.credentials.authentication.password = or_null(config->password);
    mc.credentials.client_id = vpn->client_id;
    mc.session.keepalive = CONFIG_MQTT_VPN_KEEPALIVE;
    /* The session state machine decides when to retry (capped exponential backoff with jitter);
     * esp-mqtt then waits in its reconnect state until esp_mqtt_client_reconnect(). */
    mc.network.disable_auto_reconnect = true;
    /* One buffer holds the largest frame with its topic: most messages arrive whole. */
    mc.buffer.size = MQTTVPN_MQTT_PACKET_MAX;
    mc.buffer.out_size = MQTTVPN_MQTT_PACKET_MAX;

    err = ESP_FAIL;
    vpn->client = esp_mqtt_client_init(&mc);
    if (vpn->client == NULL) {
        ESP_LOGE(TAG, "esp_mqtt_client_init failed for %s", config->broker_uri);
        goto err_ret;
    }
    err = esp_mqtt_client_register_event(vpn->client, MQTT_EVENT_ANY, on_mqtt_event, vpn);
    if (err != ESP_OK) {
        goto err_ret;
    }
    {
        const esp_timer_create_args_t targs = { .callback = on_tick, .arg = vpn, .name = "mqtt_vpn" };
        err = esp_timer_create(&targs, &vpn->tick);
    }
    if (err != ESP_OK || (err = esp_timer_start_periodic(vpn->tick, MQTT_VPN_TICK_MS * 1000u)) != ESP_OK) {
        goto err_ret;
    }
    err = esp_mqtt_client_start(vpn->client);
    if (err != ESP_OK) {
        goto err_ret;
    }
    *out = vpn;
    return ESP_OK;

err_ret:
    destroy(vpn);
    return err;
}

struct target_args {
    struct mqtt_vpn *vpn;
    ip4_addr_t target;
    err_t err;
};

static void add_target_in_core(void *p)
{
    struct target_args *a = p;
    a->err = mqttvpn_iface_add_target(&a->vpn->iface, &a->target);
}

esp_err_t mqtt_vpn_add_reading_topic(mqtt_vpn_handle_t vpn, ip4_addr_t target)
{
    struct target_args a = { vpn, target, ERR_IF };
    esp_err_t err;

    if (vpn == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    err = mqtt_vpn_run_in_core(add_target_in_core, &a);
    if (err != ESP_OK) {
        return err;
    }
    /* ERR_IF: kept, but not subscribed now; the next session subscribes it. */
    return a.err == ERR_OK || a.err == ERR_IF ? ESP_OK : a.err == ERR_MEM ? ESP_ERR_NO_MEM : ESP_FAIL;
}

esp_netif_t *mqtt_vpn_get_netif(mqtt_vpn_handle_t vpn)
{
    return vpn != NULL ? vpn->netif : NULL;
}

bool mqtt_vpn_is_connected(mqtt_vpn_handle_t vpn)
{
    bool up;
    if (vpn == NULL) {
        return false;
    }
    portENTER_CRITICAL(&vpn->lock);
    up = vpn->mqtt_up;
    portEXIT_CRITICAL(&vpn->lock);
    return up;
}

struct stats_args {
    struct mqtt_vpn *vpn;
    mqtt_vpn_stats_t *out;
};

static void stats_in_core(void *p)
{
    struct stats_args *a = p;
    struct mqttvpn_netif_counters c;

    mqttvpn_netif_get_counters(a->vpn->iface.netif, &c);
    a->out->tx_packets = c.tx_packets;
    a->out->tx_bytes = c.tx_bytes;
    a->out->rx_packets = c.rx_packets;
    a->out->rx_bytes = c.rx_bytes;
    a->out->drop_too_short = c.rx_dropped[MQTTVPN_DROP_TOO_SHORT];
    a->out->drop_auth_failed = c.rx_dropped[MQTTVPN_DROP_AUTH_FAILED];
    a->out->drop_not_ip = c.rx_dropped[MQTTVPN_DROP_NOT_IP];
    a->out->drop_too_long = c.rx_dropped[MQTTVPN_DROP_TOO_LONG] + c.tx_too_long;
    a->out->drop_unexpected_topic = c.rx_unexpected_topic;
    a->out->drop_not_for_us = c.rx_not_for_us;
    a->out->reconnects = mqttvpn_session_reconnects(&a->vpn->session);
}

esp_err_t mqtt_vpn_get_stats(mqtt_vpn_handle_t vpn, mqtt_vpn_stats_t *out)
{
    struct stats_args a = { vpn, out };
    esp_err_t err;

    if (vpn == NULL || out == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    memset(out, 0, sizeof(*out));
    err = mqtt_vpn_run_in_core(stats_in_core, &a);
    portENTER_CRITICAL(&vpn->lock);
    out->drop_queue_full = vpn->rxq.dropped_full + vpn->txq.dropped_full + vpn->ctlq.dropped_full;
    out->drop_too_long += vpn->rxq.dropped_too_long + vpn->reasm.counters.too_long;
    portEXIT_CRITICAL(&vpn->lock);
    return err;
}

esp_err_t mqtt_vpn_stop(mqtt_vpn_handle_t vpn)
{
    if (vpn == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    destroy(vpn);
    return ESP_OK;
}
