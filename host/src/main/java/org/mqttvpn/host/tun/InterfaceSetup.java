package org.mqttvpn.host.tun;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.charset.StandardCharsets;

/**
 * Addresses, MTU and link state of a network interface, through the netdevice ioctls (no
 * external 'ip' command). Each call opens a control socket and closes it again.
 */
public final class InterfaceSetup {
    private InterfaceSetup() {
    }

    public static void setIpv4(String ifName, Inet4Address address, Inet4Address netmask) throws TunException {
        withSocket(LibC.AF_INET, ifName, "setting IPv4 address " + address.getHostAddress(), sock -> {
            try (Memory ifr = ifreq(ifName)) {
                putSockaddrIn(ifr, address);
                LibC.ioctl(sock, IfTun.SIOCSIFADDR, ifr);
                putSockaddrIn(ifr, netmask);
                LibC.ioctl(sock, IfTun.SIOCSIFNETMASK, ifr);
            }
        });
    }

    public static void setIpv6(String ifName, Inet6Address address, int prefixLength) throws TunException {
        if (prefixLength < 1 || prefixLength > 128) {
            throw new TunException(TunException.Kind.CONFIGURATION, "IPv6 prefix length " + prefixLength + " is outside 1..128");
        }
        withSocket(LibC.AF_INET6, ifName, "setting IPv6 address " + address.getHostAddress() + "/" + prefixLength, sock -> {
            int index;
            try (Memory ifr = ifreq(ifName)) {
                LibC.ioctl(sock, IfTun.SIOCGIFINDEX, ifr);
                index = ifr.getInt(IfTun.IFR_UNION);
            }
            try (Memory req = new Memory(IfTun.IN6_IFREQ_SIZE)) {
                req.clear();
                req.write(0, address.getAddress(), 0, 16);
                req.setInt(16, prefixLength);
                req.setInt(20, index);
                LibC.ioctl(sock, IfTun.SIOCSIFADDR, req);
            }
        });
    }

    public static void setMtu(String ifName, int mtu) throws TunException {
        withSocket(LibC.AF_INET, ifName, "setting MTU " + mtu, sock -> {
            try (Memory ifr = ifreq(ifName)) {
                ifr.setInt(IfTun.IFR_UNION, mtu);
                LibC.ioctl(sock, IfTun.SIOCSIFMTU, ifr);
            }
        });
    }

    public static void up(String ifName) throws TunException {
        withSocket(LibC.AF_INET, ifName, "bringing the interface up", sock -> {
            try (Memory ifr = ifreq(ifName)) {
                LibC.ioctl(sock, IfTun.SIOCGIFFLAGS, ifr);
                short flags = ifr.getShort(IfTun.IFR_UNION);
                ifr.setShort(IfTun.IFR_UNION, (short) (flags | IfTun.IFF_UP | IfTun.IFF_RUNNING));
                LibC.ioctl(sock, IfTun.SIOCSIFFLAGS, ifr);
            }
        });
    }

    private interface SocketAction {
        void run(int sock) throws LastErrorException;
    }

    private static void withSocket(int family, String ifName, String what, SocketAction action) throws TunException {
        int sock;
        try {
            sock = LibC.socket(family, LibC.SOCK_DGRAM, 0);
        } catch (LastErrorException e) {
            String hint = family == LibC.AF_INET6 ? " (is IPv6 disabled on this host?)" : "";
            throw new TunException(TunException.Kind.CONFIGURATION,
                    ifName + ": " + what + ": cannot open a control socket: " + LibC.strerror(e.getErrorCode()) + hint);
        }
        try {
            action.run(sock);
        } catch (LastErrorException e) {
            int errno = e.getErrorCode();
            if (errno == LibC.EPERM || errno == LibC.EACCES) {
                throw new TunException(TunException.Kind.PERMISSION, TunException.needsNetAdmin(ifName + ": " + what));
            }
            throw new TunException(TunException.Kind.CONFIGURATION,
                    ifName + ": " + what + " failed: " + LibC.strerror(errno));
        } finally {
            try {
                LibC.close(sock);
            } catch (LastErrorException ignored) {
                // closing a datagram socket does not fail in a way we could act on
            }
        }
    }

    private static Memory ifreq(String ifName) {
        Memory ifr = new Memory(IfTun.IFREQ_SIZE);
        ifr.clear();
        byte[] name = ifName.getBytes(StandardCharsets.US_ASCII);
        ifr.write(0, name, 0, Math.min(name.length, IfTun.IFNAMSIZ - 1));
        return ifr;
    }

    /** struct sockaddr_in in the ifreq union: family in host order, address in network order. */
    private static void putSockaddrIn(Memory ifr, Inet4Address address) {
        ifr.setMemory(IfTun.IFR_UNION, 16, (byte) 0);
        ifr.setShort(IfTun.IFR_UNION, (short) LibC.AF_INET);
        ifr.write(IfTun.IFR_UNION + 4, address.getAddress(), 0, 4);
    }
}
