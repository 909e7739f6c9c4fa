package org.mqttvpn.tools.flash;

import java.nio.file.Path;

/**
 * A file to flash and its flash address, as written on the command line: {@code FILE[@ADDR]}.
 * ADDR is hex with 0x or decimal; FILE alone means address 0 (the whole-flash .bin that an
 * ESP8266 Arduino build makes).
 */
public record ImageSpec(Path file, long address) {

    public static ImageSpec parse(String text) {
        int at = text.lastIndexOf('@');
        if (at < 0) {
            return new ImageSpec(Path.of(text), 0);
        }
        String file = text.substring(0, at);
        String addr = text.substring(at + 1);
        if (file.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' has no file name before @");
        }
        return new ImageSpec(Path.of(file), parseAddress(addr));
    }

    public static long parseAddress(String s) {
        try {
            long v = s.startsWith("0x") || s.startsWith("0X") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
            if (v < 0 || v > 0xFFFFFFFFL) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not a flash address (write 0x10000 or 65536)");
        }
    }

    @Override
    public String toString() {
        return file + "@0x" + Long.toHexString(address);
    }
}
