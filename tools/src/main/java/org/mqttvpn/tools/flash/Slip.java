package org.mqttvpn.tools.flash;

import java.io.ByteArrayOutputStream;

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

    public static byte[] encode(byte[] packet) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(packet.length + 16);
        out.write(END);
        for (byte b : packet) {
            int v = b & 0xFF;
            if (v == END) {
                out.write(ESC);
                out.write(ESC_END);
            } else if (v == ESC) {
                out.write(ESC);
                out.write(ESC_ESC);
            } else {
                out.write(v);
            }
        }
        out.write(END);
        return out.toByteArray();
    }

    /** Bytes on the wire for {@code packet}: two delimiters plus one extra byte per escaped byte. */
    public static int wireLength(byte[] packet) {
        int n = packet.length + 2;
        for (byte b : packet) {
            int v = b & 0xFF;
            if (v == END || v == ESC) {
                n++;
            }
        }
        return n;
    }
}
