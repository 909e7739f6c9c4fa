/*
 * MqttVpn: IP over MQTT for the ESP8266 Arduino core, wire-compatible with MQTT_VPN.
 *
 *   #include <MqttVpn.h>
 *   MqttVpn vpn;
 *   MqttVpnConfig cfg;                    // defaults: port 1883, prefix "mqttip", /24
 *   cfg.broker = "broker.local";
 *   cfg.address = IPAddress(10, 0, 1, 2);
 *   cfg.key = "a long random password";   // nullptr or "" = no encryption
 *   cfg.otaPassword = "another secret";   // updates through the VPN (optional)
 *   vpn.begin(cfg);                       // after WiFi is connected
 *   void loop() { vpn.loop(); }
 *
 * The original C API (mqttif.h) is offered beside this class, unchanged.
 */
#ifndef MQTTVPN_ARDUINO_H
#define MQTTVPN_ARDUINO_H

#include <Arduino.h>
#include <IPAddress.h>

#include "MqttVpnCoreCheck.h"
#include "mqttvpn/glue/brokers.h"

extern "C" {
struct netif;
}

/* One more broker to fail over to (MqttVpnConfig::addBroker). */
struct MqttVpnBroker {
    const char *host = nullptr;
    uint16_t port = 1883;
};

struct MqttVpnConfig {
    const char *broker = nullptr;          /* host name or address of the MQTT broker (the first,
                                              the home broker, when there are several) */
    uint16_t port = 1883;
    /* Failover (README.md): more brokers after broker/port, at most MQTTVPN_MAX_BROKERS in all,
       filled by addBroker(). A failed attempt or a lost connection moves on to the next at
       once, and the reconnect backoff applies only when every broker of a round failed. */
    MqttVpnBroker moreBrokers[MQTTVPN_MAX_BROKERS - 1];
    bool brokerOrderRandom = false;        /* false: in list order; true: a new random order each round */
    uint32_t brokerReturnSeconds = 0;      /* 0: stay; else, while on another broker than the first,
                                              leave it this often to try the first again */
    /* Appends a broker: the first call sets broker/port, later ones moreBrokers. False when the
       list is full (MQTTVPN_MAX_BROKERS) or host is empty. */
    bool addBroker(const char *host, uint16_t brokerPort = 1883);
    const char *user = nullptr;            /* broker user, or nullptr */
    const char *brokerPassword = nullptr;  /* broker password, or nullptr */
    const char *clientId = nullptr;        /* nullptr: MQTT_VPN_<random>, unique per boot */
    const char *topicPrefix = "mqttip";    /* shared by every node of the network */
    const char *key = nullptr;             /* the VPN's pre-shared key (a password) */
    IPAddress address;                     /* this device's VPN address */
    IPAddress netmask = IPAddress(255, 255, 255, 0);
    IPAddress gateway = IPAddress(0, 0, 0, 0); /* a VPN node that routes further, or 0.0.0.0 */
    bool defaultRoute = false;             /* the VPN is the default route while MQTT is up (a NAT
                                              gateway does not); the broker stays reached via Wi-Fi */
    bool routeForOthers = false;           /* hand lwIP packets for any address: for a device other
                                              nodes name as their gateway; false: only those for this
                                              device, its NAT targets, broadcast, multicast (the rest
                                              is counted in drops()) */
    /* Firmware updates through the VPN (toolkit ota, espota.py), on when either password is set
       (README.md), never together with ArduinoOTA */
    const char *otaPassword = nullptr;     /* nullptr or "": no updates */
    const char *otaPasswordMd5 = nullptr;  /* or the password's MD5 (32 hex digits, ArduinoOTA's
                                              setPasswordHash): the firmware does not hold it */
    uint16_t otaPort = 8266;               /* UDP port of the invitations */
    const char *firmwareVersion = nullptr; /* answered to toolkit ota's version query (no spaces, at
                                              most 48 characters), nullptr: "sketch-" and 12 hex
                                              digits of the running sketch's MD5 */
};

inline bool MqttVpnConfig::addBroker(const char *host, uint16_t brokerPort)
{
    if (host == nullptr || host[0] == '\0') {
        return false;
    }
    if (broker == nullptr) {
        broker = host;
        port = brokerPort;
        return true;
    }
    for (MqttVpnBroker &b : moreBrokers) {
        if (b.host == nullptr) {
            b.host = host;
            b.port = brokerPort;
            return true;
        }
    }
    return false;
}

class MqttVpn {
public:
    MqttVpn();
    ~MqttVpn();

    /* Creates the interface and starts connecting; returns false on bad config or no memory. */
    bool begin(const MqttVpnConfig &config);
    /* Also receive for target (a host behind this device, NAT); false when the topic cap is reached. */
    bool addReadingTopic(IPAddress target);
    /* Call from loop(): keeps MQTT alive, reconnects, feeds received packets to lwIP. */
    void loop();
    /* Disconnects and removes the interface. */
    void end();

    bool connected() const;
    /* The VPN's lwIP interface (e.g. netif()->num for NAPT); nullptr before begin(). */
    struct netif *netif();
    /* Counters for a status page: packets/bytes each way, drops, reconnects. */
    uint32_t txPackets() const;
    uint32_t rxPackets() const;
    uint32_t drops() const;
    uint32_t reconnects() const;

private:
    struct State;
    State *state_;
    MqttVpn(const MqttVpn &) = delete;
    MqttVpn &operator=(const MqttVpn &) = delete;
};

#endif /* MQTTVPN_ARDUINO_H */
