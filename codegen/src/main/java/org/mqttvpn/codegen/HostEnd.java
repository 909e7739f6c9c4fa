package org.mqttvpn.codegen;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.mqttvpn.codegen.address.AddressAllocator;
import org.mqttvpn.codegen.address.AddressState;
import org.mqttvpn.codegen.address.Assignments;
import org.mqttvpn.codegen.address.Gateways;
import org.mqttvpn.codegen.inventory.Host;
import org.mqttvpn.codegen.inventory.Inventory;
import org.mqttvpn.codegen.inventory.InventoryLoader;
import org.mqttvpn.codegen.inventory.Network;
import org.mqttvpn.codegen.render.GenerationException;
import org.mqttvpn.host.topic.AddressText;

/**
 * What {@code toolkit vpn --config FILE --host NAME} takes from the inventory, as the text of
 * the vpn command's own flags: interface (-i), address (-a), netmask (-m), brokers (-b, the
 * host's own list or the network's; --broker-order; --broker-return, null with one broker), user
 * (-u), password (-p), key (-k), IPv6 address and prefix length (-6, -x), topic prefix, NAT
 * targets (-t), and whether it routes for others (--route-for-others: some device names it as
 * its gateway). Secrets are resolved from their references; nothing is written, so an
 * {@code auto} address or a generated key must already exist (gen makes them).
 */
public record HostEnd(String interfaceName, String address, String netmask, String address6, int prefix6,
                      List<String> brokers, String brokerOrder, Integer brokerReturn, String user, String password, String key, String topicPrefix,
                      List<String> natTargets, boolean routeForOthers) {

    public static HostEnd load(Path inventoryFile, String hostName, Map<String, String> environment) {
        Inventory inventory = InventoryLoader.load(inventoryFile, environment, InventoryLoader.MissingKey.PROBLEM);
        Host host = inventory.host(hostName).orElseThrow(() -> new GenerationException(
                inventory.hosts().isEmpty()
                        ? "the inventory " + inventoryFile + " has no hosts: add this one under hosts:"
                        : "the inventory " + inventoryFile + " has no host '" + hostName + "'; its hosts are: "
                                + String.join(", ", inventory.hosts().stream().map(h -> h.name().value()).sorted().toList())));
        Assignments assignments = AddressAllocator.assign(inventory, AddressState.read(Inventory.stateFileOf(inventoryFile)));
        if (assignments.newlyAssigned().contains(hostName)) {
            throw new GenerationException("host '" + hostName + "' has an auto address that has not been given out yet:"
                    + " run toolkit gen " + inventoryFile + " first (it records addresses in "
                    + Inventory.stateFileOf(inventoryFile).getFileName() + ")");
        }
        Network n = inventory.network();
        var address6 = assignments.address6(host);
        var brokers = inventory.brokersOf(host);
        return new HostEnd(
                host.interfaceName().value(),
                AddressText.of(assignments.address(host)),
                AddressText.of(n.subnet().value().netmask()),
                address6 == null ? null : AddressText.of(address6),
                n.ipv6Prefix() == null ? 64 : n.ipv6Prefix().value().prefixLength(),
                brokers.stream().map(b -> b.value().pahoUri()).toList(),
                n.order().word(),
                brokers.size() > 1 && n.brokerReturn() != null ? n.brokerReturn().value() : null,
                n.brokerUser() == null ? null : n.brokerUser().value(),
                n.brokerPassword() == null ? null : n.brokerPassword().value(),
                n.key().value(),
                n.topicPrefix().value(),
                host.natTargets().stream().map(t -> AddressText.of(t.value())).toList(),
                Gateways.routesForOthers(inventory, assignments, host));
    }
}
