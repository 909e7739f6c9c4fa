package org.mqttvpn.tools.firmware;

import java.io.IOException;
import java.nio.file.Path;
import org.mqttvpn.tools.cli.ExitCode;
import org.mqttvpn.tools.cli.ToolkitException;

/**
 * The firmware packages the build made (firmware/*&#47;target/*.zip), which toolkit.jar carries:
 * the ESP-IDF component that generated IDF projects include, and the Arduino library that
 * {@code toolkit build} compiles sketches with.
 */
public final class FirmwarePackages {
    static final String IDF_COMPONENT = "/firmware/mqtt_vpn.zip";
    static final String ARDUINO_LIBRARY = "/firmware/mqtt_vpn_arduino.zip";

    private FirmwarePackages() {
    }

    /** The packaged mqtt_vpn ESP-IDF component, or null when this build has none. */
    public static Path idfComponent() {
        return unpack(IDF_COMPONENT, "mqtt_vpn.zip");
    }

    /** The packaged Arduino library (a zip arduino-cli can install), or null when this build has none. */
    public static Path arduinoLibrary() {
        return unpack(ARDUINO_LIBRARY, "mqtt_vpn_arduino.zip");
    }

    private static Path unpack(String resource, String name) {
        try {
            return CachedResource.unpack(resource, name, false);
        } catch (IOException e) {
            throw new ToolkitException(ExitCode.FAILURE, "cannot unpack " + name + " from toolkit.jar into "
                    + CachedResource.cacheDir() + " (" + e.getMessage() + "): make that directory writable, or set"
                    + " XDG_CACHE_HOME to a writable directory");
        }
    }
}
