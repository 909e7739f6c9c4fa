/*
 * The tests' side of the SDK models: the Wi-Fi state, the broker at the other end of the
 * WiFiClient model, and what PubSubClient's model wrote to it. One broker, one connection at
 * a time (the library opens one per link, and the tests run one link).
 */
#ifndef MQTTVPN_MODEL_NET_H
#define MQTTVPN_MODEL_NET_H

#include <stddef.h>
#include <stdint.h>

#include <deque>
#include <string>
#include <vector>

#include "ESP8266WiFi.h"
#include "IPAddress.h"

/* An MQTT packet from the broker to the client: a PUBLISH (topic, payload) or a PINGRESP. */
struct model_packet {
    bool ping_response;
    std::string topic;
    std::vector<uint8_t> payload;
};

struct model_broker {
    std::string host = "broker.test";      /* the name hostByName resolves */
    IPAddress address = IPAddress(203, 0, 113, 5);
    uint16_t port = 1883;
    bool accepting = true;                 /* answers CONNECT with CONNACK 0 */
    bool connection = false;               /* a client's TCP connection is open */
    unsigned connects = 0;                 /* TCP connections accepted */
    std::deque<model_packet> to_client;    /* sent, not yet read by the client */
    std::vector<model_packet> published;   /* PUBLISHes the client sent */
    std::vector<std::string> subscribed;   /* SUBSCRIBE topics, in order */
    std::vector<std::string> unsubscribed;
};

extern model_broker broker;
extern wl_status_t model_wifi_status;

/* Back to a fresh broker (no connection, nothing queued or recorded) and Wi-Fi connected. */
void model_net_reset();

/* The broker sends a PUBLISH to the connected client. */
void model_broker_send(const std::string &topic, const uint8_t *payload, size_t len);

/* The broker closes the connection (a restart, a lost route): the client sees it closed. */
void model_broker_drop();

/* Bytes of one packet on the wire, for WiFiClient::available(). */
size_t model_packet_bytes(const model_packet &p);

#endif
