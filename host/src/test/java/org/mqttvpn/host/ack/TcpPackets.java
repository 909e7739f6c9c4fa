package org.mqttvpn.host.ack;

import java.nio.ByteBuffer;

/** TCP/IP packets for the tests, built field by field (checksums are not looked at here). */
final class TcpPackets {
    int version = 4;
    int srcPort = 5201;
    int dstPort = 40000;
    int ack = 1000;
    int window = 500;
    int flags = 0x10;
    int payload;
    int ecn;
    boolean fragment;
    byte[] options = new byte[0];
    byte[] src = {10, 0, 1, 2};
    byte[] dst = {10, 0, 1, 1};

    static TcpPackets ackV4() {
        return new TcpPackets();
    }

    static TcpPackets ackV6() {
        TcpPackets t = new TcpPackets();
        t.version = 6;
        t.src = new byte[16];
        t.dst = new byte[16];
        t.src[0] = (byte) 0xfd;
        t.dst[0] = (byte) 0xfd;
        t.src[15] = 2;
        t.dst[15] = 1;
        return t;
    }

    TcpPackets ack(int a) {
        ack = a;
        return this;
    }

    /** NOP, NOP, timestamps: what Linux puts on every ACK. */
    TcpPackets timestamps() {
        options = new byte[] {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2};
        return this;
    }

    /** NOP, NOP, SACK with one block. */
    TcpPackets sack() {
        options = new byte[] {1, 1, 5, 10, 0, 0, 0x10, 0, 0, 0, 0x20, 0};
        return this;
    }

    byte[] build() {
        int tcpLength = 20 + options.length;
        int ipHeader = version == 4 ? 20 : 40;
        ByteBuffer b = ByteBuffer.allocate(ipHeader + tcpLength + payload);
        if (version == 4) {
            b.put((byte) 0x45).put((byte) ecn).putShort((short) b.capacity()).putShort((short) 7)
                    .putShort((short) (fragment ? 0x2000 : 0x4000)).put((byte) 64).put((byte) 6).putShort((short) 0)
                    .put(src).put(dst);
        } else {
            b.putInt(0x60000000 | ecn << 20).putShort((short) (tcpLength + payload)).put((byte) 6).put((byte) 64)
                    .put(src).put(dst);
        }
        b.putShort((short) srcPort).putShort((short) dstPort).putInt(77).putInt(ack)
                .put((byte) ((tcpLength / 4) << 4)).put((byte) flags).putShort((short) window).putInt(0)
                .put(options);
        return b.array();
    }
}
