package org.mqttvpn.tools.build;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * --inventory and --output, shared by the commands that take a DEVICE (build, flash): where the
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
}
