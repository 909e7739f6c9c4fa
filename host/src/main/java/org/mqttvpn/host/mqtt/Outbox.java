package org.mqttvpn.host.mqtt;

/**
 * PUBLISH packets collected by one sending thread and written to the socket together: when
 * several packets are queued on the interface at once, one write (one TCP segment train, one
 * wake-up of the broker) carries them all instead of one system call each. A single packet
 * is written as soon as its batch ends, so an idle tunnel's latency does not change.
 */
public final class Outbox {
    final byte[] buf;
    int used;
    int packets;

    public Outbox(int capacity) {
        buf = new byte[capacity];
    }

    public boolean isEmpty() {
        return used == 0;
    }
}
