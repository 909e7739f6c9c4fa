package org.mqttvpn.host.mqtt;

/**
 * PUBLISH packets collected by one sending thread and written to the socket together: when
 * several packets are queued on the interface at once, one write (one TCP segment train, one
 * wake-up of the broker) carries them all instead of one system call each. A single packet
 * is written as soon as its batch ends, so an idle tunnel's latency does not change.
 */
public final class Outbox {
    private final byte[] buf;
    private int used;
    private int packets;
    private int lost;

    public Outbox(int capacity) {
        buf = new byte[capacity];
    }

    /** Copies the packet {@code packet} holds (prepared); false, and nothing added, if it does not fit. */
    boolean add(PublishPacket packet, int payloadLength) {
        int from = packet.start();
        int len = packet.payloadOffset() + payloadLength - from;
        if (used + len > buf.length) {
            return false;
        }
        System.arraycopy(packet.buffer(), from, buf, used, len);
        used += len;
        packets++;
        return true;
    }

    /** Writes everything held in one write; if that fails (or {@code path} is null) the packets count as lost. */
    void writeTo(DirectPath path) {
        if (used == 0) {
            return;
        }
        if (path == null || !path.write(buf, 0, used)) {
            lost += packets;
        }
        used = 0;
        packets = 0;
    }

    /** Packets lost since the last call: written while the connection was gone. */
    int takeLost() {
        int n = lost;
        lost = 0;
        return n;
    }
}
