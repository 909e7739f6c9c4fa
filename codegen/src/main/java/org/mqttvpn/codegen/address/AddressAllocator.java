package org.mqttvpn.codegen.address;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.mqttvpn.codegen.inventory.AddressChoice;
import org.mqttvpn.codegen.inventory.Inventory;
import org.mqttvpn.codegen.inventory.Ipv6Prefix;
import org.mqttvpn.codegen.inventory.Member;
import org.mqttvpn.codegen.inventory.Problems;
import org.mqttvpn.codegen.inventory.Subnet;
import org.mqttvpn.host.Addresses;

/**
 * Gives {@code auto} entries their addresses, deterministically and stably:
 * <ul>
 *   <li>an entry keeps the address the state file records for its name, while that address is
 *       still in the subnet and not fixed for another node;</li>
 *   <li>otherwise it gets the lowest address that is not the network or broadcast address, not
 *       fixed for any node, and not recorded in the state for any name (also names just removed,
 *       so that a removed node's address is not handed to a new one in the same run);</li>
 *   <li>entries are served in the order they are written in the inventory.</li>
 * </ul>
 * The state returned keeps the entries of current {@code auto} nodes only: a removed node's
 * address becomes free from the next run on.
 */
public final class AddressAllocator {
    private AddressAllocator() {
    }

    public static Assignments assign(Inventory inventory, AddressState state) {
        Problems problems = new Problems();
        Subnet subnet = inventory.network().subnet().value();
        List<Member> members = inventory.members();
        Map<String, Inet4Address> v4 = new LinkedHashMap<>();
        Map<String, Inet6Address> v6 = new LinkedHashMap<>();
        Map<String, Inet4Address> keep4 = new TreeMap<>();
        Map<String, Inet6Address> keep6 = new TreeMap<>();
        List<String> fresh = new ArrayList<>();

        Set<Integer> fixed4 = new HashSet<>();
        Set<InetAddress> fixed6 = new HashSet<>();
        for (Member m : members) {
            if (!m.address().auto()) {
                fixed4.add(Addresses.toInt(m.address().fixed()));
                v4.put(m.name().value(), m.address().fixed());
            }
            if (m.address6() != null && !m.address6().auto()) {
                fixed6.add(m.address6().fixed());
                v6.put(m.name().value(), m.address6().fixed());
            }
        }
        Set<Integer> used4 = new HashSet<>(fixed4);
        state.addresses().values().forEach(a -> used4.add(Addresses.toInt(a)));
        Set<InetAddress> used6 = new HashSet<>(fixed6);
        used6.addAll(state.addresses6().values());
        Set<Integer> given4 = new HashSet<>();
        Set<InetAddress> given6 = new HashSet<>();

        for (Member m : members) {
            String name = m.name().value();
            AddressChoice<Inet4Address> a = m.address();
            if (a.auto()) {
                Inet4Address kept = state.addresses().get(name);
                int k = kept == null ? 0 : Addresses.toInt(kept);
                if (kept != null && subnet.contains(kept) && k != subnet.network() && k != subnet.broadcast()
                        && !fixed4.contains(k) && given4.add(k)) {
                    v4.put(name, kept);
                } else {
                    Integer free = lowestFree(subnet, used4);
                    if (free == null) {
                        problems.add(a.at(), "no free address is left in " + subnet + " for " + m.describe(),
                                "use a larger subnet, or give fewer nodes addresses");
                        continue;
                    }
                    used4.add(free);
                    given4.add(free);
                    v4.put(name, Subnet.address(free));
                    fresh.add(name);
                }
                keep4.put(name, v4.get(name));
            }
            AddressChoice<Inet6Address> a6 = m.address6();
            if (a6 != null && a6.auto()) {
                Ipv6Prefix prefix = inventory.network().ipv6Prefix().value();
                Inet6Address kept = state.addresses6().get(name);
                if (kept != null && prefix.contains(kept) && prefix.hostPart(kept).signum() != 0
                        && !fixed6.contains(kept) && given6.add(kept)) {
                    v6.put(name, kept);
                } else {
                    Inet6Address free = lowestFree(prefix, used6);
                    used6.add(free);
                    given6.add(free);
                    v6.put(name, free);
                    if (!fresh.contains(name)) {
                        fresh.add(name);
                    }
                }
                keep6.put(name, v6.get(name));
            }
        }
        problems.throwIfAny();
        return new Assignments(Map.copyOf(v4), Map.copyOf(v6), new AddressState(keep4, keep6), List.copyOf(fresh));
    }

    private static Integer lowestFree(Subnet subnet, Set<Integer> used) {
        for (int a = subnet.firstHost(); a <= subnet.lastHost(); a++) {
            if (!used.contains(a)) {
                return a;
            }
        }
        return null;
    }

    private static Inet6Address lowestFree(Ipv6Prefix prefix, Set<InetAddress> used) {
        // Far more addresses than nodes: the search ends within (number of nodes + 1) steps.
        for (long host = 1; ; host++) {
            if (BigInteger.valueOf(host).compareTo(prefix.hostCount()) >= 0) {
                throw new IllegalStateException("IPv6 prefix " + prefix + " is full");
            }
            Inet6Address a = prefix.address(host);
            if (!used.contains(a)) {
                return a;
            }
        }
    }
}
