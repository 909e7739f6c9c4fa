package org.mqttvpn.host.mqtt;

/**
 * The two pieces of MQTT 3.1.1 framing the direct path needs (section 2.2): the fixed
 * header's packet type and QoS bits, and the "remaining length", a variable-length integer of
 * one to four bytes, seven bits each, least significant first.
 */
final class MqttWire {
    static final int PUBLISH = 3;
    /** The largest remaining length four bytes can say. */
    static final int MAX_REMAINING_LENGTH = 268_435_455;
    /** What {@link #decodeRemainingLength} returns when more bytes are needed. */
    static final long INCOMPLETE = -1;

    private MqttWire() {
    }

    static int packetType(byte first) {
        return (first & 0xff) >>> 4;
    }

    static int qos(byte first) {
        return (first >>> 1) & 3;
    }

    /** Bytes needed to encode {@code value} as a remaining length. */
    static int remainingLengthBytes(int value) {
        return value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
    }

    /** Writes {@code value} as a remaining length at {@code at}; returns the bytes written. */
    static int encodeRemainingLength(int value, byte[] buf, int at) {
        if (value < 0 || value > MAX_REMAINING_LENGTH) {
            throw new IllegalArgumentException("remaining length outside 0.." + MAX_REMAINING_LENGTH + ": " + value);
        }
        int i = at;
        do {
            int digit = value & 0x7f;
            value >>>= 7;
            buf[i++] = (byte) (value > 0 ? digit | 0x80 : digit);
        } while (value > 0);
        return i - at;
    }

    /**
     * Decodes the fixed header of a packet starting at {@code start}, with {@code end}
     * exclusive: returns {@code headerLength << 32 | remainingLength}, or {@link #INCOMPLETE}
     * when the bytes so far do not finish it.
     *
     * @throws MalformedPacketException when the remaining length runs past four bytes
     */
    static long decodeFixedHeader(byte[] buf, int start, int end) throws MalformedPacketException {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int at = start + 1 + i;
            if (at >= end) {
                return INCOMPLETE;
            }
            int b = buf[at] & 0xff;
            value |= (b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0) {
                return ((long) (i + 2) << 32) | value;
            }
        }
        throw new MalformedPacketException("a remaining length longer than four bytes");
    }

    static int headerLength(long decoded) {
        return (int) (decoded >>> 32);
    }

    static int remainingLength(long decoded) {
        return (int) decoded;
    }

    /** The stream from or to the broker is not MQTT any more; the connection must go. */
    static final class MalformedPacketException extends java.io.IOException {
        private static final long serialVersionUID = 1L;

        MalformedPacketException(String what) {
            super("malformed MQTT packet (" + what + "): is -b the address and port of an MQTT broker?");
        }
    }
}
