package org.mqttvpn.tools.ota;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.mqttvpn.codegen.address.AddressAllocator;
import org.mqttvpn.codegen.address.AddressState;
import org.mqttvpn.codegen.address.Assignments;
import org.mqttvpn.codegen.inventory.Device;
import org.mqttvpn.codegen.inventory.Inventory;
import org.mqttvpn.codegen.inventory.InventoryException;
import org.mqttvpn.codegen.inventory.Platform;
import org.mqttvpn.codegen.inventory.SecretValue;
import org.mqttvpn.tools.build.DeviceProject;
import org.mqttvpn.tools.build.InventoryOptions;
import org.mqttvpn.tools.cli.ExitCode;
import org.mqttvpn.tools.cli.ToolkitException;
import org.mqttvpn.tools.gen.Problems;
import org.mqttvpn.tools.sim.SimBinary;

/**
 * Where an upload goes and what it sends: a device of the inventory (its VPN address, its
 * platform's OTA port, its OTA password, the image its build made), or the same given by hand.
 *
 * @param label    the device's name, or its address when given by hand
 * @param image    the file to upload
 * @param hint     how to make the image when it is missing, or null
 * @param platform the device's platform, or null when given by hand
 */
public record OtaTarget(String label, InetAddress address, int port, Path image, String hint, String password,
                        Platform platform) {
    /** The OTA port of each platform (OTA-PROTOCOL.md): ArduinoOTA's on the ESP8266, 3232 elsewhere. */
    public static int portOf(Platform platform) {
        return platform == Platform.ESP8266_ARDUINO ? 8266 : 3232;
    }

    /** Port of a target given by hand without --port: ESP-IDF's and host-sim's. */
    public static final int DEFAULT_PORT = 3232;

    /**
     * The device named in the inventory. Fails (exit 2) with the inventory's problems, for an
     * unknown device or one gen has not rendered yet, and (exit {@link ExitCode#OTA_NO_PASSWORD})
     * for a device without an OTA password, saying how to give it one.
     */
    public static OtaTarget ofDevice(InventoryOptions options, String name) {
        Inventory inventory = options.load();
        DeviceProject project = options.find(inventory, name);
        Device device = inventory.device(name).orElseThrow();
        Path file = options.inventoryFile();
        Optional<SecretValue> password = inventory.otaPassword(device);
        if (password.isEmpty()) {
            String steps = "then toolkit gen " + file + (device.platform().value() == Platform.HOST_SIM
                    ? " and restart it with its run.sh" : ", toolkit build " + name + " and toolkit flash " + name
                    + " once by cable") + ": the firmware it runs must have OTA before it can take updates through the VPN";
            throw new ToolkitException(ExitCode.OTA_NO_PASSWORD, device.ota() != null && !device.ota().value()
                    ? "device '" + name + "' has OTA turned off (ota: false at " + device.ota().at() + "): remove that"
                    + " line, " + steps
                    : "device '" + name + "' has no OTA password: add ota_password: generate to network: (or to the"
                    + " device) in " + file + ", " + steps);
        }
        if (password.get().value() == null) {
            throw new ToolkitException(ExitCode.OTA_NO_PASSWORD, "the OTA password of device '" + name + "' is to be"
                    + " generated (ota_password: generate) and has not been yet: run toolkit gen " + file + " (it writes "
                    + inventory.generatedOtaPasswordFile(device) + " and puts the password in the device's project),"
                    + " then build and flash it once by cable");
        }
        Assignments assignments;
        try {
            assignments = AddressAllocator.assign(inventory, AddressState.read(Inventory.stateFileOf(file)));
        } catch (InventoryException e) {
            throw Problems.of(Inventory.stateFileOf(file).toString(), e, "");
        }
        if (assignments.newlyAssigned().contains(name)) {
            throw ToolkitException.usage("device '" + name + "' has an auto address that has not been given out yet:"
                    + " run toolkit gen " + file + " first (it records addresses in "
                    + Inventory.stateFileOf(file).getFileName() + ")");
        }
        Platform platform = device.platform().value();
        Path image;
        String hint;
        switch (platform) {
            case ESP8266_ARDUINO -> {
                image = project.arduinoImage();
                hint = "build it with toolkit build " + name;
            }
            case ESP32_IDF -> {
                image = project.idfAppImage();
                hint = "build it with toolkit build " + name;
            }
            default -> {
                image = SimBinary.locate();
                hint = null;
            }
        }
        if (hint != null && !Files.exists(image)) {
            throw new ToolkitException(ExitCode.OTA_IMAGE_UNREADABLE, "device '" + name + "' is not built (no " + image
                    + "): " + hint);
        }
        return new OtaTarget(name, assignments.address(device), portOf(platform), image, hint,
                password.get().value(), platform);
    }
}
