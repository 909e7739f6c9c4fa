package org.mqttvpn.codegen.inventory;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mqttvpn.host.Addresses;
import org.mqttvpn.host.mqtt.BrokerUri;
import org.mqttvpn.host.topic.AddressText;

/**
 * The checks that relate values to each other: addresses and the subnet, names and addresses
 * that must be unique across hosts and devices, NAT targets, and what each platform and app
 * can do. Runs on whatever the parser could read, skipping values that did not parse.
 */
final class InventoryRules {
    /** How many brokers a device's firmware holds (MQTTVPN_MAX_BROKERS in firmware/common). */
    static final int MAX_DEVICE_BROKERS = 4;
    private final Problems problems;

    InventoryRules(Problems problems) {
        this.problems = problems;
    }

    void check(Network network, List<Host> hosts, List<Device> devices) {
        List<Member> members = Inventory.inFileOrder(hosts, devices);
        uniqueNames(members);
        Subnet subnet = network == null || network.subnet() == null ? null : network.subnet().value();
        Ipv6Prefix prefix = network == null || network.ipv6Prefix() == null ? null : network.ipv6Prefix().value();
        Map<InetAddress, Member> taken = new HashMap<>();
        Map<InetAddress, Member> natTaken = new HashMap<>();
        for (Member m : members) {
            address(m, subnet, taken);
            address6(m, network, prefix, taken);
            natTargets(m, subnet, natTaken);
        }
        for (Device d : devices) {
            device(d, network, subnet);
        }
        brokerReturn(network, members);
        bridge(network, members);
    }

    /**
     * bridge: needs brokers to bridge (some node homed on another broker than the network's
     * first, or listing more), and plain-TCP ones: the rendered bridge has no TLS settings.
     */
    private void bridge(Network network, List<Member> members) {
        if (network == null || network.bridge() == null || network.brokers().isEmpty()) {
            return;
        }
        Set<BrokerUri> all = new LinkedHashSet<>();
        network.brokers().forEach(b -> all.add(b.value()));
        members.forEach(m -> m.brokers().forEach(b -> all.add(b.value())));
        if (all.size() < 2) {
            problems.add(network.bridge().at(), "bridge: the network has one broker, " + network.broker().value()
                    + ", and nothing to bridge it to", "list the sites' brokers under brokers: (a node's first is its"
                    + " home), or remove bridge");
            return;
        }
        for (BrokerUri b : all) {
            if (b.tls()) {
                problems.add(network.bridge().at(), "bridge: " + b + " is a TLS broker, and the rendered bridge"
                        + " configuration has no TLS settings", "remove bridge and write the bridges yourself"
                        + " (mosquitto.conf: bridge_cafile, bridge_certfile), or bridge plain-TCP brokers");
                return;
            }
        }
    }

    /** broker_return needs some node with a second broker to return from. */
    private void brokerReturn(Network network, List<Member> members) {
        if (network == null || network.brokerReturn() == null || network.brokers().size() != 1) {
            return; // none parsed: their own problems are reported
        }
        if (members.stream().noneMatch(m -> m.brokers().size() > 1)) {
            problems.add(network.brokerReturn().at(), "broker_return has no broker to return from: the network has one"
                    + " broker and no node lists more", "list a second broker under brokers:, or remove broker_return");
        }
    }

    private void uniqueNames(List<Member> members) {
        Map<String, Member> seen = new HashMap<>();
        for (Member m : members) {
            if (m.name() == null) {
                continue;
            }
            Member first = seen.putIfAbsent(m.name().value(), m);
            if (first != null) {
                problems.add(m.name().at(), "name '" + m.name().value() + "' is already used by " + first.describe()
                        + " (line " + first.name().at().line() + ")",
                        "give every host and device its own name: it names its output directory");
            }
        }
    }

    private void address(Member m, Subnet subnet, Map<InetAddress, Member> taken) {
        AddressChoice<Inet4Address> a = m.address();
        if (a == null || a.auto() || subnet == null) {
            return;
        }
        String text = AddressText.of(a.fixed());
        int v = Addresses.toInt(a.fixed());
        if (!subnet.contains(a.fixed())) {
            problems.add(a.at(), "address " + text + " of " + m.describe() + " is outside the subnet " + subnet,
                    "use an address in " + subnet + " or auto");
        } else if (v == subnet.network() || v == subnet.broadcast()) {
            problems.add(a.at(), "address " + text + " is the " + (v == subnet.network() ? "network" : "broadcast")
                    + " address of " + subnet, "use one from " + Subnet.text(subnet.firstHost()) + " to "
                    + Subnet.text(subnet.lastHost()) + ", or auto");
        } else {
            unique(m, a.fixed(), a.at(), taken);
        }
    }

    private void address6(Member m, Network network, Ipv6Prefix prefix, Map<InetAddress, Member> taken) {
        AddressChoice<Inet6Address> a = m.address6();
        if (a == null) {
            return;
        }
        if (network != null && network.ipv6Prefix() == null) {
            problems.add(a.at(), m.describe() + " has an IPv6 address but the network has no ipv6_prefix",
                    "add ipv6_prefix: (like fd00:1::/64) to network:, or remove address6");
            return;
        }
        if (a.auto() || prefix == null) {
            return;
        }
        if (!prefix.contains(a.fixed())) {
            problems.add(a.at(), "address6 " + AddressText.of(a.fixed()) + " of " + m.describe() + " is outside "
                    + prefix, "use an address in " + prefix + " or auto");
        } else if (prefix.hostPart(a.fixed()).signum() == 0) {
            problems.add(a.at(), "address6 " + AddressText.of(a.fixed()) + " is the prefix itself (the subnet-router"
                    + " anycast address)", "use another address in " + prefix + ", or auto");
        } else {
            unique(m, a.fixed(), a.at(), taken);
        }
    }

    private void unique(Member m, InetAddress address, Position at, Map<InetAddress, Member> taken) {
        Member first = taken.putIfAbsent(address, m);
        if (first != null && first != m) {
            problems.add(at, "address " + AddressText.of(address) + " is already given to " + first.describe(),
                    "give each node its own address, or write auto");
        }
    }

    private void natTargets(Member m, Subnet subnet, Map<InetAddress, Member> natTaken) {
        for (Located<Inet4Address> t : m.natTargets()) {
            String text = AddressText.of(t.value());
            if (subnet != null && subnet.contains(t.value())) {
                problems.add(t.at(), "NAT target " + text + " of " + m.describe() + " is inside the VPN subnet " + subnet,
                        "NAT targets are hosts behind the node, outside the VPN: list their own addresses"
                                + " (like 192.168.4.2), or remove it");
                continue;
            }
            Member first = natTaken.putIfAbsent(t.value(), m);
            if (first != null) {
                problems.add(t.at(), "NAT target " + text + " is listed " + (first == m ? "twice for " + m.describe()
                        : "for " + m.describe() + " and " + first.describe()),
                        "list it once, under the node it is behind: every listing subscribes to its topic");
            }
        }
    }

    private void device(Device d, Network network, Subnet subnet) {
        if (d.platform() == null) {
            return;
        }
        Platform p = d.platform().value();
        String who = d.describe() + " (" + p.id() + ")";
        if (d.board() != null) {
            if (p != Platform.ESP8266_ARDUINO) {
                problems.add(d.board().at(), "'board' applies to esp8266-arduino devices, not to " + who,
                        p == Platform.ESP32_IDF ? "write target: (like esp32c3) instead" : "remove it");
            } else if (!d.board().value().vendor().equals("esp8266") || !d.board().value().architecture().equals("esp8266")) {
                problems.add(d.board().at(), "board " + d.board().value().text() + " is not a board of the ESP8266"
                        + " Arduino core (esp8266:esp8266:...)",
                        "write esp8266:esp8266:<board>, like " + Fqbn.DEFAULT_ESP8266);
            } else if (d.app() != null && d.app().value() == App.NAT) {
                String ip = d.board().value().options().get("ip");
                if (ip != null && !ip.equals("lm2f") && !ip.equals("hb2f")) {
                    problems.add(d.board().at(), "app nat needs an lwIP variant with NAPT features and without IPv6,"
                            + " but the board says ip=" + ip, "use ip=lm2f (the default) or ip=hb2f, or leave ip= out");
                }
            }
        }
        if (d.target() != null && p != Platform.ESP32_IDF) {
            problems.add(d.target().at(), "'target' applies to esp32-idf devices, not to " + who,
                    p == Platform.ESP8266_ARDUINO ? "write board: (an Arduino FQBN) instead" : "remove it");
        }
        if (!p.needsWifi() && d.wifi() != null) {
            problems.add(d.wifi().at(), "'wifi' does not apply to " + who + ": it uses the host's network", "remove it");
        }
        if (d.address6() != null && !p.supportsIpv6()) {
            problems.add(d.address6().at(), "the " + p.id() + " firmware API has no IPv6 address (its configuration"
                    + " takes IPv4 only)", "remove address6 from " + d.describe());
        }
        if (d.app() != null && p == Platform.HOST_SIM) {
            problems.add(d.app().at(), "'app' does not apply to " + who + ": the virtual device runs no app",
                    "remove it");
        }
        if (!p.supportsTls()) {
            List<Located<BrokerUri>> brokers = !d.brokers().isEmpty() ? d.brokers()
                    : network == null ? List.of() : network.brokers();
            for (Located<BrokerUri> b : brokers) {
                if (b.value().tls()) {
                    boolean own = !d.brokers().isEmpty();
                    problems.add(own ? b.at() : d.platform().at(), who + " cannot reach the TLS broker " + b.value()
                            + (own ? "" : " (of the network's brokers)") + ": its MQTT client has no TLS",
                            "use tcp:// or mqtt:// brokers for " + (own ? "this device" : "this network, or give the"
                                    + " device a brokers: list of its own without TLS") + ", or platform esp32-idf,"
                                    + " whose esp-mqtt client speaks mqtts://");
                }
            }
        }
        if (d.brokers().size() > MAX_DEVICE_BROKERS) {
            problems.add(d.brokers().get(MAX_DEVICE_BROKERS).at(), who + " lists " + d.brokers().size()
                    + " brokers; the firmware holds at most " + MAX_DEVICE_BROKERS, "list at most "
                    + MAX_DEVICE_BROKERS);
        } else if (d.brokers().isEmpty() && network != null && network.brokers().size() > MAX_DEVICE_BROKERS) {
            problems.add(d.platform().at(), who + " would get the network's " + network.brokers().size()
                    + " brokers; the firmware holds at most " + MAX_DEVICE_BROKERS,
                    "give the device a brokers: list of its own, of at most " + MAX_DEVICE_BROKERS);
        }
        settings(d, p, who, subnet);
    }

    private void settings(Device d, Platform p, String who, Subnet subnet) {
        App app = d.app() == null ? null : d.app().value();
        DeviceSettings s = d.settings();
        for (Located<String> key : s.written()) {
            String reason = switch (key.value()) {
                case "gateway" -> null;
                case "default_route" -> p == Platform.HOST_SIM ? "applies to firmware devices" : null;
                case "http_port" -> app == App.WEBSERVER ? null : "applies to app webserver";
                case "telnet_port" -> app == App.TELNET ? null : "applies to app telnet";
                default -> app == App.NAT ? null : "applies to app nat";
            };
            if (reason != null) {
                problems.add(key.at(), "setting '" + key.value() + "' " + reason + ", not to " + who
                        + (app == null ? "" : " with app " + app.id()), "remove it");
            }
        }
        if (s.gateway() != null && subnet != null) {
            int g = Addresses.toInt(s.gateway().value());
            if (!subnet.contains(s.gateway().value()) || g == subnet.network() || g == subnet.broadcast()) {
                problems.add(s.gateway().at(), "gateway " + AddressText.of(s.gateway().value()) + " is not a node"
                        + " address in the subnet " + subnet, "use the VPN address of the node that routes further");
            }
        }
        if (app == App.NAT && p != Platform.HOST_SIM) {
            if (s.apPassword() == null && s.written().stream().noneMatch(k -> k.value().equals("ap_password"))) {
                problems.add(d.app().at(), "app nat opens a Wi-Fi access point and needs its password",
                        "add settings: {ap_password: env:AP_PASSWORD} (8 to 63 characters)");
            }
            int ap = Addresses.toInt(s.apAddress().value());
            int mask = Addresses.toInt(s.apNetmask().value());
            if (subnet != null && ((ap & mask) == (subnet.network() & mask) || subnet.contains(s.apAddress().value()))) {
                problems.add(s.apAddress().at(), "the access point's network " + Subnet.text(ap & mask)
                        + " overlaps the VPN subnet " + subnet, "set settings.ap_address to another private network,"
                        + " like 192.168.4.1");
            }
            if ((ap & ~mask) == 0 || (ap | mask) == -1) {
                problems.add(s.apAddress().at(), "ap_address " + AddressText.of(s.apAddress().value())
                        + " is the network or broadcast address of its own network", "use an address like 192.168.4.1");
            }
        }
    }
}
