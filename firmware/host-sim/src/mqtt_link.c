#include "mqtt_link.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lwip/tcpip.h"

#include "log.h"
#include "mqttvpn/glue/brokers.h"
#include "mqttvpn/netif.h"

#if !LWIP_TCPIP_CORE_LOCKING
#error "host-sim hands messages to lwIP under LOCK_TCPIP_CORE(): needs LWIP_TCPIP_CORE_LOCKING"
#endif

/* Delay between rounds (a round: one attempt at every broker), from 1 s doubling to 32 s. */
#define SIM_RECONNECT_MIN_MS 1000u
#define SIM_RECONNECT_MAX_MS 32000u
/* An attempt that has no CONNACK after this long has failed (as the Java host's 10 s). */
#define SIM_CONNECT_TIMEOUT_MS 10000u
/* How long one mosquitto_loop waits for the socket: the granularity of the timers above.
 * Frames do not wait for it: a publish wakes the loop (libmosquitto's socket pair). */
#define SIM_LOOP_WAIT_MS 250

struct mqtt_link {
    struct mosquitto *mosq;
    struct netif *nif;
    const struct sim_options *opts;
    pthread_t thread;
    int thread_started;
    pthread_mutex_t lock;   /* stopping, and the waits between rounds */
    pthread_cond_t wake;
    int stopping;
    /* The link's thread only (libmosquitto calls the callbacks on it). */
    struct mqttvpn_brokers brokers;
    int session_up;         /* CONNACK accepted on the current attempt */
    int refused;            /* CONNACK refused on the current attempt */
    const char *refusal;
    volatile unsigned current;  /* broker index, read by the status page */
    /* Written under the lwIP core lock, read in the core context. */
    int connected;
    unsigned connects;
};

static uint32_t now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint32_t)((uint64_t)t.tv_sec * 1000u + (uint64_t)t.tv_nsec / 1000000u);
}

static int stopping(struct mqtt_link *link)
{
    int s;

    pthread_mutex_lock(&link->lock);
    s = link->stopping;
    pthread_mutex_unlock(&link->lock);
    return s;
}

/* Waits ms, or less when the link is stopped. */
static void pause_ms(struct mqtt_link *link, uint32_t ms)
{
    struct timespec until;

    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += (time_t)(ms / 1000u);
    until.tv_nsec += (long)(ms % 1000u) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&link->lock);
    while (!link->stopping && pthread_cond_timedwait(&link->wake, &link->lock, &until) == 0) {
    }
    pthread_mutex_unlock(&link->lock);
}

static const struct sim_broker *broker(const struct mqtt_link *link, unsigned index)
{
    return &link->opts->brokers[index];
}

static void set_netif_connected(struct mqtt_link *link, int up)
{
    LOCK_TCPIP_CORE();
    if (up) {
        link->connected = 1;
        link->connects++;
        if (mqttvpn_netif_set_connected(link->nif, 1) != ERR_OK) {
            sim_log(MQTTVPN_LOG_WARN, "some reading topics could not be subscribed");
        }
    } else if (link->connected) {
        link->connected = 0;
        mqttvpn_netif_set_connected(link->nif, 0);
    }
    UNLOCK_TCPIP_CORE();
}

static void on_connect(struct mosquitto *mosq, void *obj, int rc)
{
    struct mqtt_link *link = obj;
    (void)mosq;

    if (rc != 0) {
        link->refused = 1;
        link->refusal = mosquitto_connack_string(rc);
        return;
    }
    link->session_up = 1;
    /* Clean session: the driver subscribes every reading topic on this broker. */
    set_netif_connected(link, 1);
}

static void on_disconnect(struct mosquitto *mosq, void *obj, int rc)
{
    struct mqtt_link *link = obj;
    (void)mosq;
    (void)rc; /* the link's thread sees the end of the session in mosquitto_loop's result */

    set_netif_connected(link, 0);
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

/* How a connection attempt, then the session, ended. */
enum attempt_end { ATTEMPT_STOPPED, ATTEMPT_UP, ATTEMPT_FAILED, ATTEMPT_LOST, ATTEMPT_GOING_HOME };

static const char *loop_error(int rc)
{
    return rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc);
}

/* Connects to the current broker: UP once the broker accepted the session, FAILED (why set)
 * when it did not within SIM_CONNECT_TIMEOUT_MS. */
static enum attempt_end connect_current(struct mqtt_link *link, const char **why)
{
    const struct sim_broker *b = broker(link, link->current);
    uint32_t started = now_ms();
    int rc;

    link->session_up = 0;
    link->refused = 0;
    rc = mosquitto_connect_async(link->mosq, b->host, b->port, link->opts->keepalive);
    if (rc != MOSQ_ERR_SUCCESS) {
        *why = loop_error(rc);
        return ATTEMPT_FAILED;
    }
    while (!link->session_up) {
        rc = mosquitto_loop(link->mosq, SIM_LOOP_WAIT_MS, 1);
        if (stopping(link)) {
            return ATTEMPT_STOPPED;
        }
        if (link->refused) {
            *why = link->refusal;
            return ATTEMPT_FAILED;
        }
        if (rc != MOSQ_ERR_SUCCESS && !link->session_up) {
            *why = loop_error(rc);
            return ATTEMPT_FAILED;
        }
        if (!link->session_up && now_ms() - started >= SIM_CONNECT_TIMEOUT_MS) {
            *why = "no answer in time";
            return ATTEMPT_FAILED;
        }
    }
    return ATTEMPT_UP;
}

/* Keeps the session until it ends: LOST (why set), GOING_HOME when the return is due, or STOPPED. */
static enum attempt_end hold(struct mqtt_link *link, const char **why)
{
    int rc;

    for (;;) {
        rc = mosquitto_loop(link->mosq, SIM_LOOP_WAIT_MS, 1);
        if (stopping(link)) {
            return ATTEMPT_STOPPED;
        }
        if (rc != MOSQ_ERR_SUCCESS) {
            *why = loop_error(rc);
            return ATTEMPT_LOST;
        }
        if (mqttvpn_brokers_return_due(&link->brokers, now_ms())) {
            return ATTEMPT_GOING_HOME;
        }
    }
}

/* Closes what an attempt left open, so that the next one starts clean. */
static void leave(struct mqtt_link *link)
{
    if (mosquitto_disconnect(link->mosq) == MOSQ_ERR_SUCCESS) {
        /* Writes the DISCONNECT; the socket closes and the loop reports it. */
        (void)mosquitto_loop(link->mosq, SIM_LOOP_WAIT_MS, 1);
    }
    set_netif_connected(link, 0);
}

static void *link_thread(void *arg)
{
    struct mqtt_link *link = arg;
    const struct sim_options *o = link->opts;
    uint32_t delay = SIM_RECONNECT_MIN_MS;
    int ever_up = 0, last_up = -1;
    /* Which brokers' failures were logged since the last session: one line each, not one per round. */
    uint8_t logged[MQTTVPN_MAX_BROKERS] = {0};
    const char *why = NULL;

    while (!stopping(link)) {
        unsigned i = mqttvpn_brokers_current(&link->brokers);
        const struct sim_broker *b = broker(link, i);
        enum attempt_end end;

        link->current = i;
        end = connect_current(link, &why);
        if (end == ATTEMPT_STOPPED) {
            break;
        }
        if (end == ATTEMPT_UP) {
            /* One line per change, naming the broker. */
            if (!ever_up) {
                sim_log(MQTTVPN_LOG_INFO, "connected to broker %s:%d as %s", b->host, b->port, o->client_id);
            } else if (last_up == (int)i) {
                sim_log(MQTTVPN_LOG_INFO, "broker %s:%d is back: reconnected as %s", b->host, b->port,
                        o->client_id);
            } else {
                sim_log(MQTTVPN_LOG_INFO, "now on broker %s:%d (%u of %u), was %s:%d: connected as %s",
                        b->host, b->port, i + 1u, (unsigned)o->n_brokers, broker(link, (unsigned)last_up)->host,
                        broker(link, (unsigned)last_up)->port, o->client_id);
            }
            ever_up = 1;
            last_up = (int)i;
            memset(logged, 0, sizeof(logged));
            delay = SIM_RECONNECT_MIN_MS;
            mqttvpn_brokers_connected(&link->brokers);
            end = hold(link, &why);
            if (end == ATTEMPT_STOPPED) {
                break;
            }
        }
        leave(link);
        if (end == ATTEMPT_GOING_HOME) {
            sim_log(MQTTVPN_LOG_INFO, "leaving broker %s:%d to try the first, %s:%d, again", b->host, b->port,
                    broker(link, 0)->host, broker(link, 0)->port);
            mqttvpn_brokers_go_home(&link->brokers);
            continue;
        }
        if (end == ATTEMPT_LOST) {
            mqttvpn_brokers_lost(&link->brokers);
            sim_log(MQTTVPN_LOG_WARN, "connection to broker %s:%d lost (%s); %s", b->host, b->port, why,
                    o->n_brokers > 1 ? "trying the next broker" : "reconnecting");
            /* The shortest delay, as the other platforms' glue waits after a lost session
             * (mqttvpn_session_lost): a session the broker drops at once (a client id taken
             * twice, an ACL) must not turn into a reconnect loop. */
            pause_ms(link, SIM_RECONNECT_MIN_MS);
            continue;
        }
        if (mqttvpn_brokers_failed(&link->brokers)) {
            if (!logged[i]) {
                sim_log(MQTTVPN_LOG_WARN, "broker %s:%d %s (%s); %s (backoff %u..%u ms)", b->host, b->port,
                        link->refused ? "refused the connection" : "unreachable", why, o->n_brokers > 1 ? "every broker failed: retrying in rounds" : "retrying",
                        SIM_RECONNECT_MIN_MS, SIM_RECONNECT_MAX_MS);
            }
            logged[i] = 1;
            pause_ms(link, delay);
            delay = delay > SIM_RECONNECT_MAX_MS / 2u ? SIM_RECONNECT_MAX_MS : delay * 2u;
        } else {
            if (!logged[i]) {
                const struct sim_broker *next = broker(link, mqttvpn_brokers_current(&link->brokers));
                sim_log(MQTTVPN_LOG_WARN, "broker %s:%d %s (%s); trying %s:%d", b->host, b->port,
                        link->refused ? "refused the connection" : "unreachable", why, next->host, next->port);
            }
            logged[i] = 1;
        }
    }
    return NULL;
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
    pthread_mutex_init(&link->lock, NULL);
    pthread_cond_init(&link->wake, NULL);
    mqttvpn_brokers_init(&link->brokers, (unsigned)o->n_brokers, (enum mqttvpn_broker_order)o->broker_order,
                         o->broker_return_s * 1000u);
    link->current = mqttvpn_brokers_current(&link->brokers);
    link->mosq = mosquitto_new(o->client_id, true, link);
    if (link->mosq == NULL) {
        sim_log(MQTTVPN_LOG_ERROR, "cannot create the MQTT client: %s", strerror(errno));
        mqtt_link_destroy(link);
        return NULL;
    }
    if (o->user != NULL &&
        (rc = mosquitto_username_pw_set(link->mosq, o->user, o->password)) != MOSQ_ERR_SUCCESS) {
        sim_log(MQTTVPN_LOG_ERROR, "--user: %s", mosquitto_strerror(rc));
        mqtt_link_destroy(link);
        return NULL;
    }
    /* Publishes come from lwIP's thread, the loop runs on ours: libmosquitto must lock. */
    mosquitto_threaded_set(link->mosq, true);
    /* Each packet is a message: Nagle would hold small ones for the broker's delayed ACK. */
    mosquitto_int_option(link->mosq, MOSQ_OPT_TCP_NODELAY, 1);
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

int mqtt_link_start(struct mqtt_link *link)
{
    int rc = pthread_create(&link->thread, NULL, link_thread, link);

    if (rc != 0) {
        sim_log(MQTTVPN_LOG_ERROR, "cannot start the MQTT thread: %s", strerror(rc));
        return -1;
    }
    link->thread_started = 1;
    return 0;
}

void mqtt_link_stop(struct mqtt_link *link)
{
    pthread_mutex_lock(&link->lock);
    link->stopping = 1;
    pthread_cond_broadcast(&link->wake);
    pthread_mutex_unlock(&link->lock);
    /* The thread ends within one loop wait; then the session is left here, cleanly. */
    if (link->thread_started) {
        pthread_join(link->thread, NULL);
        link->thread_started = 0;
    }
    if (mosquitto_disconnect(link->mosq) == MOSQ_ERR_SUCCESS) {
        (void)mosquitto_loop(link->mosq, SIM_LOOP_WAIT_MS, 1);
    }
    if (link->nif == NULL) {
        return;
    }
    set_netif_connected(link, 0);
}

void mqtt_link_destroy(struct mqtt_link *link)
{
    if (link != NULL) {
        if (link->mosq != NULL) {
            mosquitto_destroy(link->mosq);
        }
        pthread_cond_destroy(&link->wake);
        pthread_mutex_destroy(&link->lock);
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

unsigned mqtt_link_broker(const struct mqtt_link *link)
{
    return link->current;
}
