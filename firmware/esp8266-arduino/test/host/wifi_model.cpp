/* The ESP8266WiFi model (sdk/ESP8266WiFi.h) and the model broker behind it (model_net.h). */
#include "ESP8266WiFi.h"

#include <string.h>

#include "lwip/ip4.h"
#include "lwip/netif.h"

#include "model_net.h"
#include "mqttvpn/netif.h"

ESP8266WiFiClass WiFi;
model_broker broker;
wl_status_t model_wifi_status = WL_CONNECTED;

static bool default_no_delay = false; /* WiFiClient.cpp: "false == Nagle enabled by default" */
static WiFiClient *broker_peer;       /* the client whose connection the broker holds */

void model_net_reset()
{
    broker = model_broker();
    broker_peer = nullptr;
    model_wifi_status = WL_CONNECTED;
    default_no_delay = false;
}

size_t model_packet_bytes(const model_packet &p)
{
    return p.ping_response ? 2u : 5u + 2u + p.topic.size() + p.payload.size();
}

void model_broker_send(const std::string &topic, const uint8_t *payload, size_t len)
{
    broker.to_client.push_back(model_packet{false, topic, std::vector<uint8_t>(payload, payload + len)});
}

void model_broker_drop()
{
    broker.connection = false;
    broker.to_client.clear();
}

wl_status_t ESP8266WiFiClass::status()
{
    return model_wifi_status;
}

int ESP8266WiFiClass::hostByName(const char *aHostname, IPAddress &aResult, uint32_t timeout_ms)
{
    (void)timeout_ms;
    if (model_wifi_status != WL_CONNECTED) {
        return 0;
    }
    if (broker.host == aHostname) {
        aResult = broker.address;
        return 1;
    }
    return aResult.fromString(aHostname) ? 1 : 0;
}

WiFiClient::~WiFiClient()
{
    stop();
}

int WiFiClient::connect(const char *host, uint16_t port)
{
    IPAddress remote_addr;
    if (WiFi.hostByName(host, remote_addr, 5000)) {
        return connect(remote_addr, port);
    }
    return 0;
}

int WiFiClient::connect(IPAddress ip, uint16_t port)
{
    stop();
    /* The SYN leaves where lwIP routes it: nowhere, or into a tunnel that is not up yet. */
    const ip_addr_t *dest = ip;
    struct netif *out = IP_IS_V4(dest) ? ip4_route(ip_2_ip4(dest)) : nullptr;
    if (out == nullptr || mqttvpn_netif_is_attached(out) || (uint32_t)ip != (uint32_t)broker.address ||
        port != broker.port || broker.connection) {
        return 0;
    }
    has_connection_ = true;
    no_delay_ = default_no_delay; /* WiFiClient::connect: setNoDelay(defaultNoDelay) */
    remote_ = ip;
    broker.connection = true;
    broker.connects++;
    broker_peer = this;
    return 1;
}

void WiFiClient::stop()
{
    if (has_connection_ && broker_peer == this) {
        broker.connection = false;
        broker.to_client.clear();
        broker_peer = nullptr;
    }
    has_connection_ = false;
}

uint8_t WiFiClient::connected()
{
    if (has_connection_ && !(broker.connection && broker_peer == this)) {
        has_connection_ = false; /* closed by the broker: ClientContext state CLOSED */
    }
    return has_connection_ ? 1 : 0;
}

int WiFiClient::available()
{
    size_t n = 0;
    if (connected()) {
        for (const model_packet &p : broker.to_client) {
            n += model_packet_bytes(p);
        }
    }
    return (int)n;
}

IPAddress WiFiClient::remoteIP()
{
    return has_connection_ ? remote_ : IPAddress((uint32_t)0);
}

void WiFiClient::setDefaultNoDelay(bool noDelay)
{
    default_no_delay = noDelay;
}

bool WiFiClient::getDefaultNoDelay()
{
    return default_no_delay;
}

bool WiFiClient::getNoDelay() const
{
    return has_connection_ && no_delay_;
}

void WiFiClient::setNoDelay(bool nodelay)
{
    if (has_connection_) {
        no_delay_ = nodelay;
    }
}
