package org.mqttvpn.codegen.inventory;

import java.util.List;
import org.mqttvpn.host.mqtt.BrokerOrder;
import org.mqttvpn.host.mqtt.BrokerUri;

/**
 * The {@code network:} section. Fields that failed to parse are null; an inventory with such a
 * field never leaves {@link InventoryLoader}. {@code otaPassword} is the devices' default OTA
 * password (null: none); see {@link Inventory#otaPassword}.
 *
 * <p>{@code brokers} is {@code brokers:}, or {@code broker:} as a list of one; the first is the
 * home broker of every node that lists none of its own ({@link Inventory#brokersOf}). Empty only
 * when neither parsed. {@code brokerOrder} and {@code brokerReturn} (seconds) are null when not
 * written: in order, no return. {@code bridge} is null when gen renders no bridge configuration.
 */
public record Network(
        Located<String> name,
        Located<Subnet> subnet,
        Located<Ipv6Prefix> ipv6Prefix,
        List<Located<BrokerUri>> brokers,
        Located<BrokerOrder> brokerOrder,
        Located<Integer> brokerReturn,
        Located<BridgeMode> bridge,
        SecretValue brokerUser,
        SecretValue brokerPassword,
        Located<String> topicPrefix,
        SecretValue key,
        SecretValue otaPassword,
        Position at) {
    public static final String DEFAULT_TOPIC_PREFIX = "mqttip";

    public Network {
        brokers = List.copyOf(brokers);
    }

    /** The home broker (the first of {@code brokers}), or null when none parsed. */
    public Located<BrokerUri> broker() {
        return brokers.isEmpty() ? null : brokers.get(0);
    }

    /** The order nodes try the brokers in: {@code broker_order}, in order when not written. */
    public BrokerOrder order() {
        return brokerOrder == null ? BrokerOrder.IN_ORDER : brokerOrder.value();
    }

    /** The same section with another key (a generated one, read from its file). */
    Network withKey(SecretValue newKey) {
        return new Network(name, subnet, ipv6Prefix, brokers, brokerOrder, brokerReturn, bridge, brokerUser, brokerPassword,
                topicPrefix, newKey, otaPassword, at);
    }

    /** The same section with another OTA password (a generated one, read from its file). */
    Network withOtaPassword(SecretValue password) {
        return new Network(name, subnet, ipv6Prefix, brokers, brokerOrder, brokerReturn, bridge, brokerUser, brokerPassword,
                topicPrefix, key, password, at);
    }
}
