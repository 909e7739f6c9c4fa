#include "mqtt_link.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "lwip/tcpip.h"

#include "log.h"
#include "mqttvpn/netif.h"

#if !LWIP_TCPIP_CORE_LOCKING
#error "host-sim hands messages to lwIP under LOCK_TCPIP_CORE(): needs LWIP_TCPIP_CORE_LOCKING"
#endif

/* Reconnect delays: libmosquitto's backoff, from 1 s growing to this cap. */
#define SIM_RECONNECT_MIN_S 1u
#define SIM_RECONNECT_MAX_S 32u

enum link_state { LINK_STARTING, LINK_UP, LINK_LOST, LINK_UNREACHABLE, LINK_REFUSED, LINK_STOPPING };

struct mqtt_link {
    struct mosquitto *mosq;
    struct netif *nif;
    const struct sim_options *opts;
    pthread_mutex_t state_lock;
    enum link_state state;  /* for one log line per change; under state_lock */
    /* Written under the lwIP core lock, read in the core context. */
    int connected;
    unsigned connects;
};

static void link_set_state(struct mqtt_link *link, enum link_state state, const char *why)
{
    const struct sim_options *o = link->opts;

    pthread_mutex_lock(&link->state_lock);
    if (link->state == state || link->state == LINK_STOPPING) {
        pthread_mutex_unlock(&link->state_lock);
        return;
    }
    link->state = state;
    pthread_mutex_unlock(&link->state_lock);
    switch (state) {
    case LINK_UP:
        sim_log(MQTTVPN_LOG_INFO, "connected to broker %s:%d as %s", o->broker_host, o->broker_port,
                o->client_id);
        break;
    case LINK_LOST:
        sim_log(MQTTVPN_LOG_WARN, "connection to broker %s:%d lost (%s); reconnecting", o->broker_host,
                o->broker_port, why);
        break;
    case LINK_UNREACHABLE:
        sim_log(MQTTVPN_LOG_WARN, "broker %s:%d unreachable (%s); retrying every %u..%u s",
                o->broker_host, o->broker_port, why, SIM_RECONNECT_MIN_S, SIM_RECONNECT_MAX_S);
        break;
    case LINK_REFUSED:
        sim_log(MQTTVPN_LOG_WARN, "broker %s:%d refused the connection (%s); retrying", o->broker_host,
                o->broker_port, why);
        break;
    default:
        break;
    }
}

static void on_connect(struct mosquitto *mosq, void *obj, int rc)
{
    struct mqtt_link *link = obj;
    (void)mosq;

    if (rc != 0) {
        link_set_state(link, LINK_REFUSED, mosquitto_connack_string(rc));
        return;
    }
    LOCK_TCPIP_CORE();
    link->connected = 1;
    link->connects++;
    if (mqttvpn_netif_set_connected(link->nif, 1) != ERR_OK) {
        sim_log(MQTTVPN_LOG_WARN, "some reading topics could not be subscribed");
    }
    UNLOCK_TCPIP_CORE();
    link_set_state(link, LINK_UP, NULL);
}

static void on_disconnect(struct mosquitto *mosq, void *obj, int rc)
{
    struct mqtt_link *link = obj;
    (void)mosq;

    LOCK_TCPIP_CORE();
    link->connected = 0;
    mqttvpn_netif_set_connected(link->nif, 0);
    UNLOCK_TCPIP_CORE();
    /* rc 0 is our own mosquitto_disconnect(); anything else is a lost connection, which
     * libmosquitto will try to restore. Either way the next connect is a state change. */
    link_set_state(link, LINK_LOST, rc == 0 ? "closed" : mosquitto_strerror(rc));
}

static void on_message(struct mosquitto *mosq, void *obj, const struct mosquitto_message *msg)
{
    struct mqtt_link *link = obj;
    (void)mosq;

    if (msg->payloadlen < 0) {
        return;
    }
    sim_log(MQTTVPN_LOG_DEBUG, "rx %d bytes on %s", msg->payloadlen, msg->topic);
    /* The driver runs in the lwIP core context: take the core lock for one frame. */
    LOCK_TCPIP_CORE();
    (void)mqttvpn_netif_input(link->nif, msg->topic, strlen(msg->topic), msg->payload,
                              (size_t)msg->payloadlen);
    UNLOCK_TCPIP_CORE();
}

struct mqtt_link *mqtt_link_create(const struct sim_options *o)
{
    struct mqtt_link *link = calloc(1, sizeof(*link));
    int rc;

    if (link == NULL) {
        sim_log(MQTTVPN_LOG_ERROR, "out of memory");
        return NULL;
    }
    link->opts = o;
    pthread_mutex_init(&link->state_lock, NULL);
    link->mosq = mosquitto_new(o->client_id, true, link);
    if (link->mosq == NULL) {
        sim_log(MQTTVPN_LOG_ERROR, "cannot create the MQTT client: %s", strerror(errno));
        pthread_mutex_destroy(&link->state_lock);
        free(link);
        return NULL;
    }
    if (o->user != NULL &&
        (rc = mosquitto_username_pw_set(link->mosq, o->user, o->password)) != MOSQ_ERR_SUCCESS) {
        sim_log(MQTTVPN_LOG_ERROR, "--user: %s", mosquitto_strerror(rc));
        mqtt_link_destroy(link);
        return NULL;
    }
    /* Each packet is a message: Nagle would hold small ones for the broker's delayed ACK. */
    mosquitto_int_option(link->mosq, MOSQ_OPT_TCP_NODELAY, 1);
    mosquitto_reconnect_delay_set(link->mosq, SIM_RECONNECT_MIN_S, SIM_RECONNECT_MAX_S, true);
    mosquitto_connect_callback_set(link->mosq, on_connect);
    mosquitto_disconnect_callback_set(link->mosq, on_disconnect);
    mosquitto_message_callback_set(link->mosq, on_message);
    return link;
}

struct mosquitto *mqtt_link_client(struct mqtt_link *link)
{
    return link->mosq;
}

void mqtt_link_attach(struct mqtt_link *link, struct netif *nif)
{
    link->nif = nif;
}

int mqtt_link_connect(struct mqtt_link *link)
{
    const struct sim_options *o = link->opts;
    int rc;

    /*
     * libmosquitto's network thread only takes over (and reconnects forever) once a
     * connection has been started: if this first attempt fails, the thread would wait
     * for one forever, so it is started only after a successful attempt.
     */
    rc = mosquitto_connect_async(link->mosq, o->broker_host, o->broker_port, o->keepalive);
    if (rc != MOSQ_ERR_SUCCESS) {
        link_set_state(link, LINK_UNREACHABLE,
                       rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc));
        return 1;
    }
    rc = mosquitto_loop_start(link->mosq);
    if (rc != MOSQ_ERR_SUCCESS) {
        sim_log(MQTTVPN_LOG_ERROR, "cannot start the MQTT thread: %s", mosquitto_strerror(rc));
        return -1;
    }
    return 0;
}

void mqtt_link_stop(struct mqtt_link *link)
{
    int rc;

    pthread_mutex_lock(&link->state_lock);
    link->state = LINK_STOPPING;
    pthread_mutex_unlock(&link->state_lock);
    rc = mosquitto_disconnect(link->mosq);
    /* Connected: let the thread send DISCONNECT and end; otherwise it may be in a backoff
     * sleep. Without a thread (never connected) this does nothing. */
    mosquitto_loop_stop(link->mosq, rc != MOSQ_ERR_SUCCESS);
    if (link->nif == NULL) {
        return;
    }
    LOCK_TCPIP_CORE();
    link->connected = 0;
    mqttvpn_netif_set_connected(link->nif, 0);
    UNLOCK_TCPIP_CORE();
}

void mqtt_link_destroy(struct mqtt_link *link)
{
    if (link != NULL) {
        mosquitto_destroy(link->mosq);
        pthread_mutex_destroy(&link->state_lock);
        free(link);
    }
}

int mqtt_link_connected(const struct mqtt_link *link)
{
    return link->connected;
}

unsigned mqtt_link_reconnects(const struct mqtt_link *link)
{
    return link->connects > 0 ? link->connects - 1u : 0u;
}
