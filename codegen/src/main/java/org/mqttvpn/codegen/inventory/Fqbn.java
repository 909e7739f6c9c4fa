package org.mqttvpn.codegen.inventory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * An Arduino fully qualified board name, {@code vendor:arch:board[:option=value,...]}, as
 * arduino-cli takes it with {@code --fqbn}.
 */
public record Fqbn(String vendor, String architecture, String board, Map<String, String> options) {
    public static final String DEFAULT_ESP8266 = "esp8266:esp8266:nodemcuv2";
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9._-]+");

    public static Fqbn parse(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length < 3 || parts.length > 4) {
            throw new IllegalArgumentException("'" + text + "' is not vendor:arch:board[:option=value,...]");
        }
        for (int i = 0; i < 3; i++) {
            if (!PART.matcher(parts[i]).matches()) {
                throw new IllegalArgumentException("'" + text + "': part " + (i + 1) + " ('" + parts[i]
                        + "') must be letters, digits, '.', '_' or '-'");
            }
        }
        Map<String, String> options = new LinkedHashMap<>();
        if (parts.length == 4) {
            for (String option : parts[3].split(",", -1)) {
                int eq = option.indexOf('=');
                if (eq <= 0 || !PART.matcher(option.substring(0, eq)).matches()
                        || !PART.matcher(option.substring(eq + 1)).matches()) {
                    throw new IllegalArgumentException("'" + text + "': board option '" + option + "' is not option=value");
                }
                options.put(option.substring(0, eq), option.substring(eq + 1));
            }
        }
        return new Fqbn(parts[0], parts[1], parts[2], Map.copyOf(options));
    }

    /** The FQBN as arduino-cli takes it, options in a stable (sorted) order. */
    public String text() {
        StringBuilder t = new StringBuilder(vendor + ":" + architecture + ":" + board);
        if (!options.isEmpty()) {
            t.append(':');
            new TreeMap<>(options).forEach((k, v) -> t.append(k).append('=').append(v).append(','));
            t.setLength(t.length() - 1);
        }
        return t.toString();
    }
}
