package org.mqttvpn.tools.serial;

import java.util.Optional;

/**
 * One serial port as the system lists it.
 *
 * @param path         device path, e.g. /dev/ttyUSB0
 * @param byIdName     its stable name under /dev/serial/by-id, or null when it has none
 * @param vendorId     USB vendor id, or -1 when not a USB device
 * @param productId    USB product id, or -1
 * @param serialNumber USB serial number, or null
 * @param description  what the driver says the device is
 */
public record SerialPortInfo(String path, String byIdName, int vendorId, int productId, String serialNumber,
        String description) {

    public boolean isUsb() {
        return vendorId >= 0 && productId >= 0;
    }

    public Optional<EspBridge> espBridge() {
        return isUsb() ? EspBridge.of(vendorId, productId) : Optional.empty();
    }

    public boolean looksLikeEsp() {
        return espBridge().isPresent();
    }

    /** The chip's own USB peripheral, which needs its own reset sequences ({@link EspBridge#isBuiltInUsb}). */
    public boolean isBuiltInUsb() {
        return espBridge().map(EspBridge::isBuiltInUsb).orElse(false);
    }

    /** "10c4:ea60", or "-" for a port that is not on USB. */
    public String vidPid() {
        return isUsb() ? String.format("%04x:%04x", vendorId, productId) : "-";
    }

    /** One line for lists in error messages: path, by-id name and bridge. */
    public String summary() {
        StringBuilder s = new StringBuilder(path);
        if (byIdName != null) {
            s.append(" (").append(byIdName).append(')');
        }
        if (isUsb()) {
            s.append(" [").append(vidPid()).append(espBridge().map(b -> " " + b.description()).orElse("")).append(']');
        }
        return s.toString();
    }
}
