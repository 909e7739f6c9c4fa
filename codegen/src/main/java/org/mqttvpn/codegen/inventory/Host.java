package org.mqttvpn.codegen.inventory;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.List;
import org.mqttvpn.host.mqtt.BrokerUri;

/**
 * A Linux machine that runs {@code toolkit vpn --config ... --host NAME}. {@code brokers} is its
 * own {@code brokers:} (empty: the network's; see {@link Inventory#brokersOf}).
 */
public record Host(
        Located<String> name,
        AddressChoice<Inet4Address> address,
        AddressChoice<Inet6Address> address6,
        Located<String> interfaceName,
        List<Located<Inet4Address>> natTargets,
        Located<String> inventoryPath,
        Located<String> toolkitPath,
        List<Located<BrokerUri>> brokers,
        Position at) implements Member {
    public static final String DEFAULT_INTERFACE = "mq0";
    public static final String DEFAULT_TOOLKIT_PATH = "/usr/local/bin/toolkit";
}
