package org.mqttvpn.codegen.address;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.List;
import java.util.Map;
import org.mqttvpn.codegen.inventory.Member;

/**
 * Every node's concrete addresses (fixed or assigned), the state to keep for the {@code auto}
 * ones, and which nodes were given an address for the first time in this run.
 */
public record Assignments(Map<String, Inet4Address> addresses, Map<String, Inet6Address> addresses6,
                          AddressState state, List<String> newlyAssigned) {
    public Inet4Address address(Member m) {
        return addresses.get(m.name().value());
    }

    /** Null when the node has no IPv6 address. */
    public Inet6Address address6(Member m) {
        return addresses6.get(m.name().value());
    }
}
