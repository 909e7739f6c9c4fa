package org.mqttvpn.codegen.render;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.mqttvpn.codegen.address.Assignments;
import org.mqttvpn.codegen.inventory.BridgeMode;
import org.mqttvpn.codegen.inventory.Inventory;
import org.mqttvpn.codegen.inventory.Located;
import org.mqttvpn.codegen.inventory.Member;
import org.mqttvpn.codegen.inventory.Network;
import org.mqttvpn.codegen.inventory.Subnet;
import org.mqttvpn.host.mqtt.BrokerUri;

/**
 * The inventory's {@code bridge:}: one mosquitto configuration file per broker of the network,
 * {@code mosquitto.d/<broker>.conf}, to be included by that broker (its conf.d). A node is homed
 * on the first broker of its list ({@link Inventory#brokersOf}); the network's first broker is
 * the hub ({@link MosquittoBridge}). Every member counts, whichever nodes a gen run renders.
 */
final class BridgeFiles {
    /** The output directory's entry for them; node names cannot contain a '.'. */
    static final String DIRECTORY = "mosquitto.d";

    private BridgeFiles() {
    }

    /** Empty when the inventory asks for no bridge. */
    static List<RenderedFile> render(TemplateRenderer renderer, Inventory inventory, Assignments assignments) {
        Network network = inventory.network();
        if (network.bridge() == null) {
            return List.of();
        }
        Map<BrokerUri, List<InetAddress>> homed = new LinkedHashMap<>();
        network.brokers().forEach(b -> homed.put(b.value(), new ArrayList<>()));
        for (Member m : inventory.members()) {
            List<Located<BrokerUri>> list = inventory.brokersOf(m);
            list.forEach(b -> homed.computeIfAbsent(b.value(), k -> new ArrayList<>()));
            List<InetAddress> home = homed.get(list.get(0).value());
            home.add(assignments.address(m));
            if (assignments.address6(m) != null) {
                home.add(assignments.address6(m));
            }
            m.natTargets().forEach(t -> home.add(t.value()));
        }
        Map<BrokerUri, String> names = names(homed.keySet());
        List<MosquittoBridge.Broker> brokers = new ArrayList<>();
        homed.forEach((uri, addresses) -> brokers.add(
                new MosquittoBridge.Broker(names.get(uri), uri.host(), uri.port(), addresses)));
        Subnet subnet = network.subnet().value();
        MosquittoBridge bridge = new MosquittoBridge(brokers, network.topicPrefix().value(),
                List.of(Subnet.address(subnet.broadcast())),
                network.bridge().value() == BridgeMode.MIRROR ? MosquittoBridge.Mode.MIRROR
                        : MosquittoBridge.Mode.PER_ADDRESS);
        List<RenderedFile> files = new ArrayList<>();
        for (MosquittoBridge.Broker b : brokers) {
            files.add(RenderedFile.text(DIRECTORY + "/" + b.name() + ".conf", bridge.render(b.name(), renderer),
                    false, false));
        }
        return files;
    }

    /**
     * A file name for each broker: its host (lower case, cut to 30 characters), with the port, and
     * then a number, where that name is already taken (two brokers on one host, or hosts that
     * differ only in case or beyond the 30th character).
     */
    private static Map<BrokerUri, String> names(Iterable<BrokerUri> uris) {
        Map<BrokerUri, String> names = new LinkedHashMap<>();
        Set<String> taken = new HashSet<>();
        for (BrokerUri u : uris) {
            String host = u.host().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]", "-");
            host = host.length() > 30 ? host.substring(0, 30) : host;
            String name = host;
            if (!taken.add(name)) {
                name = host + "-" + u.port();
                for (int n = 2; !taken.add(name); n++) {
                    name = host + "-" + u.port() + "-" + n;
                }
            }
            names.put(u, name);
        }
        return names;
    }
}
