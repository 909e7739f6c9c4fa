package org.mqttvpn.tools.flash;

import java.util.Arrays;

/**
 * SLIP framing of the ESP serial bootloader: each packet is {@code C0 <escaped payload> C0}, with
 * C0 sent as DB DC and DB as DB DD (ESP-ROM-PROTOCOL.md §1.1).
 */
public final class Slip {
    public static final int END = 0xC0;
    public static final int ESC = 0xDB;
    public static final int ESC_END = 0xDC;
    public static final int ESC_ESC = 0xDD;

    private Slip() {
    }

    /** The longest frame a packet of {@code length} bytes can become: every byte escaped. */
    public static int maxFrameLength(int length) {
        return 2 * length + 2;
    }

    /**
     * Frames {@code packet[0, length)} into {@code out}, which must hold
     * {@link #maxFrameLength}({@code length}) bytes; returns the frame's length.
     */
    public static int encode(byte[] packet, int length, byte[] out) {
        int n = 0;
        out[n++] = (byte) END;
        for (int i = 0; i < length; i++) {
            byte b = packet[i];
            if (b == (byte) END) {
                out[n++] = (byte) ESC;
                out[n++] = (byte) ESC_END;
            } else if (b == (byte) ESC) {
                out[n++] = (byte) ESC;
                out[n++] = (byte) ESC_ESC;
            } else {
                out[n++] = b;
            }
        }
        out[n++] = (byte) END;
        return n;
    }

    /** The frame of a whole packet, in a new array. */
    public static byte[] encode(byte[] packet) {
        byte[] out = new byte[maxFrameLength(packet.length)];
        return Arrays.copyOf(out, encode(packet, packet.length, out));
    }
}
