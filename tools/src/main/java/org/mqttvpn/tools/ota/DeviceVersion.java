package org.mqttvpn.tools.ota;

/**
 * What an mqttvpn device runs, as it answers the version query: {@code VERSION <version>
 * <slot>}. The slot is the last word (a/b on host-sim, the OTA partition label on ESP-IDF,
 * {@code -} on the ESP8266, which has no slots); the version is everything between, and may be
 * empty. {@code -}, which the device answers for what it does not know, is kept as empty.
 */
public record DeviceVersion(String version, String slot) {
    /** Reads {@code VERSION <version> <slot>\n}; the caller has seen the "VERSION " prefix. */
    static DeviceVersion parse(String datagram) {
        String rest = datagram.substring("VERSION ".length());
        if (rest.endsWith("\n")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        int space = rest.lastIndexOf(' ');
        String version = space < 0 ? rest : rest.substring(0, space);
        String slot = space < 0 ? "" : rest.substring(space + 1);
        return new DeviceVersion(known(Espota.printable(version.strip())), known(Espota.printable(slot.strip())));
    }

    /** "" for the device's "-": a slot "-" on two answers must not look like one slot. */
    private static String known(String word) {
        return word.equals("-") ? "" : word;
    }

    /**
     * Whether a device that answered {@code this} before an update and {@code after} since has
     * returned to the image it ran before. The slot decides when both answers name one (an
     * update always lands in the other slot, whatever its version text says); without slots,
     * the version text.
     */
    boolean sameImageAs(DeviceVersion after) {
        if (!slot.isEmpty() && !after.slot.isEmpty()) {
            return slot.equals(after.slot);
        }
        return version.equals(after.version);
    }

    /** "version 1.2.0, slot a" as the command prints it. */
    String describe() {
        return "version " + (version.isEmpty() ? "(none)" : version) + ", slot " + (slot.isEmpty() ? "(none)" : slot);
    }
}
