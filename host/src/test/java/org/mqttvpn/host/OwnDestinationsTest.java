package org.mqttvpn.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which packets from the tunnel are for this host: the rule of the daemon's inbound path
 * (drop_not_for_us) and of the firmware's netif driver. Packets built from bytes, as the
 * kernel would see them.
 */
class OwnDestinationsTest {
    private final OwnDestinations host = new OwnDestinations(Addresses.ipv4("10.0.1.1"), Addresses.netmask("255.255.255.0"),
            Addresses.ipv6("fd00::1"), List.<InetAddress>of(Addresses.ipv4("192.168.4.2"), Addresses.ipv6("fd00:4::2")));

    static byte[] ipv4(String src, String dst) {
        byte[] p = new byte[28];
        p[0] = 0x45;
        p[3] = 28;
        p[9] = 17;
        System.arraycopy(Addresses.ipv4(src).getAddress(), 0, p, 12, 4);
        System.arraycopy(Addresses.ipv4(dst).getAddress(), 0, p, 16, 4);
        return p;
    }

    static byte[] ipv6(String src, String dst) {
        byte[] p = new byte[48];
        p[0] = 0x60;
        p[5] = 8;
        p[6] = 17;
        System.arraycopy(Addresses.ipv6(src).getAddress(), 0, p, 8, 16);
        System.arraycopy(Addresses.ipv6(dst).getAddress(), 0, p, 24, 16);
        return p;
    }

    private boolean v4(String dst) {
        byte[] p = ipv4("10.0.1.2", dst);
        return host.accepts(p, p.length);
    }

    private boolean v6(String dst) {
        byte[] p = ipv6("fd00::2", dst);
        return host.accepts(p, p.length);
    }

    @Test
    void ipv4PacketsForTheOwnAddressBroadcastMulticastAndNatTargetsAreForThisHost() {
        assertThat(v4("10.0.1.1")).isTrue();
        assertThat(v4("255.255.255.255")).isTrue();
        assertThat(v4("10.0.1.255")).as("the subnet's broadcast").isTrue();
        assertThat(v4("224.0.0.1")).isTrue();
        assertThat(v4("239.255.255.250")).isTrue();
        assertThat(v4("192.168.4.2")).as("a NAT target").isTrue();
    }

    @Test
    void ipv4PacketsForAnyOtherAddressAreNotWhateverTheirSource() {
        assertThat(v4("10.0.1.7")).as("another node").isFalse();
        assertThat(v4("192.168.4.3")).as("beside a NAT target").isFalse();
        assertThat(v4("8.8.8.8")).isFalse();
        assertThat(v4("0.0.0.0")).isFalse();
        assertThat(v4("10.0.1.0")).as("the subnet's network address").isFalse();
        byte[] spoofed = ipv4("10.0.1.1", "10.0.2.9"); // claims to come from this host itself
        assertThat(host.accepts(spoofed, spoofed.length)).isFalse();
    }

    @Test
    void ipv6PacketsForTheOwnAddressMulticastAndNatTargetsAreForThisHostOthersNot() {
        assertThat(v6("fd00::1")).isTrue();
        assertThat(v6("ff02::1")).isTrue();
        assertThat(v6("fd00:4::2")).as("an IPv6 NAT target").isTrue();
        assertThat(v6("fd00::9")).isFalse();
        assertThat(v6("fd00::1:0:0:1")).isFalse();
        assertThat(v6("fe80::1")).isFalse();
    }

    @Test
    void withoutIpv6NoIpv6UnicastIsForThisHostAndSmallSubnetsHaveNoBroadcastAddress() {
        OwnDestinations p2p = new OwnDestinations(Addresses.ipv4("10.9.0.0"), Addresses.netmask("255.255.255.254"), null,
                List.of());
        byte[] other = ipv4("10.9.0.1", "10.9.0.1");
        assertThat(p2p.accepts(other, other.length)).as("the other end of a /31").isFalse();
        byte[] own = ipv4("10.9.0.1", "10.9.0.0");
        assertThat(p2p.accepts(own, own.length)).isTrue();
        byte[] six = ipv6("fd00::2", "fd00::1");
        assertThat(p2p.accepts(six, six.length)).isFalse();
        byte[] multicast6 = ipv6("fd00::2", "ff02::1");
        assertThat(p2p.accepts(multicast6, multicast6.length)).isTrue();
    }
}
