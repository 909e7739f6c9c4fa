#include "device.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lwip/init.h"
#include "lwip/ip_addr.h"
#include "lwip/sys.h"
#include "lwip/tcpip.h"

#include "discard_server.h"
#include "echo_server.h"
#include "http_server.h"
#include "pinger.h"
#include "log.h"
#include "mqttvpn/codec.h"
#include "mqttvpn/hooks.h"
#include "mqttvpn/netif.h"
#include "version.h"
#include "wipe.h"

static void tcpip_ready(void *arg)
{
    sys_sem_signal((sys_sem_t *)arg);
}

static void to_ip_addr(ip_addr_t *out, int is_v6, const uint8_t *bytes)
{
    if (is_v6) {
        ip_addr_t a;
        memset(&a, 0, sizeof(a));
        IP_SET_TYPE_VAL(a, IPADDR_TYPE_V6);
        memcpy(ip_2_ip6(&a)->addr, bytes, 16);
        ip6_addr_clear_zone(ip_2_ip6(&a));
        *out = a;
    } else {
        ip_addr_t a;
        memset(&a, 0, sizeof(a));
        IP_SET_TYPE_VAL(a, IPADDR_TYPE_V4);
        memcpy(&ip_2_ip4(&a)->addr, bytes, 4);
        *out = a;
    }
}

/* Under the core lock: netif, addresses, topics, services, updates. */
static int device_bring_up(struct sim_device *dev, const struct sim_options *o, struct mqtt_link *link,
                           struct slots *slots, int on_probation)
{
    struct mqttvpn_netif_config cfg;
    ip_addr_t a, m, g;
    struct netif *added;
    size_t i;

    memset(&cfg, 0, sizeof(cfg));
    cfg.topic_prefix = o->topic_prefix;
    cfg.platform = mqtt_link_client(link);
#ifdef SIM_TEST_WRONG_KEY
    /* Test image only (build/ota/mqttvpn-sim-nojoin): a key no peer has, so that every frame
     * fails authentication and this image can never rejoin the VPN: its probation must fail. */
    sim_log(MQTTVPN_LOG_WARN, "TEST IMAGE: using a wrong key on purpose (SIM_TEST_WRONG_KEY)");
    mqttvpn_key_from_password(&cfg.key, "mqttvpn-sim-nojoin: no peer has this key");
#else
    mqttvpn_key_from_password(&cfg.key, o->key);
#endif
    memcpy(cfg.gateway6, o->gateway6, sizeof(cfg.gateway6));
    cfg.prefix6_len = (uint8_t)o->prefix6;
    cfg.route_for_others = (uint8_t)(o->route_for_others != 0);

    to_ip_addr(&a, 0, o->address);
    to_ip_addr(&m, 0, o->netmask);
    to_ip_addr(&g, 0, o->gateway);
    if (mqttvpn_netif_attach(&dev->nif, &cfg) != ERR_OK) {
        mqttvpn_wipe(&cfg.key, sizeof(cfg.key));
        sim_log(MQTTVPN_LOG_ERROR, "cannot attach the mqttvpn driver (out of lwIP memory)");
        return 1;
    }
    mqttvpn_wipe(&cfg.key, sizeof(cfg.key)); /* the driver keeps its own copy */
    added = netif_add(&dev->nif, ip_2_ip4(&a), ip_2_ip4(&m), ip_2_ip4(&g), NULL, mqttvpn_netif_init,
                      netif_input);
    if (added == NULL) {
        mqttvpn_netif_detach(&dev->nif);
        sim_log(MQTTVPN_LOG_ERROR, "cannot add the mqttvpn interface (out of lwIP memory)");
        return 1;
    }
    dev->added = 1;
    netif_set_default(&dev->nif);
    netif_set_up(&dev->nif);

    if (o->has_address6) {
        s8_t idx;
        to_ip_addr(&a, 1, o->address6);
        if (netif_add_ip6_address(&dev->nif, ip_2_ip6(&a), &idx) != ERR_OK) {
            sim_log(MQTTVPN_LOG_ERROR, "--address6: lwIP refused the address");
            return 2;
        }
        /* No duplicate address detection: the link carries no multicast (PROTOCOL.md). */
        netif_ip6_addr_set_state(&dev->nif, idx, IP6_ADDR_PREFERRED);
        if (mqttvpn_netif_add_reading_topic(&dev->nif, &a) != ERR_OK) {
            sim_log(MQTTVPN_LOG_ERROR, "--address6: no room for its reading topic (MQTTVPN_MAX_TOPICS=%u)",
                    (unsigned)MQTTVPN_MAX_TOPICS);
            return 2;
        }
    }
    for (i = 0; i < o->n_targets; i++) {
        err_t err;
        to_ip_addr(&a, o->targets[i].is_v6, o->targets[i].bytes);
        err = mqttvpn_netif_add_reading_topic(&dev->nif, &a);
        if (err != ERR_OK) {
            char text[INET6_ADDRSTRLEN];
            inet_ntop(o->targets[i].is_v6 ? AF_INET6 : AF_INET, o->targets[i].bytes, text, sizeof(text));
            fprintf(stderr, "mqttvpn-sim: --target %s: %s (see --help)\n", text,
                    err == ERR_MEM ? "too many reading topics, the firmware's MQTTVPN_MAX_TOPICS is reached"
                                   : "cannot be a reading topic");
            return 2;
        }
    }

    dev->status.nif = &dev->nif;
    dev->status.opts = o;
    dev->status.link = link;
    dev->status.start_ms = mqttvpn_hook_now_ms();
    dev->status.slots = slots;
    dev->status.ota = &dev->ota;
    if (echo_server_start() != 0) {
        sim_log(MQTTVPN_LOG_ERROR, "cannot start the echo service on port 7");
        return 1;
    }
    if (discard_server_start() != 0) {
        sim_log(MQTTVPN_LOG_ERROR, "cannot start the discard service on port 9");
        return 1;
    }
    if (http_server_start(&dev->status) != 0) {
        sim_log(MQTTVPN_LOG_ERROR, "cannot start the HTTP service on port 80");
        return 1;
    }
    if (o->has_ping) {
        to_ip_addr(&a, o->ping.is_v6, o->ping.bytes);
        if (pinger_start(&a, (uint32_t)o->ping_interval_ms) != 0) {
            sim_log(MQTTVPN_LOG_ERROR, "--ping: cannot open a raw ICMP pcb");
            return 1;
        }
    }
    if (ota_service_start(&dev->ota, o, slots, on_probation, &dev->nif, link) != 0) {
        return 1;
    }
    dev->ota_started = 1;
    return 0;
}

int device_start(struct sim_device *dev, const struct sim_options *o, struct mqtt_link *link,
                 struct slots *slots, int on_probation)
{
    sys_sem_t ready;
    uint32_t seed;
    int rc;

    /* lwIP's LWIP_RAND() is rand(): it picks local ports and such, nothing secret. */
    if (!mqttvpn_hook_random((uint8_t *)&seed, sizeof(seed))) {
        seed = mqttvpn_hook_now_ms();
    }
    srand(seed);

    memset(dev, 0, sizeof(*dev));
    if (sys_sem_new(&ready, 0) != ERR_OK) {
        sim_log(MQTTVPN_LOG_ERROR, "cannot create a semaphore for lwIP");
        return 1;
    }
    tcpip_init(tcpip_ready, &ready);
    sys_sem_wait(&ready);
    sys_sem_free(&ready);
    dev->started = 1;

    LOCK_TCPIP_CORE();
    rc = device_bring_up(dev, o, link, slots, on_probation);
    UNLOCK_TCPIP_CORE();
    return rc;
}

void device_print(struct sim_device *dev, const struct sim_options *o)
{
    char a[INET6_ADDRSTRLEN], m[INET_ADDRSTRLEN], topic[MQTTVPN_TOPIC_MAX];
    size_t i, n;

    inet_ntop(AF_INET, o->address, a, sizeof(a));
    inet_ntop(AF_INET, o->netmask, m, sizeof(m));
    printf("mqttvpn-sim: address %s netmask %s", a, m);
    if (o->gateway[0] | o->gateway[1] | o->gateway[2] | o->gateway[3]) {
        inet_ntop(AF_INET, o->gateway, a, sizeof(a));
        printf(" gateway %s", a);
    }
    if (o->has_address6) {
        inet_ntop(AF_INET6, o->address6, a, sizeof(a));
        printf(" address6 %s/%d", a, o->prefix6);
    }
    printf("\nmqttvpn-sim: version %s", sim_version);
    if (dev->status.slots != NULL) {
        printf(", slot %c of %s", dev->status.slots->state.active, dev->status.slots->dir);
    }
    printf("\nmqttvpn-sim: broker %s:%d", o->brokers[0].host, o->brokers[0].port);
    for (i = 1; i < o->n_brokers; i++) {
        printf(", then %s:%d", o->brokers[i].host, o->brokers[i].port);
    }
    printf("%s client id %s, %s\nmqttvpn-sim: topics", o->n_brokers > 1 && o->broker_order == MQTTVPN_BROKERS_RANDOM
           ? " (in random order)" : "", o->client_id, o->key != NULL ? "encrypted" : "no key (plain frames)");
    LOCK_TCPIP_CORE();
    n = mqttvpn_netif_topic_count(&dev->nif);
    for (i = 0; i < n; i++) {
        if (mqttvpn_netif_topic(&dev->nif, i, topic, sizeof(topic)) > 0) {
            printf(" %s", topic);
        }
    }
    UNLOCK_TCPIP_CORE();
    printf("\nmqttvpn-sim: %s\n", o->route_for_others ? "routes for others: packets for any address go to lwIP"
                                                   : "takes packets for its own addresses only (no --route-for-others)");
    fflush(stdout);
}

void device_stop(struct sim_device *dev)
{
    if (!dev->started) {
        return;
    }
    LOCK_TCPIP_CORE();
    if (dev->ota_started) {
        ota_service_stop(&dev->ota);
        dev->ota_started = 0;
    }
    pinger_stop();
    http_server_stop();
    discard_server_stop();
    echo_server_stop();
    if (dev->added) {
        mqttvpn_netif_remove(&dev->nif);
        dev->added = 0;
    }
    UNLOCK_TCPIP_CORE();
}
