package org.mqttvpn.host.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PacketCheckTest {
    private static byte[] ipv4(int totalLength, int bufferLength) {
        byte[] p = new byte[bufferLength];
        p[0] = 0x45;
        p[2] = (byte) (totalLength >> 8);
        p[3] = (byte) totalLength;
        return p;
    }

    private static byte[] ipv6(int payloadLength, int bufferLength) {
        byte[] p = new byte[bufferLength];
        p[0] = 0x60;
        p[4] = (byte) (payloadLength >> 8);
        p[5] = (byte) payloadLength;
        return p;
    }

    @Test
    void acceptsIpv4WhoseLengthFieldMatches() {
        assertThat(PacketCheck.check(ipv4(60, 60), 0, 60, 1500)).isNull();
    }

    @Test
    void refusesIpv4WhoseLengthFieldDisagrees() {
        assertThat(PacketCheck.check(ipv4(61, 60), 0, 60, 1500)).isEqualTo(DropReason.NOT_IP);
        assertThat(PacketCheck.check(ipv4(40, 60), 0, 60, 1500)).isEqualTo(DropReason.NOT_IP);
    }

    @Test
    void refusesIpv4WithAHeaderLengthBelowTwentyBytes() {
        byte[] p = ipv4(60, 60);
        p[0] = 0x44;
        assertThat(PacketCheck.check(p, 0, 60, 1500)).isEqualTo(DropReason.NOT_IP);
    }

    @Test
    void acceptsIpv6WhosePayloadLengthMatches() {
        assertThat(PacketCheck.check(ipv6(24, 64), 0, 64, 1500)).isNull();
        assertThat(PacketCheck.check(ipv6(25, 64), 0, 64, 1500)).isEqualTo(DropReason.NOT_IP);
    }

    @Test
    void refusesOtherVersionsAndRunts() {
        byte[] p = ipv4(60, 60);
        p[0] = 0x55;
        assertThat(PacketCheck.check(p, 0, 60, 1500)).isEqualTo(DropReason.NOT_IP);
        assertThat(PacketCheck.check(ipv4(19, 19), 0, 19, 1500)).isEqualTo(DropReason.NOT_IP);
    }

    @Test
    void refusesPacketsLongerThanTheMtu() {
        assertThat(PacketCheck.check(ipv4(1501, 1501), 0, 1501, 1500)).isEqualTo(DropReason.TOO_LONG);
    }
}
