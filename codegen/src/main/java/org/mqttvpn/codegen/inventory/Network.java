package org.mqttvpn.codegen.inventory;

import org.mqttvpn.host.mqtt.BrokerUri;

/**
 * The {@code network:} section. Fields that failed to parse are null; an inventory with such a
 * field never leaves {@link InventoryLoader}.
 */
public record Network(
        Located<String> name,
        Located<Subnet> subnet,
        Located<Ipv6Prefix> ipv6Prefix,
        Located<BrokerUri> broker,
        SecretValue brokerUser,
        SecretValue brokerPassword,
        Located<String> topicPrefix,
        SecretValue key,
        Position at) {
    public static final String DEFAULT_TOPIC_PREFIX = "mqttip";
}
