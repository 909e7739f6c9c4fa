package org.mqttvpn.tools.ota;

/**
 * What an mqttvpn device runs, as it answers the version query: {@code VERSION <version>
 * <slot>}. The slot is the last word (a/b on host-sim, the OTA partition label on ESP-IDF);
 * the version is everything between, and may be empty.
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
        return new DeviceVersion(Espota.printable(version.strip()), Espota.printable(slot.strip()));
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
