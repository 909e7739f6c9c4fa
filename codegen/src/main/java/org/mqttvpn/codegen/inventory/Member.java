package org.mqttvpn.codegen.inventory;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.List;
import org.mqttvpn.host.mqtt.BrokerUri;

/** A node of the network with an address of its own: a host or a device. */
public sealed interface Member permits Host, Device {
    Located<String> name();

    AddressChoice<Inet4Address> address();

    /** Null when the node has no IPv6 address. */
    AddressChoice<Inet6Address> address6();

    List<Located<Inet4Address>> natTargets();

    /** Its own {@code brokers:}, its home broker first; empty when it uses the network's. */
    List<Located<BrokerUri>> brokers();

    /** Where its entry starts in the inventory. */
    Position at();

    /** "host 'laptop'" or "device 'sensor-1'", for messages. */
    default String describe() {
        String kind = this instanceof Host ? "host" : "device";
        return name() == null ? "the " + kind + " at line " + at().line() : kind + " '" + name().value() + "'";
    }
}
