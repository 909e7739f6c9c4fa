/* The PubSubClient 2.8 model (sdk/PubSubClient.h) over the model broker (model_net.h). */
#include "PubSubClient.h"

#include <stdlib.h>
#include <string.h>

#include "model_net.h"

PubSubClient::PubSubClient(Client &client) : _client(&client)
{
    setBufferSize(MQTT_MAX_PACKET_SIZE);
}

PubSubClient::~PubSubClient()
{
    free(buffer);
}

PubSubClient &PubSubClient::setServer(IPAddress addr, uint16_t p)
{
    ip = addr;
    port = p;
    domain = nullptr;
    return *this;
}

PubSubClient &PubSubClient::setServer(const char *d, uint16_t p)
{
    domain = d;
    port = p;
    return *this;
}

PubSubClient &PubSubClient::setCallback(MQTT_CALLBACK_SIGNATURE)
{
    this->callback = callback;
    return *this;
}

PubSubClient &PubSubClient::setKeepAlive(uint16_t k)
{
    keepAlive = k;
    return *this;
}

boolean PubSubClient::setBufferSize(uint16_t size)
{
    if (size == 0) {
        return false;
    }
    uint8_t *b = static_cast<uint8_t *>(realloc(buffer, size));
    if (b == nullptr) {
        return false;
    }
    buffer = b;
    bufferSize = size;
    return true;
}

uint16_t PubSubClient::getBufferSize()
{
    return bufferSize;
}

boolean PubSubClient::connect(const char *id)
{
    return connect(id, nullptr, nullptr);
}

boolean PubSubClient::connect(const char *id, const char *user, const char *pass)
{
    if (connected()) {
        return true;
    }
    int result = _client->connected() ? 1 : domain != nullptr ? _client->connect(domain, port)
                                                              : _client->connect(ip, port);
    if (result != 1) {
        _state = MQTT_CONNECT_FAILED;
        return false;
    }
    if (id == nullptr || strlen(id) + 16 > bufferSize) {
        _client->stop();
        return false;
    }
    model_user = user;
    model_pass = pass;
    lastInActivity = lastOutActivity = millis();
    if (!broker.accepting) {
        _state = MQTT_CONNECT_UNAVAILABLE;
        _client->stop();
        return false;
    }
    pingOutstanding = false;
    _state = MQTT_CONNECTED;
    return true;
}

void PubSubClient::disconnect()
{
    _state = MQTT_DISCONNECTED;
    _client->flush();
    _client->stop();
    lastInActivity = lastOutActivity = millis();
}

boolean PubSubClient::connected()
{
    if (_client->connected()) {
        return _state == MQTT_CONNECTED;
    }
    if (_state == MQTT_CONNECTED) {
        _state = MQTT_CONNECTION_LOST;
        _client->flush();
        _client->stop();
    }
    return false;
}

boolean PubSubClient::loop()
{
    model_loops++;
    if (!connected()) {
        return false;
    }
    unsigned long t = millis();
    if (t - lastInActivity > keepAlive * 1000UL || t - lastOutActivity > keepAlive * 1000UL) {
        if (pingOutstanding) {
            _state = MQTT_CONNECTION_TIMEOUT;
            _client->stop();
            return false;
        }
        broker.to_client.push_back(model_packet{true, std::string(), std::vector<uint8_t>()}); /* PINGRESP */
        lastOutActivity = t;
        lastInActivity = t;
        pingOutstanding = true;
    }
    if (_client->available() > 0) {
        model_packet p = broker.to_client.front(); /* one packet per loop(), as readPacket() */
        broker.to_client.pop_front();
        lastInActivity = t;
        if (p.ping_response) {
            pingOutstanding = false;
        } else if (model_packet_bytes(p) <= bufferSize && callback) {
            /* The real layout: topic moved one byte forward and NUL-terminated, payload after it. */
            char *topic = reinterpret_cast<char *>(buffer) + 4;
            memcpy(topic, p.topic.data(), p.topic.size());
            topic[p.topic.size()] = '\0';
            uint8_t *payload = buffer + 5 + p.topic.size();
            memcpy(payload, p.payload.data(), p.payload.size());
            callback(topic, payload, (unsigned int)p.payload.size());
        }
    }
    return true;
}

boolean PubSubClient::publish(const char *topic, const uint8_t *payload, unsigned int plength)
{
    if (!connected()) {
        return false;
    }
    size_t tlen = strnlen(topic, bufferSize);
    if (bufferSize < MQTT_MAX_HEADER_SIZE + 2 + tlen + plength) {
        return false;
    }
    /* Built in the shared buffer, as the real publish() does. */
    uint8_t *t = buffer + MQTT_MAX_HEADER_SIZE + 2, *d = t + tlen;
    memmove(t, topic, tlen);
    memmove(d, payload, plength);
    broker.published.push_back(model_packet{false, std::string(reinterpret_cast<char *>(t), tlen),
                                            std::vector<uint8_t>(d, d + plength)});
    lastOutActivity = millis();
    return true;
}

boolean PubSubClient::subscribe(const char *topic, uint8_t qos)
{
    if (topic == nullptr || qos > 1 || bufferSize < 9 + strnlen(topic, bufferSize) || !connected()) {
        return false;
    }
    broker.subscribed.push_back(topic);
    lastOutActivity = millis();
    return true;
}

boolean PubSubClient::unsubscribe(const char *topic)
{
    if (topic == nullptr || bufferSize < 9 + strnlen(topic, bufferSize) || !connected()) {
        return false;
    }
    broker.unsubscribed.push_back(topic);
    lastOutActivity = millis();
    return true;
}

int PubSubClient::state()
{
    return _state;
}
