package org.mqttvpn.host.codec;

/**
 * The sanity check a packet must pass before it is written to the interface: version 4 or 6,
 * and a length field that agrees with the bytes received.
 */
public final class PacketCheck {
    public static final int IPV4_HEADER = 20;
    public static final int IPV6_HEADER = 40;

    private PacketCheck() {
    }

    /** Returns null when the packet is acceptable, otherwise why it is not. */
    public static DropReason check(byte[] p, int off, int len, int mtu) {
        if (len > mtu) {
            return DropReason.TOO_LONG;
        }
        return isIp(p, off, len) ? null : DropReason.NOT_IP;
    }

    public static boolean isIp(byte[] p, int off, int len) {
        if (len < IPV4_HEADER) {
            return false;
        }
        int version = (p[off] & 0xff) >>> 4;
        if (version == 4) {
            int headerLength = (p[off] & 0x0f) * 4;
            int totalLength = u16(p, off + 2);
            return headerLength >= IPV4_HEADER && headerLength <= totalLength && totalLength == len;
        }
        if (version == 6) {
            return len >= IPV6_HEADER && u16(p, off + 4) + IPV6_HEADER == len;
        }
        return false;
    }

    private static int u16(byte[] p, int i) {
        return ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
    }
}
