package org.mqttvpn.host;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The destinations a node takes packets for from the tunnel: its own addresses, its NAT targets,
 * the broadcast addresses (255.255.255.255 and its subnet's) and multicast. A frame on one of the
 * node's topics whose packet is for anything else (a spoofed or misrouted packet) is dropped
 * and counted as drop_not_for_us, unless the node routes for others (a gateway: --route-for-others).
 * The firmware's netif driver applies the same rule (mqttvpn_netif.c, route_for_others).
 *
 * <p>Allocation-free per packet: the addresses are kept as ints and longs, compared with loops
 * over a few entries. Immutable, so both receiving threads may share it.
 */
public final class OwnDestinations {
    private final int[] v4;
    private final long[] v6; // pairs: high, low

    /**
     * @param address   the node's IPv4 address; with {@code netmask} it gives the subnet's broadcast
     * @param address6  the node's IPv6 address, or null
     * @param natTargets more addresses the node receives for (IPv4 or IPv6)
     */
    public OwnDestinations(Inet4Address address, Inet4Address netmask, Inet6Address address6, List<InetAddress> natTargets) {
        List<Integer> four = new ArrayList<>();
        List<Long> six = new ArrayList<>();
        int a = Addresses.toInt(address);
        int m = Addresses.toInt(netmask);
        four.add(a);
        four.add(-1); // 255.255.255.255
        if (Integer.bitCount(m) <= 30) {
            four.add(a | ~m);
        }
        if (address6 != null) {
            addV6(six, address6);
        }
        for (InetAddress t : natTargets) {
            if (t instanceof Inet4Address t4) {
                four.add(Addresses.toInt(t4));
            } else {
                addV6(six, t);
            }
        }
        // loops, not streams: java.util.stream would be some fifty classes more in the daemon
        int[] distinct = new int[four.size()];
        int n = 0;
        for (int a4 : four) {
            if (!contains(distinct, n, a4)) {
                distinct[n++] = a4;
            }
        }
        v4 = Arrays.copyOf(distinct, n);
        v6 = new long[six.size()];
        for (int i = 0; i < v6.length; i++) {
            v6[i] = six.get(i);
        }
    }

    private static boolean contains(int[] values, int n, int value) {
        for (int i = 0; i < n; i++) {
            if (values[i] == value) {
                return true;
            }
        }
        return false;
    }

    private static void addV6(List<Long> six, InetAddress a) {
        byte[] b = a.getAddress();
        six.add(readLong(b, 0));
        six.add(readLong(b, 8));
    }

    /**
     * Whether the IP packet {@code p[0..len)} (checked as plausible IP before) is for this node:
     * its destination (IPv4 bytes 16..19, IPv6 bytes 24..39) is one of its addresses, a NAT
     * target, a broadcast or a multicast address.
     */
    public boolean accepts(byte[] p, int len) {
        int version = (p[0] & 0xff) >>> 4;
        if (version == 4 && len >= 20) {
            int dst = readInt(p, 16);
            if ((dst >>> 28) == 0xe) {
                return true; // 224.0.0.0/4
            }
            for (int a : v4) {
                if (a == dst) {
                    return true;
                }
            }
            return false;
        }
        if (version == 6 && len >= 40) {
            if ((p[24] & 0xff) == 0xff) {
                return true; // ff00::/8
            }
            long high = readLong(p, 24);
            long low = readLong(p, 32);
            for (int i = 0; i < v6.length; i += 2) {
                if (v6[i] == high && v6[i + 1] == low) {
                    return true;
                }
            }
            return false;
        }
        return false;
    }

    private static int readInt(byte[] p, int i) {
        return ((p[i] & 0xff) << 24) | ((p[i + 1] & 0xff) << 16) | ((p[i + 2] & 0xff) << 8) | (p[i + 3] & 0xff);
    }

    private static long readLong(byte[] p, int i) {
        return ((long) readInt(p, i) << 32) | (readInt(p, i + 4) & 0xffffffffL);
    }
}
