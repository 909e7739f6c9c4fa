package org.mqttvpn.codegen.inventory;

import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import org.mqttvpn.host.Addresses;
import org.mqttvpn.host.topic.AddressText;

/** The VPN's optional IPv6 prefix, {@code fd00:1::/64}: /16 to /126, host bits zero. */
public record Ipv6Prefix(BigInteger network, int prefixLength) {
    private static final BigInteger ALL = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    public static Ipv6Prefix parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + text + "' has no prefix length; write it like fd00:1::/64");
        }
        Inet6Address address = Addresses.ipv6(text.substring(0, slash));
        int length;
        try {
            length = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "': the prefix length after '/' is not a number");
        }
        if (length < 16 || length > 126) {
            throw new IllegalArgumentException("'" + text + "': prefix length " + length + " is outside 16..126");
        }
        BigInteger a = new BigInteger(1, address.getAddress());
        BigInteger mask = mask(length);
        if (!a.and(mask.not().and(ALL)).equals(BigInteger.ZERO)) {
            throw new IllegalArgumentException("'" + text + "' has host bits set: the prefix is "
                    + AddressText.of(address(a.and(mask))) + "/" + length);
        }
        return new Ipv6Prefix(a, length);
    }

    private static BigInteger mask(int length) {
        return ALL.shiftRight(128 - length).shiftLeft(128 - length);
    }

    public boolean contains(Inet6Address a) {
        return new BigInteger(1, a.getAddress()).and(mask(prefixLength)).equals(network);
    }

    /** The address {@code host} places into the prefix (1 is prefix::1). */
    public Inet6Address address(long host) {
        return address(network.add(BigInteger.valueOf(host)));
    }

    /** The host part of an address in this prefix. */
    public BigInteger hostPart(Inet6Address a) {
        return new BigInteger(1, a.getAddress()).and(mask(prefixLength).not().and(ALL));
    }

    public BigInteger hostCount() {
        return BigInteger.ONE.shiftLeft(128 - prefixLength);
    }

    static Inet6Address address(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] b = new byte[16];
        int n = Math.min(16, raw.length);
        System.arraycopy(raw, raw.length - n, b, 16 - n, n);
        try {
            return (Inet6Address) InetAddress.getByAddress(null, b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(Arrays.toString(b), e);
        }
    }

    @Override
    public String toString() {
        return AddressText.of(address(network)) + "/" + prefixLength;
    }
}
