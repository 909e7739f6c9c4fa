/* The MqttVpn class: a thin face over one link (MqttVpnLink.h). */
#include "MqttVpn.h"

#include <new>

#include "MqttVpnLink.h"
#include "mqttvpn/netif.h"

struct MqttVpn::State {
    mqtt_if_data *link;
};

MqttVpn::MqttVpn() : state_(nullptr) {}

MqttVpn::~MqttVpn()
{
    end();
}

bool MqttVpn::begin(const MqttVpnConfig &config)
{
    end();
    State *s = new (std::nothrow) State();
    if (s == nullptr) {
        return false;
    }
    s->link = mqttvpn_link_create(config);
    if (s->link == nullptr) {
        delete s;
        return false;
    }
    state_ = s;
    return true;
}

bool MqttVpn::addReadingTopic(IPAddress target)
{
    if (state_ == nullptr) {
        return false;
    }
    ip4_addr_t t;
    ip4_addr_set_u32(&t, (uint32_t)target);
    /* ERR_IF: kept, but the subscription failed now; it is sent again on the next connect. */
    err_t err = mqttvpn_iface_add_target(&state_->link->iface, &t);
    return err == ERR_OK || err == ERR_IF;
}

void MqttVpn::loop()
{
    if (state_ != nullptr) {
        mqttvpn_link_service(state_->link);
    }
}

void MqttVpn::end()
{
    if (state_ != nullptr) {
        mqttvpn_link_destroy(state_->link);
        delete state_;
        state_ = nullptr;
    }
}

bool MqttVpn::connected() const
{
    return state_ != nullptr && state_->link->session.state == MQTTVPN_SESSION_UP &&
           state_->link->mqtt.connected();
}

struct netif *MqttVpn::netif()
{
    return state_ != nullptr ? &state_->link->netif : nullptr;
}

static struct mqttvpn_netif_counters counters_of(const mqtt_if_data *link)
{
    struct mqttvpn_netif_counters c;
    mqttvpn_netif_get_counters(const_cast<struct netif *>(&link->netif), &c);
    return c;
}

uint32_t MqttVpn::txPackets() const
{
    return state_ != nullptr ? counters_of(state_->link).tx_packets : 0;
}

uint32_t MqttVpn::rxPackets() const
{
    return state_ != nullptr ? counters_of(state_->link).rx_packets : 0;
}

uint32_t MqttVpn::drops() const
{
    return state_ != nullptr ? mqttvpn_link_drops(state_->link) : 0;
}

uint32_t MqttVpn::reconnects() const
{
    return state_ != nullptr ? mqttvpn_session_reconnects(&state_->link->session) : 0;
}
