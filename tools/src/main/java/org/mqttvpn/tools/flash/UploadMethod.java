package org.mqttvpn.tools.flash;

import java.util.Locale;

/** How firmware reaches the board: --via native|arduino-cli|idf|auto. */
public enum UploadMethod {
    /** The built-in ROM loader client of this toolkit ({@link Flasher}). */
    NATIVE("native"),
    /** {@code arduino-cli upload}, for sketches (ESP8266). */
    ARDUINO_CLI("arduino-cli"),
    /** {@code idf.py flash}, for ESP-IDF projects (ESP32 family). */
    IDF("idf"),
    /** The project's own tool when it is installed, else the built-in loader. */
    AUTO("auto");

    private final String cliName;

    UploadMethod(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static UploadMethod parse(String s) {
        for (UploadMethod m : values()) {
            if (m.cliName.equals(s.toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("'" + s + "' is not one of native, arduino-cli, idf, auto");
    }
}
