package org.mqttvpn.host.tun;

/** Constants of linux/if_tun.h, linux/if.h and linux/sockios.h, named as in C. */
final class IfTun {
    static final long TUNSETIFF = 0x400454caL;

    static final short IFF_TUN = 0x0001;
    static final short IFF_NO_PI = 0x1000;
    static final short IFF_UP = 0x1;
    static final short IFF_RUNNING = 0x40;

    static final long SIOCGIFFLAGS = 0x8913;
    static final long SIOCSIFFLAGS = 0x8914;
    static final long SIOCSIFADDR = 0x8916;
    static final long SIOCSIFNETMASK = 0x891c;
    static final long SIOCSIFMTU = 0x8922;
    static final long SIOCGIFINDEX = 0x8933;

    static final int IFNAMSIZ = 16;
    /** sizeof(struct ifreq) on Linux (name + the largest union member, struct ifmap). */
    static final int IFREQ_SIZE = 40;
    /** Offset of the union (ifr_addr, ifr_flags, ifr_mtu, ifr_ifindex) in struct ifreq. */
    static final int IFR_UNION = IFNAMSIZ;
    /** sizeof(struct in6_ifreq): in6_addr, u32 prefixlen, int ifindex. */
    static final int IN6_IFREQ_SIZE = 24;

    private IfTun() {
    }
}
