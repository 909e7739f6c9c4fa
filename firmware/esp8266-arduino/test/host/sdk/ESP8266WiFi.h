/*
 * Host model of the ESP8266WiFi library (3.1.2): WiFi.status() and hostByName(), and
 * WiFiClient, a TCP connection to the model broker (model_net.h). What the tests rely on,
 * as in libraries/ESP8266WiFi/src/WiFiClient.cpp:
 *   - connect() succeeds only when lwIP has a route to the broker that does not enter an
 *     mqttvpn interface (the SYN goes where ip4_route sends it);
 *   - connect() sets no-delay to the global default (setDefaultNoDelay, false: Nagle on);
 *   - setNoDelay() applies only to a connected client; getNoDelay() is false without one;
 *   - connected() is true while the broker keeps the connection; available() counts the
 *     bytes of the MQTT packets the broker sent and the client has not read.
 */
#ifndef MQTTVPN_MODEL_ESP8266WIFI_H
#define MQTTVPN_MODEL_ESP8266WIFI_H

#include <stdint.h>

#include "Arduino.h"
#include "Client.h"
#include "IPAddress.h"

typedef enum {
    WL_NO_SHIELD = 255,
    WL_IDLE_STATUS = 0,
    WL_NO_SSID_AVAIL = 1,
    WL_SCAN_COMPLETED = 2,
    WL_CONNECTED = 3,
    WL_CONNECT_FAILED = 4,
    WL_CONNECTION_LOST = 5,
    WL_WRONG_PASSWORD = 6,
    WL_DISCONNECTED = 7
} wl_status_t;

class ESP8266WiFiClass {
public:
    wl_status_t status();
    int hostByName(const char *aHostname, IPAddress &aResult, uint32_t timeout_ms);
};
extern ESP8266WiFiClass WiFi;

class WiFiClient : public Client {
public:
    WiFiClient() = default;
    ~WiFiClient() override;
    WiFiClient(const WiFiClient &) = delete;
    WiFiClient &operator=(const WiFiClient &) = delete;

    int connect(IPAddress ip, uint16_t port) override;
    int connect(const char *host, uint16_t port) override;
    int available() override;
    void flush() override {}
    void stop() override;
    uint8_t connected() override;
    IPAddress remoteIP();

    static void setDefaultNoDelay(bool noDelay);
    static bool getDefaultNoDelay();
    bool getNoDelay() const;
    void setNoDelay(bool nodelay);

private:
    bool has_connection_ = false; /* the real one's _client (ClientContext) */
    bool no_delay_ = false;
    IPAddress remote_;
};

#endif
