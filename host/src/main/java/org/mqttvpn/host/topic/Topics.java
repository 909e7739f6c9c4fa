package org.mqttvpn.host.topic;

import java.net.InetAddress;
import java.util.Objects;

/**
 * Where a packet goes: {@code <prefix>/<destination address>}. IPv4 uses header bytes
 * 16..19, IPv6 bytes 24..39.
 *
 * <p>IPv6 multicast (ff00::/8: router solicitations, MLD reports) has no topic: the classic
 * protocol defines a broadcast topic for IPv4 only, so such packets are not forwarded and
 * {@link #forPacket} returns null for them. Link-local and other unicast destinations are
 * published like any unicast address.
 *
 * <p>Topic strings are cached per destination so that the data path builds a string only
 * for a destination it has not seen recently. Not thread-safe: one instance per sending
 * thread.
 */
public final class Topics {
    public static final String DEFAULT_PREFIX = "mqttip";
    public static final String BROADCAST_V4 = "255.255.255.255";

    private static final int CACHE_SIZE = 1024; // a power of two

    private final String prefix;
    private final int[] v4Keys = new int[CACHE_SIZE];
    private final String[] v4Topics = new String[CACHE_SIZE];
    private final long[] v6High = new long[CACHE_SIZE];
    private final long[] v6Low = new long[CACHE_SIZE];
    private final String[] v6Topics = new String[CACHE_SIZE];

    public Topics(String prefix) {
        this.prefix = validPrefix(prefix);
    }

    /**
     * The longest prefix, in bytes: the firmware's topic buffers hold this much
     * ({@code MQTTVPN_TOPIC_PREFIX_MAX} in firmware/common/include/mqttvpn/codec.h).
     */
    public static final int MAX_PREFIX_BYTES = 64;

    /**
     * Checks a topic prefix by the rule every node applies (the C core's
     * {@code mqttvpn_topic_prefix_check} is the same rule, and {@code toolkit gen} uses this one):
     * 1..64 characters of printable ASCII ({@code !} to {@code ~}: no space, no control or
     * non-ASCII character), no MQTT wildcard {@code +} or {@code #}, not starting with {@code $}
     * (topics the broker reserves, like {@code $SYS}), not ending with {@code /}. Levels are
     * allowed ({@code home/vpn}); the default {@code mqttip} passes.
     *
     * @return the prefix
     * @throws IllegalArgumentException saying what is wrong, naming the character and its position
     */
    public static String validPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.isEmpty()) {
            throw new IllegalArgumentException("topic prefix is empty");
        }
        if (prefix.length() > MAX_PREFIX_BYTES) {
            throw new IllegalArgumentException("topic prefix '" + shown(prefix) + "' is " + prefix.length()
                    + " characters long; at most " + MAX_PREFIX_BYTES + " fit the firmware's topic buffers");
        }
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            if (c == '+' || c == '#') {
                throw new IllegalArgumentException("topic prefix '" + shown(prefix) + "' contains a wildcard ('" + c
                        + "' at position " + (i + 1) + "), which MQTT does not allow in the topics packets are sent to");
            }
            if (c <= ' ' || c > '~') {
                throw new IllegalArgumentException("topic prefix '" + shown(prefix) + "' contains "
                        + (c == ' ' ? "a space" : String.format("the character U+%04X", (int) c)) + " at position " + (i + 1)
                        + ": use printable ASCII (letters, digits, '/', '-', '_', '.')");
            }
        }
        if (prefix.charAt(0) == '$') {
            throw new IllegalArgumentException("topic prefix '" + shown(prefix) + "' starts with '$': such topics are"
                    + " the broker's own ($SYS), and wildcard subscriptions do not see them");
        }
        if (prefix.endsWith("/")) {
            throw new IllegalArgumentException("topic prefix '" + shown(prefix) + "' ends with '/': leave the slash out");
        }
        return prefix;
    }

    /** The prefix for a message: control characters escaped, long ones cut. */
    private static String shown(String prefix) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < prefix.length() && i < MAX_PREFIX_BYTES; i++) {
            char c = prefix.charAt(i);
            if (c < ' ' || c == 0x7f) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return prefix.length() > MAX_PREFIX_BYTES ? sb + "..." : sb.toString();
    }

    public String forAddress(InetAddress address) {
        return prefix + "/" + AddressText.of(address);
    }

    public String broadcast() {
        return prefix + "/" + BROADCAST_V4;
    }

    /** The topic for the packet's destination, or null when it has none (see class doc). */
    public String forPacket(byte[] p, int len) {
        if (len < 20) {
            return null;
        }
        int version = (p[0] & 0xff) >>> 4;
        if (version == 4) {
            int dst = readInt(p, 16);
            int slot = mix(dst) & (CACHE_SIZE - 1);
            String topic = v4Topics[slot];
            if (topic == null || v4Keys[slot] != dst) {
                topic = prefix + "/" + AddressText.ipv4(p, 16);
                v4Keys[slot] = dst;
                v4Topics[slot] = topic;
            }
            return topic;
        }
        if (version == 6 && len >= 40) {
            if ((p[24] & 0xff) == 0xff) {
                return null;
            }
            long high = readLong(p, 24);
            long low = readLong(p, 32);
            int slot = mix((int) (high ^ (high >>> 32) ^ low ^ (low >>> 32))) & (CACHE_SIZE - 1);
            String topic = v6Topics[slot];
            if (topic == null || v6High[slot] != high || v6Low[slot] != low) {
                topic = prefix + "/" + AddressText.ipv6(p, 24);
                v6High[slot] = high;
                v6Low[slot] = low;
                v6Topics[slot] = topic;
            }
            return topic;
        }
        return null;
    }

    private static int mix(int x) {
        x *= 0x9E3779B9;
        return x ^ (x >>> 16);
    }

    private static int readInt(byte[] p, int i) {
        return ((p[i] & 0xff) << 24) | ((p[i + 1] & 0xff) << 16) | ((p[i + 2] & 0xff) << 8) | (p[i + 3] & 0xff);
    }

    private static long readLong(byte[] p, int i) {
        return ((long) readInt(p, i) << 32) | (readInt(p, i + 4) & 0xffffffffL);
    }
}
