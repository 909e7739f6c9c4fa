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

extern "C" {
struct netif;
}

struct MqttVpnConfig {
    const char *broker = nullptr;          /* host name or address of the MQTT broker */
    uint16_t port = 1883;
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
