package org.mqttvpn.tools.build;

import java.nio.file.Path;
import org.mqttvpn.codegen.inventory.Inventory;
import picocli.CommandLine.Option;

/**
 * --inventory and --output, shared by the commands that take a DEVICE (build, flash, ota): where the
 * device and the project gen rendered for it are looked up.
 */
public final class InventoryOptions {
    @Option(names = "--inventory", paramLabel = "FILE", defaultValue = "network.yaml",
            description = "The network inventory DEVICE is in (default: ${DEFAULT-VALUE}).")
    Path inventory;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR",
            description = "Where gen wrote the projects (default: out/ beside the inventory).")
    Path output;

    /** The device's rendered project; fails as {@link DeviceProject#find} does. */
    public DeviceProject find(String device) {
        return DeviceProject.find(inventory, output, device, System.getenv());
    }

    /** The inventory, for a command that needs more of it than the project; fails as {@link DeviceProject#load}. */
    public Inventory load() {
        return DeviceProject.load(inventory, System.getenv());
    }

    /** The device's rendered project in an inventory already loaded. */
    public DeviceProject find(Inventory loaded, String device) {
        return DeviceProject.of(loaded, output, device);
    }

    public Path inventoryFile() {
        return inventory;
    }
}
