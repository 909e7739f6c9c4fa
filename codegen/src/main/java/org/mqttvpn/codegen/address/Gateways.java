package org.mqttvpn.codegen.address;

import java.net.Inet4Address;
import org.mqttvpn.codegen.inventory.Device;
import org.mqttvpn.codegen.inventory.Inventory;
import org.mqttvpn.codegen.inventory.Member;

/**
 * Which nodes route for others. A device with a {@code gateway} setting publishes the packets for
 * addresses off the VPN to its gateway's topic (PROTOCOL.md, next hop), so the node at that
 * address receives packets that are not for its own addresses and must pass them on: its end
 * runs with route-for-others (vpn --route-for-others, the firmware's route_for_others). Every
 * other node drops such packets (drop_not_for_us).
 */
public final class Gateways {
    private Gateways() {
    }

    /** Whether some device of the inventory names {@code node}'s address as its gateway. */
    public static boolean routesForOthers(Inventory inventory, Assignments assignments, Member node) {
        Inet4Address address = assignments.address(node);
        for (Device d : inventory.devices()) {
            if (d != node && d.settings().gateway() != null && d.settings().gateway().value().equals(address)) {
                return true;
            }
        }
        return false;
    }
}
