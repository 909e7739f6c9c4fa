package org.mqttvpn.tools.flash;

import org.mqttvpn.tools.build.ArduinoCli;
import org.mqttvpn.tools.build.IdfPy;
import org.mqttvpn.tools.cli.ToolkitException;

/**
 * Turns --via into the method to use. auto prefers the project's own tool when it is installed
 * (it knows the partition layout and build flags), else the built-in loader with the images;
 * an explicit method must have what it needs, or the message says what is missing.
 */
public final class UploadMethodSelector {
    private UploadMethodSelector() {
    }

    public static UploadMethod select(UploadMethod requested, FlashTarget target, ArduinoCli arduino, IdfPy idf) {
        switch (requested) {
            case NATIVE -> {
                if (target.images().isEmpty()) {
                    throw ToolkitException.usage("--via native needs images: --image FILE[@ADDR]");
                }
                return UploadMethod.NATIVE;
            }
            case ARDUINO_CLI -> {
                if (target.arduino() == null) {
                    throw ToolkitException.usage("--via arduino-cli needs a sketch: --sketch DIR --fqbn FQBN --build-dir DIR");
                }
                return UploadMethod.ARDUINO_CLI;
            }
            case IDF -> {
                if (target.idf() == null) {
                    throw ToolkitException.usage("--via idf needs an ESP-IDF project: --idf-project DIR");
                }
                return UploadMethod.IDF;
            }
            default -> {
                if (target.arduino() != null && arduino.isInstalled()) {
                    return UploadMethod.ARDUINO_CLI;
                }
                if (target.idf() != null && idf.isInstalled()) {
                    return UploadMethod.IDF;
                }
                if (!target.images().isEmpty()) {
                    return UploadMethod.NATIVE;
                }
                if (target.arduino() != null) {
                    return UploadMethod.ARDUINO_CLI; // fails with arduino-cli's install steps
                }
                if (target.idf() != null) {
                    return UploadMethod.IDF; // fails with ESP-IDF's install steps
                }
                throw ToolkitException.usage("nothing to flash: give --image FILE[@ADDR] (or a project: --sketch/--fqbn/"
                        + "--build-dir, or --idf-project)");
            }
        }
    }
}
