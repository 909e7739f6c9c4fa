package org.mqttvpn.host.ack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PureAcksTest {
    private static boolean supersedes(TcpPackets newer, TcpPackets older) {
        byte[] n = newer.build();
        byte[] o = older.build();
        return PureAcks.supersedes(n, n.length, o, o.length);
    }

    private static boolean pure(TcpPackets t) {
        byte[] p = t.build();
        return PureAcks.tcpOffset(p, p.length) >= 0;
    }

    @Test
    void aLaterCumulativeAckOfTheSameConnectionSupersedesAnEarlierOne() {
        for (TcpPackets base : new TcpPackets[] {TcpPackets.ackV4(), TcpPackets.ackV6()}) {
            TcpPackets older = base.ack(1000).timestamps();
            TcpPackets newer = copy(base).ack(3896).timestamps();
            assertThat(supersedes(newer, older)).as("v" + base.version).isTrue();
            assertThat(supersedes(older, newer)).as("never backwards").isFalse();
        }
        // sequence numbers wrap
        assertThat(supersedes(TcpPackets.ackV4().ack(5), TcpPackets.ackV4().ack(-10))).isTrue();
    }

    @Test
    void duplicateAcksAreNeverDropped() {
        assertThat(supersedes(TcpPackets.ackV4().ack(1000), TcpPackets.ackV4().ack(1000))).isFalse();
    }

    @Test
    void anAckWithSackBlocksOrUnknownOptionsIsKept() {
        assertThat(supersedes(TcpPackets.ackV4().ack(2000), TcpPackets.ackV4().ack(1000).sack())).isFalse();
        TcpPackets unknown = TcpPackets.ackV4().ack(1000);
        unknown.options = new byte[] {30, 4, 0, 0}; // MPTCP, say
        assertThat(supersedes(TcpPackets.ackV4().ack(2000), unknown)).isFalse();
        // the newer one may carry SACK: it says everything the older said
        assertThat(supersedes(TcpPackets.ackV4().ack(2000).sack(), TcpPackets.ackV4().ack(1000))).isTrue();
    }

    @Test
    void otherConnectionsAndShrinkingWindowsAreKept() {
        TcpPackets otherPort = TcpPackets.ackV4().ack(2000);
        otherPort.srcPort = 5202;
        assertThat(supersedes(otherPort, TcpPackets.ackV4().ack(1000))).isFalse();
        TcpPackets otherHost = TcpPackets.ackV4().ack(2000);
        otherHost.dst = new byte[] {10, 0, 1, 9};
        assertThat(supersedes(otherHost, TcpPackets.ackV4().ack(1000))).isFalse();
        TcpPackets smaller = TcpPackets.ackV4().ack(2000);
        smaller.window = 100;
        assertThat(supersedes(smaller, TcpPackets.ackV4().ack(1000))).isFalse();
        assertThat(supersedes(TcpPackets.ackV6().ack(2000), TcpPackets.ackV4().ack(1000))).isFalse();
    }

    @Test
    void onlyPureAcksQualify() {
        assertThat(pure(TcpPackets.ackV4())).isTrue();
        assertThat(pure(TcpPackets.ackV6().timestamps())).isTrue();
        TcpPackets data = TcpPackets.ackV4();
        data.payload = 100;
        assertThat(pure(data)).as("carries data").isFalse();
        for (int flags : new int[] {0x18 /* PSH */, 0x11 /* FIN */, 0x12 /* SYN */, 0x14 /* RST */, 0x50 /* ECE */, 0x90 /* CWR */}) {
            TcpPackets t = TcpPackets.ackV4();
            t.flags = flags;
            assertThat(pure(t)).as("flags %x", flags).isFalse();
        }
        TcpPackets ce = TcpPackets.ackV4();
        ce.ecn = 3;
        assertThat(pure(ce)).as("marked CE").isFalse();
        TcpPackets ce6 = TcpPackets.ackV6();
        ce6.ecn = 3;
        assertThat(pure(ce6)).as("v6 marked CE").isFalse();
        TcpPackets fragment = TcpPackets.ackV4();
        fragment.fragment = true;
        assertThat(pure(fragment)).as("a fragment").isFalse();
        byte[] udp = TcpPackets.ackV4().build();
        udp[9] = 17;
        assertThat(PureAcks.tcpOffset(udp, udp.length)).isEqualTo(-1);
        byte[] truncated = TcpPackets.ackV4().build();
        assertThat(PureAcks.tcpOffset(truncated, 39)).isEqualTo(-1);
    }

    private static TcpPackets copy(TcpPackets t) {
        TcpPackets c = t.version == 4 ? TcpPackets.ackV4() : TcpPackets.ackV6();
        c.window = t.window;
        return c;
    }
}
