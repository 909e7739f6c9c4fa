package org.mqttvpn.codegen.inventory;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.mqttvpn.host.Addresses;
import org.mqttvpn.host.topic.AddressText;

/** The VPN's IPv4 subnet, {@code 10.0.1.0/24}: /8 to /30, written with its network address. */
public record Subnet(int network, int prefixLength) {
    public static final int MIN_PREFIX = 8;
    public static final int MAX_PREFIX = 30;

    public static Subnet parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + text + "' has no prefix length; write it like 10.0.1.0/24");
        }
        Inet4Address address = Addresses.ipv4(text.substring(0, slash));
        int length;
        try {
            length = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "': the prefix length after '/' is not a number");
        }
        if (length < MIN_PREFIX || length > MAX_PREFIX) {
            throw new IllegalArgumentException("'" + text + "': prefix length " + length + " is outside " + MIN_PREFIX
                    + ".." + MAX_PREFIX + " (a VPN needs room for at least two nodes)");
        }
        int a = Addresses.toInt(address);
        int mask = mask(length);
        if ((a & ~mask) != 0) {
            throw new IllegalArgumentException("'" + text + "' has host bits set: the subnet is "
                    + text(a & mask) + "/" + length);
        }
        return new Subnet(a, length);
    }

    private static int mask(int length) {
        return length == 0 ? 0 : -1 << (32 - length);
    }

    public int netmaskInt() {
        return mask(prefixLength);
    }

    public int broadcast() {
        return network | ~netmaskInt();
    }

    public boolean contains(Inet4Address a) {
        return (Addresses.toInt(a) & netmaskInt()) == network;
    }

    public Inet4Address netmask() {
        return address(netmaskInt());
    }

    /** Addresses usable by nodes: all but the network and broadcast addresses. */
    public int firstHost() {
        return network + 1;
    }

    public int lastHost() {
        return broadcast() - 1;
    }

    public static Inet4Address address(int value) {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {
                (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Dotted decimal text of an address held as an int. */
    public static String text(int value) {
        return AddressText.of(address(value));
    }

    @Override
    public String toString() {
        return text(network) + "/" + prefixLength;
    }
}
