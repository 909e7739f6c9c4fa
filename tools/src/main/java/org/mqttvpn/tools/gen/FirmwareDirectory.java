package org.mqttvpn.tools.gen;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds this repository's firmware/ directory from where toolkit.jar (or the classes) were
 * loaded: tools/target/toolkit.jar lies three levels below the repository root.
 */
final class FirmwareDirectory {
    private FirmwareDirectory() {
    }

    /** The firmware/ directory holding esp32-idf/include/mqtt_vpn.h, or null when not found. */
    static Path find() {
        Path start;
        try {
            start = Path.of(FirmwareDirectory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            return null;
        }
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            Path firmware = p.resolve("firmware");
            if (Files.isRegularFile(firmware.resolve("esp32-idf/include/mqtt_vpn.h"))) {
                return firmware;
            }
        }
        return null;
    }
}
