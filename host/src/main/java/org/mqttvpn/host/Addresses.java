package org.mqttvpn.host;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Strict parsing of address literals from users: never a DNS lookup, and a message that
 * says what is wrong with the text.
 */
public final class Addresses {
    private Addresses() {
    }

    public static Inet4Address ipv4(String text) {
        String[] parts = text.trim().split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address (four numbers 0..255 with dots, like 10.0.1.1)");
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address (four numbers 0..255 with dots, like 10.0.1.1)");
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                throw new IllegalArgumentException("'" + text + "': " + v + " is larger than 255");
            }
            b[i] = (byte) v;
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Inet4Address netmask(String text) {
        Inet4Address mask = ipv4(text);
        int m = toInt(mask);
        if (m != 0 && (~m & (~m + 1)) != 0) {
            throw new IllegalArgumentException("'" + text + "' is not a netmask: its one bits must be contiguous, like 255.255.255.0");
        }
        return mask;
    }

    public static Inet6Address ipv6(String text) {
        String t = text.trim();
        if (!t.contains(":") || t.contains("%") || t.contains("/")) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv6 address (like fd00::1; give the prefix length separately)");
        }
        if (!t.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv6 address (hex digits and colons, like fd00::1)");
        }
        try {
            InetAddress a = InetAddress.getByName(t); // a literal with ':' is parsed, never looked up
            if (a instanceof Inet6Address a6) {
                return a6;
            }
            throw new IllegalArgumentException("'" + text + "' is an IPv4-mapped address; give a real IPv6 address");
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv6 address (like fd00::1)");
        }
    }

    /** An IPv4 or IPv6 literal. */
    public static InetAddress ip(String text) {
        return text.contains(":") ? ipv6(text) : ipv4(text);
    }

    public static int toInt(Inet4Address a) {
        byte[] b = a.getAddress();
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }
}
