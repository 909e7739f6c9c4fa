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
 * @param routeForOthers deliver frames whose packet is for any address (a gateway for other
 *                      nodes); false: only those for this node's addresses, its NAT targets,
 *                      broadcast and multicast (see {@link OwnDestinations})
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
        boolean routeForOthers,
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
        checkMtu(mtu, address6 != null);
        if (address6 != null) {
            checkPrefixLength6(prefixLength6);
        }
    }

    /** 576..1500 (1500 is the classic maximum: peers drop anything longer), 1280 or more with IPv6. */
    public static int checkMtu(int mtu, boolean ipv6) {
        if (mtu < 576 || mtu > 1500) {
            throw new IllegalArgumentException(mtu + " is outside 576..1500 (peers drop packets over 1500 bytes)");
        }
        if (ipv6 && mtu < 1280) {
            throw new IllegalArgumentException(mtu + " is below 1280, the minimum for IPv6");
        }
        return mtu;
    }

    public static int checkPrefixLength6(int prefixLength) {
        if (prefixLength < 1 || prefixLength > 128) {
            throw new IllegalArgumentException(prefixLength + " is outside 1..128");
        }
        return prefixLength;
    }
}
