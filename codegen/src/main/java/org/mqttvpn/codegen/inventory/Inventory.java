package org.mqttvpn.codegen.inventory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.mqttvpn.host.mqtt.BrokerUri;

/**
 * A validated network inventory: every reference resolved, every address either fixed or
 * {@code auto} (assigned by {@link org.mqttvpn.codegen.address.AddressAllocator}).
 */
public record Inventory(Path file, Network network, List<Host> hosts, List<Device> devices) {
    /** The directory relative references (file:PATH) start from, and where the key and state files live. */
    public Path directory() {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of("/") : parent;
    }

    /** Hosts and devices, in the order they are written in the file. */
    public List<Member> members() {
        return inFileOrder(hosts, devices);
    }

    static List<Member> inFileOrder(List<Host> hosts, List<Device> devices) {
        List<Member> all = new ArrayList<>(hosts);
        all.addAll(devices);
        all.sort(Comparator.comparing(Member::at));
        return all;
    }

    public Optional<Host> host(String name) {
        return hosts.stream().filter(h -> h.name().value().equals(name)).findFirst();
    }

    public Optional<Device> device(String name) {
        return devices.stream().filter(d -> d.name().value().equals(name)).findFirst();
    }

    /**
     * The brokers a node uses, its home broker first: its own {@code brokers:}, else the
     * network's. The network's {@code broker_order} and {@code broker_return} apply to both.
     */
    public List<Located<BrokerUri>> brokersOf(Member m) {
        return m.brokers().isEmpty() ? network.brokers() : m.brokers();
    }

    /** The file a {@code key: generate} key is kept in: {@code <network name>.key} beside the inventory. */
    public Path generatedKeyFile() {
        return generatedKeyFileOf(file, network.name().value());
    }

    static Path generatedKeyFileOf(Path inventoryFile, String networkName) {
        return inventoryFile.toAbsolutePath().getParent().resolve(networkName + ".key");
    }

    /**
     * A device's OTA password: its own {@code ota_password}, else the network's; none with
     * {@code ota: false}. Updates through the VPN are on for a device exactly when it has one.
     * The value is null only for a {@code generate} password gen has not made yet.
     */
    public Optional<SecretValue> otaPassword(Device d) {
        if (d.ota() != null && !d.ota().value()) {
            return Optional.empty();
        }
        return Optional.ofNullable(d.otaPassword() != null ? d.otaPassword() : network.otaPassword());
    }

    /**
     * The file a device's {@code ota_password: generate} is kept in, beside the inventory: the
     * network's {@code <network>.ota-password} when the password is the network's, the device's
     * own {@code <network>.<device>.ota-password} when it has one (names hold no dots, so these
     * never collide).
     */
    public Path generatedOtaPasswordFile(Device d) {
        return generatedOtaPasswordFileOf(file, network.name().value(), d.otaPassword() != null ? d.name().value() : null);
    }

    /** @param device null for the network's password */
    static Path generatedOtaPasswordFileOf(Path inventoryFile, String networkName, String device) {
        return inventoryFile.toAbsolutePath().getParent()
                .resolve(networkName + (device == null ? "" : "." + device) + ".ota-password");
    }

    /** The file {@code auto} assignments are kept in: {@code <inventory name>.state.yaml} beside it. */
    public static Path stateFileOf(Path inventoryFile) {
        String name = inventoryFile.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        Path parent = inventoryFile.toAbsolutePath().getParent();
        return parent.resolve(stem + ".state.yaml");
    }
}
