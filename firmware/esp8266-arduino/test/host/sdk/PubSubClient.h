/*
 * Host model of PubSubClient 2.8 (knolleary/pubsubclient, src/PubSubClient.h): the methods
 * the library calls, same signatures and state codes, and the behaviour the tests depend on,
 * as in PubSubClient.cpp:
 *   - connect() opens the Client unless it is connected already, then CONNECT/CONNACK
 *     (the model broker's `accepting`); returns true at once when connected;
 *   - loop() sends PINGREQ after keepAlive seconds without traffic (a timeout when one is
 *     still unanswered), then reads at most ONE MQTT packet and, for a PUBLISH, calls the
 *     callback with topic and payload inside its own buffer; a packet larger than the
 *     buffer is read and ignored;
 *   - publish() builds the packet in that same buffer (so a callback's pointers are stale
 *     after it) and refuses packets larger than the buffer;
 *   - connected() turns a closed Client into MQTT_CONNECTION_LOST and stops it.
 */
#ifndef PubSubClient_h
#define PubSubClient_h

#include <stdint.h>

#include <functional>

#include "Arduino.h"
#include "Client.h"
#include "IPAddress.h"

#define MQTT_MAX_PACKET_SIZE 256
#define MQTT_KEEPALIVE 15
#define MQTT_MAX_HEADER_SIZE 5

#define MQTT_CONNECTION_TIMEOUT     -4
#define MQTT_CONNECTION_LOST        -3
#define MQTT_CONNECT_FAILED         -2
#define MQTT_DISCONNECTED           -1
#define MQTT_CONNECTED               0
#define MQTT_CONNECT_UNAVAILABLE     3

#define MQTT_CALLBACK_SIGNATURE std::function<void(char*, uint8_t*, unsigned int)> callback

class PubSubClient {
public:
    PubSubClient(Client &client);
    ~PubSubClient();
    PubSubClient(const PubSubClient &) = delete;
    PubSubClient &operator=(const PubSubClient &) = delete;

    PubSubClient &setServer(IPAddress ip, uint16_t port);
    PubSubClient &setServer(const char *domain, uint16_t port);
    PubSubClient &setCallback(MQTT_CALLBACK_SIGNATURE);
    PubSubClient &setKeepAlive(uint16_t keepAlive);
    boolean setBufferSize(uint16_t size);
    uint16_t getBufferSize();

    boolean connect(const char *id);
    boolean connect(const char *id, const char *user, const char *pass);
    void disconnect();
    boolean publish(const char *topic, const uint8_t *payload, unsigned int plength);
    boolean subscribe(const char *topic, uint8_t qos);
    boolean unsubscribe(const char *topic);
    boolean loop();
    boolean connected();
    int state();

    /* Model only: loop() calls so far, and the user and password of the last CONNECT. */
    unsigned model_loops = 0;
    const char *model_user = nullptr;
    const char *model_pass = nullptr;

private:
    Client *_client;
    uint8_t *buffer = nullptr;
    uint16_t bufferSize = 0;
    uint16_t keepAlive = MQTT_KEEPALIVE;
    unsigned long lastOutActivity = 0;
    unsigned long lastInActivity = 0;
    bool pingOutstanding = false;
    MQTT_CALLBACK_SIGNATURE;
    IPAddress ip;
    const char *domain = nullptr;
    uint16_t port = 0;
    int _state = MQTT_DISCONNECTED;
};

#endif
