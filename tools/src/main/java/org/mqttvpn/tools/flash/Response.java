package org.mqttvpn.tools.flash;

/**
 * A response frame: {@code 01 op size(2) value(4) data...}. The status bytes sit right after the
 * command-specific data, so where they start depends on the command, not on the frame length
 * (2 status bytes on the ESP8266 ROM, 4 on the ESP32-family ROM: ESP-ROM-PROTOCOL.md §1.4).
 */
public record Response(int opcode, long value, byte[] data) {

    static Response parse(byte[] frame) {
        int op = frame[1] & 0xFF;
        long value = (frame[4] & 0xFFL) | (frame[5] & 0xFFL) << 8 | (frame[6] & 0xFFL) << 16 | (frame[7] & 0xFFL) << 24;
        byte[] data = new byte[frame.length - 8];
        System.arraycopy(frame, 8, data, 0, data.length);
        return new Response(op, value, data);
    }

    /** The first status byte after {@code dataLength} bytes of payload: 0 is success. */
    int status(int dataLength) {
        return data.length > dataLength ? data[dataLength] & 0xFF : -1;
    }

    /** The ROM error code that follows a failed status. */
    int error(int dataLength) {
        return data.length > dataLength + 1 ? data[dataLength + 1] & 0xFF : -1;
    }
}
