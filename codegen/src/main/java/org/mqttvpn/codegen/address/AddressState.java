package org.mqttvpn.codegen.address;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.mqttvpn.codegen.inventory.FileErrors;
import org.mqttvpn.codegen.inventory.InventoryException;
import org.mqttvpn.codegen.inventory.Problems;
import org.mqttvpn.codegen.inventory.Utf8Text;
import org.mqttvpn.codegen.inventory.YamlBytes;
import org.mqttvpn.codegen.inventory.YamlFile;
import org.mqttvpn.host.Addresses;
import org.mqttvpn.host.topic.AddressText;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * The addresses given to {@code auto} entries, kept in {@code <inventory>.state.yaml} beside the
 * inventory so that they never change once given: adding or removing a node leaves every other
 * node's address alone. Only commands that write output write it ({@link org.mqttvpn.codegen.Gen}),
 * whole, sorted by name.
 */
public record AddressState(Map<String, Inet4Address> addresses, Map<String, Inet6Address> addresses6) {
    public static final AddressState EMPTY = new AddressState(Map.of(), Map.of());
    /** The fix for a state file gen did not write: its addresses may already be on devices. */
    private static final String RESTORE = "restore it from version control (gen writes it as addresses: and addresses6:"
            + " with name: address lines); deleting it gives every auto entry an address anew, maybe another one";

    public AddressState {
        addresses = Map.copyOf(addresses);
        addresses6 = Map.copyOf(addresses6);
    }

    /** Reads the state file; a missing file is an empty state. Problems point into the state file. */
    public static AddressState read(Path file) {
        if (!Files.exists(file)) {
            return EMPTY;
        }
        YamlFile yaml = YamlFile.named(file.toString());
        byte[] bytes;
        try {
            bytes = YamlBytes.read(file);
        } catch (IOException e) {
            throw InventoryException.of(yaml.start(), "cannot read the state file (" + FileErrors.reason(e) + ")",
                    "make it readable; deleting it instead gives every auto entry an address anew (maybe another one)");
        }
        Problems problems = new Problems();
        Node root = yaml.compose(Utf8Text.decode(bytes, yaml), problems).orElse(null);
        Map<String, Inet4Address> v4 = new TreeMap<>();
        Map<String, Inet6Address> v6 = new TreeMap<>();
        if (root instanceof MappingNode top) {
            for (NodeTuple t : top.getValue()) {
                String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : "";
                switch (key) {
                    case "addresses" -> entries(yaml, t.getValueNode(), problems, (k, v) -> v4.put(k, Addresses.ipv4(v)));
                    case "addresses6" -> entries(yaml, t.getValueNode(), problems, (k, v) -> v6.put(k, Addresses.ipv6(v)));
                    default -> problems.add(yaml.at(t.getKeyNode()), "unknown key '" + key + "' in the state file",
                            "the state file has addresses: and addresses6: only; remove it");
                }
            }
        } else if (root != null) {
            problems.add(yaml.at(root), "the state file is not a mapping of addresses: and addresses6:", RESTORE);
        }
        problems.throwIfAny();
        return new AddressState(v4, v6);
    }

    private interface Entry {
        void put(String name, String address);
    }

    private static void entries(YamlFile yaml, Node node, Problems problems, Entry entry) {
        if (node instanceof ScalarNode s && s.getValue().isEmpty()) {
            return;
        }
        if (!(node instanceof MappingNode m)) {
            problems.add(yaml.at(node), "expected indented name: address lines here, found " + YamlFile.kind(node),
                    RESTORE);
            return;
        }
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && t.getValueNode() instanceof ScalarNode v) {
                try {
                    entry.put(k.getValue(), v.getValue());
                } catch (IllegalArgumentException e) {
                    problems.add(yaml.at(v), e.getMessage(),
                            "correct the address, or remove the line (that node then gets an address anew)");
                }
            } else {
                problems.add(yaml.at(t.getKeyNode()), "this line of the state file is not name: address",
                        "correct the line, or remove it (that node then gets an address anew)");
            }
        }
    }

    /** The file's text: a comment saying what it is, then the entries sorted by name. */
    public String text(String inventoryName) {
        StringBuilder b = new StringBuilder();
        b.append("# Addresses that toolkit gen gave to the 'auto' entries of ").append(inventoryName).append(".\n");
        b.append("# Keep this file beside it (commit it too): it keeps every address stable when nodes\n");
        b.append("# are added or removed. Edit the inventory, not this file.\n");
        b.append("addresses:").append(addresses.isEmpty() ? " {}\n" : "\n");
        new TreeMap<>(addresses).forEach((k, v) -> b.append("  ").append(k).append(": ").append(AddressText.of(v)).append('\n'));
        if (!addresses6.isEmpty()) {
            b.append("addresses6:\n");
            // quoted: a bare IPv6 address with '::' is still a plain scalar, but quotes keep it obviously text
            new TreeMap<>(addresses6).forEach((k, v) -> b.append("  ").append(k).append(": \"")
                    .append(AddressText.of(v)).append("\"\n"));
        }
        return b.toString();
    }
}
