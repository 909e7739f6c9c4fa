package org.mqttvpn.host;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.mqttvpn.host.topic.AddressText;

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
            if (p.isEmpty() || p.length() > 3 || !allDecimalDigits(p)) {
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

    // Loops, not streams: the daemon parses its addresses with these, and java.util.stream is
    // some fifty classes it would load for nothing else.
    private static boolean allDecimalDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean allIpv6Characters(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.digit(c, 16) < 0 && c != ':' && c != '.') {
                return false;
            }
        }
        return true;
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
        if (!allIpv6Characters(t)) {
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

    /**
     * A node's own address or a host it receives for: a unicast address. Refused: the
     * unspecified address (0.0.0.0, ::), loopback (127/8, ::1), multicast (224/4, ff00::/8),
     * the limited broadcast and the reserved 240/4. Such an address cannot take part in the
     * tunnel: the kernel refuses some of them on an interface, and the others would have a topic
     * that every node, or none, reads.
     *
     * @throws IllegalArgumentException saying what kind of address it is
     */
    public static <A extends InetAddress> A unicast(A a) {
        String kind = null;
        if (a.isAnyLocalAddress()) {
            kind = "the unspecified address";
        } else if (a.isLoopbackAddress()) {
            kind = "a loopback address";
        } else if (a.isMulticastAddress()) {
            kind = "a multicast address";
        } else if (a instanceof Inet4Address a4 && toInt(a4) == -1) {
            kind = "the broadcast address";
        } else if (a instanceof Inet4Address a4 && (toInt(a4) >>> 28) == 0xf) {
            kind = "in the reserved range 240.0.0.0/4";
        }
        if (kind != null) {
            throw new IllegalArgumentException("'" + AddressText.of(a) + "' is " + kind
                    + "; give a unicast address, like " + (a instanceof Inet4Address ? "10.0.1.1" : "fd00::1"));
        }
        return a;
    }

    /**
     * The address given to a node in the subnet {@code mask}: not the subnet's network or
     * broadcast address (those exist in subnets of 4 addresses or more).
     */
    public static Inet4Address inSubnet(Inet4Address address, Inet4Address mask) {
        int a = toInt(address);
        int m = toInt(mask);
        if (Integer.bitCount(m) <= 30) {
            if ((a & ~m) == 0) {
                throw new IllegalArgumentException("'" + address.getHostAddress() + "' is the network address of its subnet "
                        + address.getHostAddress() + "/" + Integer.bitCount(m) + "; give a node an address inside it");
            }
            if ((a | m) == -1) {
                throw new IllegalArgumentException("'" + address.getHostAddress() + "' is the broadcast address of its subnet"
                        + " (netmask " + mask.getHostAddress() + "); give a node an address inside it");
            }
        }
        return address;
    }

    public static int toInt(Inet4Address a) {
        byte[] b = a.getAddress();
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }
}
