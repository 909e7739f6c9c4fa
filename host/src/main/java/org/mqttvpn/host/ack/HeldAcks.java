package org.mqttvpn.host.ack;

/**
 * Pure ACKs read from the interface and not sent yet, in the order read. Adding one drops
 * the held ones it makes redundant ({@link PureAcks#supersedes}); the rest are sent, in
 * order, before the next packet that is not a pure ACK and at the end of each batch, so no
 * packet is delayed past the reads already queued behind it. Buffers are swapped, never
 * copied or allocated. One user at a time.
 */
public final class HeldAcks {
    private final byte[][] packets;
    private final int[] lengths;
    private int count;
    private int dropped;

    public HeldAcks(int capacity, int packetBytes) {
        packets = new byte[capacity][packetBytes];
        lengths = new int[capacity];
    }

    public boolean isFull() {
        return count == packets.length;
    }

    public int size() {
        return count;
    }

    /** The i-th held packet; its {@link #length} is 0 if a later ACK dropped it. */
    public byte[] packet(int i) {
        return packets[i];
    }

    public int length(int i) {
        return lengths[i];
    }

    /**
     * Holds the pure ACK {@code ack} (the caller's read buffer, which this keeps) and drops
     * the held ACKs it supersedes. Returns a free buffer of the same size for the caller's
     * next read, and {@link #lastDropped()} says how many were dropped. Not when full.
     */
    public byte[] add(byte[] ack, int len) {
        if (isFull()) {
            throw new IllegalStateException("send the held ACKs first");
        }
        dropped = 0;
        for (int i = 0; i < count; i++) {
            if (lengths[i] > 0 && PureAcks.supersedes(ack, len, packets[i], lengths[i])) {
                lengths[i] = 0;
                dropped++;
            }
        }
        byte[] free = packets[count];
        packets[count] = ack;
        lengths[count] = len;
        count++;
        return free;
    }

    /** How many held ACKs the last {@link #add} dropped. */
    public int lastDropped() {
        return dropped;
    }

    /** Forgets every held packet (after they were sent). */
    public void clear() {
        count = 0;
    }
}
