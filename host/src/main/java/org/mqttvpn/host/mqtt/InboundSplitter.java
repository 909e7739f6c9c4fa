package org.mqttvpn.host.mqtt;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's byte stream as Paho's receiver thread reads it, minus the tunnel's frames:
 * every QoS 0 PUBLISH is handed to the {@link BrokerLink.Receiver} right here, on the thread
 * that read it, and never reaches Paho; every other packet (CONNACK, SUBACK, PINGRESP, a
 * PUBLISH with QoS above 0) is passed to Paho unchanged. That saves Paho's hand-off to its
 * callback thread, and its per-message objects, on every packet.
 *
 * <p>A packet for Paho is passed on only once it is whole in the buffer (if it fits), so a
 * read timeout can never cut one in half: Paho expects a header to arrive at once. Frames are
 * delivered from the reused buffer and are valid only during the call. The frames one read
 * brought are a batch: the receiver hears of its end before the socket is read again.
 */
final class InboundSplitter extends InputStream {
    /** Holds any frame the tunnel can use (and far more: a 64 KiB garbage frame is still counted, not skipped). */
    static final int CAPACITY = 70_000;
    private static final Logger log = LoggerFactory.getLogger("mqttvpn.broker");

    private final InputStream in;
    private final ReadingTopics topics;
    private final BrokerLink.Receiver receiver;
    private final byte[] buf;
    private int start;
    private int end;
    /** Bytes of the current packet for Paho not yet read by it; 0 between packets. */
    private long passing;
    /**
     * Bytes of an oversized frame not yet skipped. Kept here, not on the stack, so that a read
     * timeout during the skip resumes it instead of reading the rest of the payload as packets.
     */
    private long skipping;
    /** Frames delivered since the last batch end. */
    private int delivered;

    InboundSplitter(InputStream in, ReadingTopics topics, BrokerLink.Receiver receiver) {
        this(in, topics, receiver, CAPACITY);
    }

    InboundSplitter(InputStream in, ReadingTopics topics, BrokerLink.Receiver receiver, int capacity) {
        this.in = in;
        this.topics = topics;
        this.receiver = receiver;
        this.buf = new byte[capacity];
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1]; // Paho reads headers with readByte: rare, not per frame
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return readForPaho(b, off, len);
        } catch (IOException | RuntimeException e) {
            endBatch(); // the receiver may hold a lock until it hears of the batch end
            throw e;
        }
    }

    private int readForPaho(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (passing == 0) {
            if (!nextPacketForPaho()) {
                return -1;
            }
        }
        if (start == end) { // a packet for Paho larger than the buffer: straight through
            int n = in.read(b, off, (int) Math.min(len, passing));
            if (n < 0) {
                throw new EOFException("the broker closed the connection inside a packet");
            }
            passing -= n;
            return n;
        }
        int n = (int) Math.min(Math.min(len, passing), end - start);
        System.arraycopy(buf, start, b, off, n);
        start += n;
        passing -= n;
        return n;
    }

    @Override
    public int available() {
        return passing > 0 ? (int) Math.min(passing, end - start) : 0;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /**
     * Reads packets, delivering the tunnel's frames, until one for Paho begins (then
     * {@link #passing} is set). Returns false at the end of the stream between packets.
     */
    private boolean nextPacketForPaho() throws IOException {
        skipPending();
        long header;
        while ((header = MqttWire.decodeFixedHeader(buf, start, end)) == MqttWire.INCOMPLETE) {
            if (!fill(Math.min(5, end - start + 1), end == start)) {
                return false;
            }
        }
        int headerLength = MqttWire.headerLength(header);
        int remaining = MqttWire.remainingLength(header);
        long total = (long) headerLength + remaining;
        byte first = buf[start];
        if (MqttWire.packetType(first) == MqttWire.PUBLISH && MqttWire.qos(first) == 0) {
            frame(headerLength, remaining, total);
            return true;
        }
        if (total <= buf.length) {
            fill((int) total, false);
        }
        passing = total;
        return true;
    }

    /** A QoS 0 PUBLISH starts at {@link #start}: hand it to the receiver and consume it. */
    private void frame(int headerLength, int remaining, long total) throws IOException {
        fill(headerLength + 2, false);
        int topicLength = ((buf[start + headerLength] & 0xff) << 8) | (buf[start + headerLength + 1] & 0xff);
        if (2 + topicLength > remaining) {
            throw new MqttWire.MalformedPacketException("a PUBLISH whose topic is longer than the packet");
        }
        int topicStart = start + headerLength + 2;
        int payloadLength = remaining - 2 - topicLength;
        if (total <= buf.length) {
            fill((int) total, false);
            topicStart = start + headerLength + 2; // fill may have moved the packet
            int topic = topicIndex(topicStart, topicLength);
            deliver(topic, topicStart + topicLength, payloadLength);
            start += (int) total;
            return;
        }
        // Far longer than any frame: counted, never buffered.
        int topic = -1;
        if (headerLength + 2 + topicLength <= buf.length) {
            fill(headerLength + 2 + topicLength, false);
            topic = topicIndex(start + headerLength + 2, topicLength);
        }
        delivered++;
        try {
            receiver.onFrameTooLong(topic, payloadLength);
        } catch (RuntimeException e) {
            log.error("dropping an oversized frame: {}", e.toString());
        }
        skipping = total;
        skipPending();
    }

    private void deliver(int topic, int payloadStart, int payloadLength) {
        delivered++;
        try {
            receiver.onFrame(topic, buf, payloadStart, payloadLength);
        } catch (RuntimeException e) {
            // one bad frame must not end the connection
            log.error("dropping a frame: {}", e.toString());
        }
    }

    private void endBatch() {
        if (delivered == 0) {
            return;
        }
        delivered = 0;
        try {
            receiver.onBatchEnd();
        } catch (RuntimeException e) {
            log.error("after a batch of frames: {}", e.toString());
        }
    }

    private int topicIndex(int at, int length) {
        return topics.indexOf(buf, at, length);
    }

    /** Consumes the {@link #skipping} bytes from {@link #start}, buffered or not. */
    private void skipPending() throws IOException {
        while (skipping > 0) {
            if (start == end && !fill(1, false)) {
                throw new EOFException("the broker closed the connection inside a packet");
            }
            int n = (int) Math.min(skipping, end - start);
            start += n;
            skipping -= n;
        }
    }

    /**
     * Reads until at least {@code need} bytes from {@link #start} are buffered (moving them to
     * the front when the rest of the buffer is too small). Returns false at the end of the
     * stream if {@code endOk} and nothing is buffered; a timeout of the socket passes through
     * and leaves everything in place.
     */
    private boolean fill(int need, boolean endOk) throws IOException {
        if (need > buf.length) {
            throw new IllegalArgumentException("need " + need + " > capacity " + buf.length);
        }
        if (start + need > buf.length) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        while (end - start < need) {
            // The frames already here are a batch: the next read may wait. (A read takes all
            // the socket holds, up to the buffer's size, so batches are as large as they come.)
            endBatch();
            int n = in.read(buf, end, buf.length - end);
            if (n < 0) {
                if (endOk && end == start) {
                    return false;
                }
                throw new EOFException("the broker closed the connection inside a packet");
            }
            end += n;
        }
        return true;
    }
}
