package org.mqttvpn.host;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.mqttvpn.host.codec.Key;
import org.mqttvpn.host.mqtt.BrokerSettings;
import org.mqttvpn.host.topic.Topics;

/**
 * One node's end of the tunnel: its interface, addresses, key, topics and broker.
 *
 * @param natTargets   more addresses this node receives for (the original's -t)
 * @param statsInterval how often counters are logged when {@code debug} is on
 */
public record VpnConfig(
        String interfaceName,
        Inet4Address address,
        Inet4Address netmask,
        Inet6Address address6,
        int prefixLength6,
        int mtu,
        Key key,
        String topicPrefix,
        List<InetAddress> natTargets,
        BrokerSettings broker,
        boolean debug,
        Duration statsInterval) {

    public VpnConfig {
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(netmask, "netmask");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(broker, "broker");
        Topics.validPrefix(topicPrefix);
        natTargets = List.copyOf(natTargets);
        if (mtu < 576 || mtu > 1500) {
            // 1500 is the classic maximum: peers drop anything longer
            throw new IllegalArgumentException("MTU " + mtu + " is outside 576..1500");
        }
        if (address6 != null && mtu < 1280) {
            throw new IllegalArgumentException("MTU " + mtu + " is below 1280, the minimum for IPv6");
        }
        if (address6 != null && (prefixLength6 < 1 || prefixLength6 > 128)) {
            throw new IllegalArgumentException("IPv6 prefix length " + prefixLength6 + " is outside 1..128");
        }
    }
}
