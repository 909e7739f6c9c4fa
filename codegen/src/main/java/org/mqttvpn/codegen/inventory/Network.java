package org.mqttvpn.codegen.inventory;

import org.mqttvpn.host.mqtt.BrokerUri;

/**
 * The {@code network:} section. Fields that failed to parse are null; an inventory with such a
 * field never leaves {@link InventoryLoader}. {@code otaPassword} is the devices' default OTA
 * password (null: none); see {@link Inventory#otaPassword}.
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
        SecretValue otaPassword,
        Position at) {
    public static final String DEFAULT_TOPIC_PREFIX = "mqttip";

    /** The same section with another key (a generated one, read from its file). */
    Network withKey(SecretValue newKey) {
        return new Network(name, subnet, ipv6Prefix, broker, brokerUser, brokerPassword, topicPrefix, newKey, otaPassword,
                at);
    }

    /** The same section with another OTA password (a generated one, read from its file). */
    Network withOtaPassword(SecretValue password) {
        return new Network(name, subnet, ipv6Prefix, broker, brokerUser, brokerPassword, topicPrefix, key, password, at);
    }
}
