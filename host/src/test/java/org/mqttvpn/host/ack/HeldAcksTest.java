package org.mqttvpn.host.ack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeldAcksTest {
    /** What is left to send, as ack numbers in order (dropped ones left out). */
    private static List<Integer> left(HeldAcks held) {
        List<Integer> acks = new ArrayList<>();
        for (int i = 0; i < held.size(); i++) {
            if (held.length(i) > 0) {
                byte[] p = held.packet(i);
                int t = PureAcks.tcpOffset(p, held.length(i));
                acks.add(((p[t + 8] & 0xff) << 24) | ((p[t + 9] & 0xff) << 16) | ((p[t + 10] & 0xff) << 8) | (p[t + 11] & 0xff));
            }
        }
        return acks;
    }

    @Test
    void aBurstOfAcksOfOneConnectionLeavesTheLastAndKeepsOthersInOrder() {
        HeldAcks held = new HeldAcks(8, 1501);
        byte[] buf = new byte[1501];
        int dropped = 0;
        TcpPackets other = TcpPackets.ackV4();
        other.srcPort = 22;
        Object[][] arrivals = {{TcpPackets.ackV4().ack(100)}, {other.ack(7)}, {TcpPackets.ackV4().ack(200)},
            {TcpPackets.ackV4().ack(200)}, {TcpPackets.ackV4().ack(300)}};
        for (Object[] a : arrivals) {
            byte[] p = ((TcpPackets) a[0]).build();
            System.arraycopy(p, 0, buf, 0, p.length);
            byte[] mine = buf;
            buf = held.add(buf, p.length);
            assertThat(buf).as("a different buffer comes back").isNotSameAs(mine);
            dropped += held.lastDropped();
        }
        // 100 and both 200s (a duplicate pair stays together: the second does not drop the first,
        // but 300 drops both), 7 is another connection
        assertThat(left(held)).containsExactly(7, 300);
        assertThat(dropped).isEqualTo(3);
        held.clear();
        assertThat(held.size()).isZero();
    }

    @Test
    void buffersAreSwappedNeverSharedAndFullMeansFull() {
        HeldAcks held = new HeldAcks(2, 100);
        byte[] a = new byte[100];
        byte[] b = held.add(a, 40);
        byte[] c = held.add(b, 40);
        assertThat(held.isFull()).isTrue();
        assertThat(b).isNotSameAs(a).isNotSameAs(c);
        assertThat(c).isNotSameAs(a);
        assertThat(held.packet(0)).isSameAs(a);
        assertThat(held.packet(1)).isSameAs(b);
    }
}
