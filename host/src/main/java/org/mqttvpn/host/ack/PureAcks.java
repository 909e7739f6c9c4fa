package org.mqttvpn.host.ack;

/**
 * Pure TCP acknowledgements, and when a later one makes an earlier one redundant.
 *
 * <p>Why: every packet is one MQTT message, and the broker's message rate is what limits the
 * tunnel. A TCP receiver acknowledges every second segment, so a bulk transfer sends one
 * ACK message for every two data messages: a third of the broker's capacity. When several
 * pure ACKs of one connection are queued at once, the last one says everything the earlier
 * ones say (acknowledgements are cumulative), so the earlier ones need not be sent. This is
 * the rule of Linux's CAKE "ack-filter" in its conservative form:
 * <ul>
 *   <li>both are pure ACKs (flag ACK alone, no payload) of the same connection, same IP version,
 *       no IPv4 options or fragments, no IPv6 extension headers, not marked CE;
 *   <li>the later one acknowledges strictly more (a duplicate ACK is never dropped: duplicates
 *       are the sender's signal of loss) and offers at least the same window;
 *   <li>the earlier one carries no TCP option but NOP, EOL and timestamps (no SACK blocks,
 *       nothing unknown).
 * </ul>
 */
public final class PureAcks {
    private static final int PROTO_TCP = 6;
    private static final int FLAG_ACK = 0x10;
    private static final int OPT_EOL = 0;
    private static final int OPT_NOP = 1;
    private static final int OPT_TIMESTAMPS = 8;

    private PureAcks() {
    }

    /** The TCP header's offset if {@code p} is a pure ACK (see class doc), else -1. */
    public static int tcpOffset(byte[] p, int len) {
        if (len < 40) {
            return -1;
        }
        int version = (p[0] & 0xff) >>> 4;
        int t;
        if (version == 4) {
            boolean simple = (p[0] & 0x0f) == 5 && (p[9] & 0xff) == PROTO_TCP && (u16(p, 6) & 0x3fff) == 0;
            if (!simple || (p[1] & 3) == 3) {
                return -1;
            }
            t = 20;
        } else if (version == 6) {
            if ((p[6] & 0xff) != PROTO_TCP || ((p[1] >>> 4) & 3) == 3 || len < 60) {
                return -1;
            }
            t = 40;
        } else {
            return -1;
        }
        int dataOffset = ((p[t + 12] & 0xff) >>> 4) * 4;
        boolean noPayload = dataOffset >= 20 && t + dataOffset == len;
        boolean ackOnly = (p[t + 13] & 0xff) == FLAG_ACK && (p[t + 12] & 0x01) == 0; // and no NS bit
        return noPayload && ackOnly ? t : -1;
    }

    /**
     * True when the pure ACK {@code newer} (queued after {@code older}) makes the pure ACK
     * {@code older} redundant. Both must be pure ACKs ({@link #tcpOffset} not -1).
     */
    public static boolean supersedes(byte[] newer, int newerLen, byte[] older, int olderLen) {
        int tn = tcpOffset(newer, newerLen);
        int to = tcpOffset(older, olderLen);
        if (tn < 0 || to < 0 || tn != to) {
            return false;
        }
        // same connection: addresses (v4: 12..19, v6: 8..39) and ports
        int addrFrom = tn == 20 ? 12 : 8;
        for (int i = addrFrom; i < tn; i++) {
            if (newer[i] != older[i]) {
                return false;
            }
        }
        for (int i = 0; i < 4; i++) {
            if (newer[tn + i] != older[to + i]) {
                return false;
            }
        }
        int newerAck = s32(newer, tn + 8);
        int olderAck = s32(older, to + 8);
        if (newerAck - olderAck <= 0) {
            return false; // equal: a duplicate ACK, which the sender counts
        }
        if (u16(newer, tn + 14) < u16(older, to + 14)) {
            return false;
        }
        return onlyHarmlessOptions(older, to, olderLen);
    }

    private static boolean onlyHarmlessOptions(byte[] p, int t, int len) {
        int i = t + 20;
        while (i < len) {
            int kind = p[i] & 0xff;
            if (kind == OPT_EOL) {
                return true;
            }
            if (kind == OPT_NOP) {
                i++;
                continue;
            }
            if (kind == OPT_TIMESTAMPS && i + 1 < len && (p[i + 1] & 0xff) == 10) {
                i += 10;
                continue;
            }
            return false; // SACK blocks, or anything this rule does not know
        }
        return i == len;
    }

    private static int u16(byte[] p, int i) {
        return ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
    }

    private static int s32(byte[] p, int i) {
        return (u16(p, i) << 16) | u16(p, i + 2);
    }
}
