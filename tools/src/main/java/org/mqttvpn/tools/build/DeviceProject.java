package org.mqttvpn.tools.build;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.mqttvpn.codegen.inventory.Device;
import org.mqttvpn.codegen.inventory.Fqbn;
import org.mqttvpn.codegen.inventory.Inventory;
import org.mqttvpn.codegen.inventory.InventoryException;
import org.mqttvpn.codegen.inventory.InventoryLoader;
import org.mqttvpn.codegen.inventory.Platform;
import org.mqttvpn.tools.cli.ExitCode;
import org.mqttvpn.tools.cli.ToolkitException;
import org.mqttvpn.tools.gen.Problems;

/**
 * A device of the network inventory and the project {@code toolkit gen} rendered for it
 * ({@code <output>/<device>/}, output by default {@code out/} beside the inventory), as build
 * and flash need them.
 *
 * @param chip the chip the device's firmware is for (esp8266, esp32, esp32c3, ...)
 */
public record DeviceProject(String name, Platform platform, String fqbn, String chip, Path projectDir) {
    /** Where the build tool puts its output: arduino-cli's --output-dir, idf.py's build/. */
    public Path buildDir() {
        return projectDir.resolve("build");
    }

    /** arduino-cli's image of the sketch: {@code <sketch>.ino.bin}. */
    public Path arduinoImage() {
        return buildDir().resolve(name + ".ino.bin");
    }

    /** idf.py's app image: {@code build/<project>.bin} (gen names the project after the device). */
    public Path idfAppImage() {
        return buildDir().resolve(name + ".bin");
    }

    /** idf.py's list of images and offsets. */
    public Path idfFlasherArgs() {
        return buildDir().resolve("flasher_args.json");
    }

    /**
     * Looks the device up. Fails with the inventory's problems (exit 2), with the known names
     * when there is no such device, or when gen has not rendered its project yet.
     */
    public static DeviceProject find(Path inventoryFile, Path outputDir, String name, Map<String, String> env) {
        return of(load(inventoryFile, env), outputDir, name);
    }

    /** The inventory, as gen reads it; fails with its problems (exit 2). */
    public static Inventory load(Path inventoryFile, Map<String, String> env) {
        try {
            return InventoryLoader.load(inventoryFile, env, InventoryLoader.MissingKey.TO_BE_GENERATED);
        } catch (InventoryException e) {
            throw Problems.of(inventoryFile.toString(), e, "");
        }
    }

    /** As {@link #find}, in an inventory already loaded. */
    public static DeviceProject of(Inventory inventory, Path outputDir, String name) {
        Path inventoryFile = inventory.file();
        Device d = inventory.device(name).orElseThrow(() -> ToolkitException.usage("device '" + name + "' is not in "
                + inventoryFile + "; it has " + (inventory.devices().isEmpty() ? "no devices" : inventory.devices().stream()
                .map(x -> x.name().value()).sorted().collect(Collectors.joining(", ")))));
        Platform platform = d.platform().value();
        Path out = outputDir != null ? outputDir : inventory.directory().resolve("out");
        Path project = out.resolve(name).toAbsolutePath().normalize();
        if (!Files.isDirectory(project)) {
            throw ToolkitException.usage("device '" + name + "' has no project in " + out + " yet: render it with"
                    + " toolkit gen " + inventoryFile + (outputDir != null ? " -o " + outputDir : ""));
        }
        String fqbn = platform == Platform.ESP8266_ARDUINO
                ? (d.board() == null ? Fqbn.DEFAULT_ESP8266 : d.board().value().text()) : null;
        String chip = switch (platform) {
            case ESP8266_ARDUINO -> "esp8266";
            case ESP32_IDF -> d.target() == null ? "esp32" : d.target().value();
            case HOST_SIM -> null;
        };
        return new DeviceProject(name, platform, fqbn, chip, project);
    }

    /** Fails for a virtual device: it runs on Linux, there is nothing to build or flash. */
    public void requireFirmware(String what) {
        if (platform == Platform.HOST_SIM) {
            throw new ToolkitException(ExitCode.USAGE, "device '" + name + "' is a virtual device (host-sim): nothing to "
                    + what + "; start it with " + projectDir.resolve("run.sh"));
        }
    }
}
