package org.mqttvpn.host;

import java.util.concurrent.atomic.AtomicLong;
import org.mqttvpn.host.codec.DropReason;

/**
 * What the daemon has done, for the periodic and the final log line. Increments are
 * allocation-free; the line is built only when logged.
 */
public final class Counters {
    /** Packets read from the interface and published. */
    public final AtomicLong txPackets = new AtomicLong();
    public final AtomicLong txBytes = new AtomicLong();
    /** Packets received from the broker and written to the interface. */
    public final AtomicLong rxPackets = new AtomicLong();
    public final AtomicLong rxBytes = new AtomicLong();
    /** Read from the interface but not published: not IPv4/IPv6, or longer than the MTU. */
    public final AtomicLong txNotIp = new AtomicLong();
    public final AtomicLong txTooLong = new AtomicLong();
    /** IPv6 multicast read from the interface: the classic protocol has no topic for it. */
    public final AtomicLong txMulticast6 = new AtomicLong();
    /** Read while the broker was unreachable, so dropped. */
    public final AtomicLong txNoBroker = new AtomicLong();
    /** Pure TCP ACKs not sent because a later ACK of the same connection said more (see PureAcks). */
    public final AtomicLong txAcksMerged = new AtomicLong();
    /** Frames on a topic this node did not subscribe to. */
    public final AtomicLong rxUnexpectedTopic = new AtomicLong();
    /**
     * Valid packets for a destination that is not this node's (see {@link OwnDestinations}):
     * dropped unless the node routes for others.
     */
    public final AtomicLong rxNotForUs = new AtomicLong();
    /** Valid packets that the kernel refused to take. */
    public final AtomicLong rxRefused = new AtomicLong();
    public final AtomicLong reconnects = new AtomicLong();
    /** Frames from the broker dropped, indexed by {@link DropReason#ordinal()}. */
    private final AtomicLong[] drops = new AtomicLong[DropReason.values().length];

    public Counters() {
        for (int i = 0; i < drops.length; i++) {
            drops[i] = new AtomicLong();
        }
    }

    public void drop(DropReason reason) {
        drops[reason.ordinal()].incrementAndGet();
    }

    public long drops(DropReason reason) {
        return drops[reason.ordinal()].get();
    }

    /** One line of key=value pairs, stable so that scripts and tests can read it. */
    public String line() {
        StringBuilder sb = new StringBuilder(256);
        sb.append("tx_packets=").append(txPackets.get())
                .append(" tx_bytes=").append(txBytes.get())
                .append(" rx_packets=").append(rxPackets.get())
                .append(" rx_bytes=").append(rxBytes.get());
        for (DropReason r : DropReason.values()) {
            sb.append(' ').append(r.counterName()).append('=').append(drops(r));
        }
        sb.append(" drop_unexpected_topic=").append(rxUnexpectedTopic.get())
                .append(" drop_not_for_us=").append(rxNotForUs.get())
                .append(" drop_refused_by_kernel=").append(rxRefused.get())
                .append(" tx_not_ip=").append(txNotIp.get())
                .append(" tx_too_long=").append(txTooLong.get())
                .append(" tx_multicast6=").append(txMulticast6.get())
                .append(" tx_no_broker=").append(txNoBroker.get())
                .append(" tx_acks_merged=").append(txAcksMerged.get())
                .append(" reconnects=").append(reconnects.get());
        return sb.toString();
    }
}
