/*
 * The Arduino library's own sources (MqttVpn.cpp, MqttVpnLink.cpp, mqttif.cpp, the hooks) with
 * the real core and glue on real lwIP (Debian's, lwip_init() and everything on this thread, as
 * with the ESP8266's NO_SYS), over host models of the SDK pieces it uses (sdk/: Arduino,
 * IPAddress, ESP8266WiFi, PubSubClient 2.8, Schedule). run_scheduled_functions() stands for
 * the core's return from loop(). Frames are sealed and opened with libsodium, so what the
 * broker sees is checked against the wire format, not against our own codec.
 * Built once per tunable setting (Makefile: VARIANTS); the tests read the setting they run with.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "lwip/init.h"
#include "lwip/ip4_addr.h"
#include "lwip/ip_addr.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include <algorithm>
#include <string.h>

#include "lwip/udp.h"

#include "Arduino.h"
#include "ESP8266WiFi.h"
#include "MqttVpn.h"
#include "MqttVpnLink.h"
#include "Schedule.h"
#include "model_net.h"
#include "mqttif.h"
#include "../../../common/test/support/test_check.h"
#include "../../../common/test/support/test_frames.h"
#include "../../../common/test/support/test_ip.h"
#include "../../../common/test/support/test_station.h"

static const char KEY[] = "a long random secret";
static const char HOST_IP[] = "10.0.1.1";   /* the Linux end of the tunnel */
static const char DEVICE_IP[] = "10.0.1.2";
static const uint16_t ECHO_PAYLOAD = 40;

/* ---- fixture: a station interface, the sketch's VPN ----------------------------------- */

static MqttVpn vpn;                  /* as a sketch declares it */
static struct mqtt_if_data *old_api; /* a link made with the original API */

static void before_each(void)
{
    model_net_reset();
    model_millis = 1000;
    Serial.output.clear();
    sta_add(); /* the ESP's Wi-Fi station, connected */
}

/* What the ESP8266 core does after every return of the sketch's loop() (core_esp8266_main.cpp,
 * __loop_end). */
static void loop_end(void)
{
    model_millis += 1;
    run_scheduled_functions();
    run_scheduled_recurrent_functions();
}

static void after_each(void)
{
    vpn.end();
    mqtt_if_del(old_api);
    old_api = nullptr;
    netif_remove(&sta);
    netif_set_default(nullptr);
    /* As on the device, the core's queues are only ever emptied by running them: what the
     * service left pending finds no link and leaves nothing behind. */
    loop_end();
}

static bool begin_vpn(bool default_route, bool route_for_others = false)
{
    MqttVpnConfig cfg;
    cfg.broker = "broker.test";
    cfg.key = KEY;
    cfg.address = IPAddress(10, 0, 1, 2);
    cfg.gateway = IPAddress(10, 0, 1, 1);
    cfg.defaultRoute = default_route;
    cfg.routeForOthers = route_for_others;
    return vpn.begin(cfg);
}

/* The first attempt is due at once: one loop end connects. */
static bool begin_and_connect(void)
{
    if (!begin_vpn(false)) {
        return false;
    }
    loop_end();
    return vpn.connected();
}

/* The backoff's longest delay has passed: the next loop end tries again. */
static void wait_for_retry(void)
{
    model_millis += MQTTVPN_RECONNECT_MAX_MS + 1;
}

/* The Linux host pings the device: a sealed echo request on the device's topic. */
static void broker_sends_echo_request(uint16_t seq, const char *password)
{
    uint8_t pkt[128], frame[256];
    size_t len = icmp4_echo(pkt, 8, HOST_IP, DEVICE_IP, seq, ECHO_PAYLOAD);
    size_t flen = seal_frame(frame, password, pkt, len);
    model_broker_send(std::string("mqttip/") + DEVICE_IP, frame, flen);
}

/* Whether m is the device's sealed echo reply to request seq, on the host's topic. */
static bool is_echo_reply(const model_packet &m, uint16_t seq, const char *password)
{
    uint8_t pkt[2048];
    long n = open_frame(pkt, password, m.payload.data(), m.payload.size());
    return m.topic == std::string("mqttip/") + HOST_IP && n > 0 &&
           is_icmp4_echo_reply(pkt, (size_t)n, DEVICE_IP, HOST_IP, seq, ECHO_PAYLOAD);
}

/* A UDP datagram from the device to dst, routed by lwIP like any packet the sketch sends. */
static err_t send_udp_to(const char *dst)
{
    ip_addr_t a;
    struct udp_pcb *pcb = udp_new();
    struct pbuf *p = pbuf_alloc(PBUF_TRANSPORT, 8, PBUF_RAM);
    err_t err = ERR_MEM;

    if (pcb != nullptr && p != nullptr && ipaddr_aton(dst, &a)) {
        memset(p->payload, 0x5a, 8);
        err = udp_sendto(pcb, p, &a, 9);
    }
    if (p != nullptr) {
        pbuf_free(p);
    }
    if (pcb != nullptr) {
        udp_remove(pcb);
    }
    return err;
}

static bool netif_in_lwip(const struct netif *n)
{
    struct netif *i;
    NETIF_FOREACH(i) {
        if (i == n) {
            return true;
        }
    }
    return false;
}

/* ---- received bursts ------------------------------------------------------------------ */

static void every_frame_of_a_burst_waiting_at_the_broker_is_answered(void)
{
    const int budget = MQTTVPN_ARDUINO_BUDGET;
    uint16_t seq = 0;

    CHECK(begin_and_connect());
    for (int n = 1; n <= 3 * budget; n++) {
        size_t before = broker.published.size();
        uint16_t first = (uint16_t)(seq + 1);
        for (int i = 0; i < n; i++) {
            broker_sends_echo_request(++seq, KEY);
        }
        /* A loop end reads up to the budget: the burst takes ceil(n / budget) of them. */
        for (int rounds = (n + budget - 1) / budget; rounds > 0; rounds--) {
            loop_end();
        }
        CHECK(broker.to_client.empty());
        CHECK(broker.published.size() - before == (size_t)n);
        for (int i = 0; i < n; i++) {
            CHECK(is_echo_reply(broker.published[before + (size_t)i], (uint16_t)(first + i), KEY));
        }
    }
    CHECK(vpn.rxPackets() == seq && vpn.txPackets() == seq);
    CHECK(vpn.drops() == 0);
}

static void one_loop_end_reads_no_more_than_the_budget(void)
{
    const int budget = MQTTVPN_ARDUINO_BUDGET;

    CHECK(begin_and_connect());
    for (int i = 1; i <= 3 * budget; i++) {
        broker_sends_echo_request((uint16_t)i, KEY);
    }
    loop_end();
    CHECK(broker.published.size() == (size_t)budget);
    CHECK(broker.to_client.size() == (size_t)(2 * budget));
    loop_end();
    CHECK(broker.published.size() == (size_t)(2 * budget));
    CHECK(vpn.drops() == 0);
}

/* An echo request from the host to dst, a node that is not this device, on the device's topic. */
static void broker_sends_echo_request_for(const char *dst)
{
    uint8_t pkt[128], frame[256];
    size_t len = icmp4_echo(pkt, 8, HOST_IP, dst, 1, ECHO_PAYLOAD);
    size_t flen = seal_frame(frame, KEY, pkt, len);
    model_broker_send(std::string("mqttip/") + DEVICE_IP, frame, flen);
}

static void a_packet_for_another_address_is_dropped_unless_the_sketch_routes_for_others(void)
{
    CHECK(begin_and_connect());
    broker_sends_echo_request_for("10.0.1.7");
    loop_end();
    CHECK(vpn.rxPackets() == 0);
    CHECK(vpn.drops() == 1); /* drop_not_for_us */
    vpn.end();

    CHECK(begin_vpn(false, true)); /* cfg.routeForOthers: a gateway */
    loop_end();
    CHECK(vpn.connected());
    broker_sends_echo_request_for("10.0.1.7");
    loop_end();
    CHECK(vpn.rxPackets() == 1); /* handed to lwIP, which would forward it with IP_FORWARD */
    CHECK(vpn.drops() == 0);
}

/* ---- the scheduled service ------------------------------------------------------------ */

static unsigned sketch_runs;

static void sketch_function(void)
{
    sketch_runs++;
}

static void service_runs_once_per_loop_end_and_leaves_the_sketch_its_slots(void)
{
    sketch_runs = 0;
    CHECK(begin_and_connect());
    for (uint16_t i = 1; i <= 100; i++) {
        CHECK(model_scheduled_count() == 1); /* the service's one copy, nothing else */
        vpn.loop();                          /* a sketch's loop() that also calls it */
        mqtt_if_loop();
        CHECK(model_scheduled_count() == 1);
        /* The sketch has every other slot of the core's queue. */
        unsigned wanted = i == 50 ? SCHEDULED_FN_MAX_COUNT - 1 : 1;
        for (unsigned k = 0; k < wanted; k++) {
            CHECK(schedule_function(sketch_function));
        }
        CHECK(i != 50 || !schedule_function(sketch_function)); /* 32 taken: the model's limit holds */
        broker_sends_echo_request(i, KEY);
        unsigned before = sketch_runs;
        size_t published = broker.published.size();
        loop_end();
        /* The sketch's functions and one service, which answered the ping that came. */
        CHECK(model_scheduled_last_run() == wanted + 1);
        CHECK(sketch_runs == before + wanted);
        CHECK(broker.published.size() == published + 1 && is_echo_reply(broker.published.back(), i, KEY));
    }
    CHECK(model_scheduled_count() == 1);
    CHECK(model_recurrent_count() == 0); /* the retry after the full queue (i == 50) is gone */
}

static void service_is_scheduled_as_soon_as_the_full_core_queue_frees_a_slot(void)
{
    sketch_runs = 0;
    for (unsigned k = 0; k < SCHEDULED_FN_MAX_COUNT; k++) {
        CHECK(schedule_function(sketch_function));
    }
    CHECK(begin_vpn(false));          /* its schedule_function fails: the queue is full */
    CHECK(model_scheduled_count() == SCHEDULED_FN_MAX_COUNT);
    loop_end();                       /* the sketch's functions give their slots back... */
    CHECK(sketch_runs == SCHEDULED_FN_MAX_COUNT && !vpn.connected());
    CHECK(model_scheduled_count() == 1 && model_recurrent_count() == 0); /* ...and the service takes one */
    loop_end();                       /* without the sketch calling vpn.loop() */
    CHECK(vpn.connected() && model_scheduled_count() == 1);
}

/* ---- the broker connection ------------------------------------------------------------ */

static void no_delay_is_on_for_the_broker_connection_after_every_connect(void)
{
    char host[] = "broker.test", key[] = "a long random secret";

    old_api = mqtt_if_init(host, IPAddress(10, 0, 1, 2), key);
    CHECK(old_api != nullptr);
    loop_end();
    CHECK(old_api->mqtt.connected() && broker.connects == 1);
    CHECK(old_api->tcp.getNoDelay());
    CHECK(!WiFiClient::getDefaultNoDelay()); /* the sketch's other connections keep Nagle */
    model_broker_drop();
    loop_end();                              /* the loss is noticed */
    CHECK(!old_api->mqtt.connected() && !old_api->tcp.getNoDelay());
    wait_for_retry();
    loop_end();                              /* a new TCP connection: no-delay back at the default... */
    CHECK(old_api->mqtt.connected() && broker.connects == 2);
    CHECK(old_api->tcp.getNoDelay());        /* ...and on again for the VPN's */
    CHECK(!WiFiClient::getDefaultNoDelay());
}

static void vpn_is_the_default_route_only_while_mqtt_is_up_and_the_broker_stays_outside(void)
{
    ip4_addr_t broker_ip;

    IP4_ADDR(&broker_ip, 203, 0, 113, 5);
    model_wifi_status = WL_DISCONNECTED;
    CHECK(begin_vpn(true));
    loop_end();
    /* Not connected: the station keeps the default, or the broker could never be reached. */
    CHECK(!vpn.connected() && netif_default == &sta);
    model_wifi_status = WL_CONNECTED;
    wait_for_retry();
    loop_end();
    CHECK(vpn.connected() && broker.connects == 1);
    CHECK(netif_default == vpn.netif());
    /* Off-link traffic goes into the tunnel (to the VPN's gateway), the broker's does not. */
    CHECK(send_udp_to("198.51.100.7") == ERR_OK);
    loop_end();
    CHECK(broker.published.size() == 1 && broker.published[0].topic == "mqttip/10.0.1.1");
    CHECK(send_udp_to("203.0.113.5") == ERR_OK);
    loop_end();
    CHECK(broker.published.size() == 1);
    CHECK(sta_sent == 1 && ip4_addr_cmp(&sta_last_dest, &broker_ip));
    /* The Wi-Fi code takes the default when it reconnects: the service takes it back. */
    netif_set_default(&sta);
    loop_end();
    CHECK(netif_default == vpn.netif());
    /* Broker lost: the station is the default again, and the reconnection goes through it. */
    model_broker_drop();
    loop_end();
    CHECK(!vpn.connected() && netif_default == &sta);
    wait_for_retry();
    loop_end();
    CHECK(vpn.connected() && broker.connects == 2 && netif_default == vpn.netif());
    /* end() gives it back too. */
    vpn.end();
    CHECK(netif_default == &sta);
}

/* ---- the original API and the end ----------------------------------------------------- */

static void new_password_rekeys_in_place_without_a_new_session(void)
{
    char host[] = "broker.test", key[] = "a long random secret", other[] = "another secret";

    old_api = mqtt_if_init(host, IPAddress(10, 0, 1, 2), key);
    CHECK(old_api != nullptr);
    loop_end();
    CHECK(old_api->mqtt.connected());
    size_t subscriptions = broker.subscribed.size();
    struct netif *nif = &old_api->netif;
    mqtt_if_set_password(old_api, other);
    broker_sends_echo_request(1, other);
    loop_end();
    CHECK(broker.published.size() == 1 && is_echo_reply(broker.published[0], 1, other));
    /* Same interface, same session: nothing rebuilt, nothing subscribed again. */
    CHECK(&old_api->netif == nif && netif_in_lwip(nif));
    CHECK(broker.connects == 1 && broker.subscribed.size() == subscriptions);
    broker_sends_echo_request(2, KEY); /* the old key no longer opens */
    loop_end();
    CHECK(broker.published.size() == 1);
}

/* ---- broker failover: the model has one broker, known by whichever name broker.host says ---- */

static bool begin_with_brokers(const char *first, const char *second, uint32_t return_s)
{
    MqttVpnConfig cfg;
    if (!cfg.addBroker(first) || !cfg.addBroker(second)) {
        return false;
    }
    cfg.brokerReturnSeconds = return_s;
    cfg.key = KEY;
    cfg.address = IPAddress(10, 0, 1, 2);
    return vpn.begin(cfg);
}

static void a_broker_that_fails_moves_the_device_to_the_next_at_once(void)
{
    CHECK(begin_with_brokers("down.test", "broker.test", 0));
    loop_end(); /* down.test does not resolve */
    CHECK(!vpn.connected() && broker.connects == 0);
    loop_end(); /* no backoff within a round: the next broker at once */
    CHECK(vpn.connected() && broker.connects == 1);
    CHECK(std::find(broker.subscribed.begin(), broker.subscribed.end(), "mqttip/10.0.1.2") != broker.subscribed.end());
}

static void a_lost_broker_moves_the_device_to_the_next_where_it_subscribes_again(void)
{
    CHECK(begin_with_brokers("broker.test", "other.test", 0));
    loop_end();
    CHECK(vpn.connected() && broker.connects == 1);
    size_t subscriptions = broker.subscribed.size();
    model_broker_drop();
    broker.host = "other.test"; /* the first is gone; the model now answers as the second */
    loop_end();
    CHECK(!vpn.connected());
    model_millis += MQTTVPN_RECONNECT_MIN_MS + 1;
    loop_end();
    CHECK(vpn.connected() && broker.connects == 2);
    CHECK(broker.subscribed.size() == 2 * subscriptions); /* clean session: every topic again */
}

static void with_a_return_time_the_device_tries_the_first_again_and_stays_back_when_it_answers(void)
{
    CHECK(begin_with_brokers("home.test", "broker.test", 30));
    loop_end();
    loop_end();
    CHECK(vpn.connected() && broker.connects == 1); /* on the second */
    loop_end(); /* the next service after the connect starts the 30 s */
    model_millis += 29998;
    loop_end();
    CHECK(vpn.connected());
    model_millis += 1;
    loop_end(); /* due: leaves the second */
    CHECK(!vpn.connected() && !broker.connection);
    loop_end(); /* home.test still does not answer */
    loop_end(); /* straight back to the second */
    CHECK(vpn.connected() && broker.connects == 2);
    loop_end();
    model_millis += 30000;
    loop_end();
    CHECK(!vpn.connected());
    broker.host = "home.test"; /* the first answers now */
    loop_end();
    CHECK(vpn.connected() && broker.connects == 3);
    model_millis += 120000;
    loop_end();
    CHECK(vpn.connected() && broker.connects == 3); /* home: nothing to return to */
}

static void add_broker_fills_the_list_up_to_its_maximum(void)
{
    MqttVpnConfig cfg;
    CHECK(!cfg.addBroker(nullptr) && !cfg.addBroker(""));
    for (unsigned i = 0; i < MQTTVPN_MAX_BROKERS; i++) {
        CHECK(cfg.addBroker("b.test", (uint16_t)(1883 + i)));
    }
    CHECK(!cfg.addBroker("one.too.many"));
    CHECK(strcmp(cfg.broker, "b.test") == 0 && cfg.port == 1883 && cfg.moreBrokers[0].port == 1884);
}

static void end_disconnects_removes_the_interface_and_stops_the_service(void)
{
    CHECK(begin_and_connect());
    CHECK(broker.subscribed.size() == 2); /* own address and broadcast */
    struct netif *nif = vpn.netif();
    CHECK(nif != nullptr && netif_in_lwip(nif) && netif_is_link_up(nif));
    vpn.end();
    CHECK(!netif_in_lwip(nif) && vpn.netif() == nullptr);
    CHECK(!broker.connection);
    loop_end(); /* the pending copy finds no link and leaves none behind */
    CHECK(model_scheduled_count() == 0);
}

static const struct test_case tests[] = {
    TEST(every_frame_of_a_burst_waiting_at_the_broker_is_answered),
    TEST(one_loop_end_reads_no_more_than_the_budget),
    TEST(a_packet_for_another_address_is_dropped_unless_the_sketch_routes_for_others),
    TEST(service_runs_once_per_loop_end_and_leaves_the_sketch_its_slots),
    TEST(service_is_scheduled_as_soon_as_the_full_core_queue_frees_a_slot),
    TEST(no_delay_is_on_for_the_broker_connection_after_every_connect),
    TEST(vpn_is_the_default_route_only_while_mqtt_is_up_and_the_broker_stays_outside),
    TEST(new_password_rekeys_in_place_without_a_new_session),
    TEST(end_disconnects_removes_the_interface_and_stops_the_service),
    TEST(a_broker_that_fails_moves_the_device_to_the_next_at_once),
    TEST(a_lost_broker_moves_the_device_to_the_next_where_it_subscribes_again),
    TEST(with_a_return_time_the_device_tries_the_first_again_and_stays_back_when_it_answers),
    TEST(add_broker_fills_the_list_up_to_its_maximum),
};

int main(void)
{
    char suite[64];

    if (sodium_init() < 0) {
        fprintf(stderr, "libsodium failed to initialise\n");
        return 1;
    }
    lwip_init();
    snprintf(suite, sizeof(suite), "esp8266-arduino (budget %d, tx depth %d)", MQTTVPN_ARDUINO_BUDGET,
             MQTTVPN_ARDUINO_TX_DEPTH);
    return run_tests(suite, tests, sizeof(tests) / sizeof(tests[0]), before_each, after_each);
}
