package org.mqttvpn.host.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A reusable buffer for one outgoing QoS 0 PUBLISH: the caller writes the payload at
 * {@link #payloadOffset()}, then {@link #prepare} writes the fixed header, the topic and its
 * length right in front of it, so the whole packet goes to the socket in one write with no
 * copy. One per sending thread.
 */
public final class PublishPacket {
    /** Fixed header byte, up to four remaining-length bytes, the topic's two length bytes. */
    private static final int HEADER_BYTES = 1 + 4 + 2;
    private static final int TOPIC_CACHE_LIMIT = 4096;

    private final byte[] buf;
    private final int payloadOffset;
    private final int maxTopicBytes;
    private final Map<String, byte[]> topicBytes = new HashMap<>();
    private int start;

    /** For topics of up to {@code maxTopicBytes} UTF-8 bytes and payloads of up to {@code maxPayload} bytes. */
    public PublishPacket(int maxTopicBytes, int maxPayload) {
        if (maxTopicBytes < 1 || maxTopicBytes > 65_535 || maxPayload < 0) {
            throw new IllegalArgumentException("topic bytes 1..65535 and a payload size >= 0 needed");
        }
        this.maxTopicBytes = maxTopicBytes;
        this.payloadOffset = HEADER_BYTES + maxTopicBytes;
        this.buf = new byte[payloadOffset + maxPayload];
    }

    public byte[] buffer() {
        return buf;
    }

    /** Where the payload goes in {@link #buffer()}. */
    public int payloadOffset() {
        return payloadOffset;
    }

    public int maxPayload() {
        return buf.length - payloadOffset;
    }

    /**
     * Writes the header for {@code topic} and a payload of {@code payloadLength} bytes (already
     * in place); afterwards the packet is {@code buffer()[start() .. payloadOffset() + payloadLength)}.
     */
    public void prepare(String topic, int payloadLength) {
        if (payloadLength < 0 || payloadLength > maxPayload()) {
            throw new IllegalArgumentException("payload length outside 0.." + maxPayload() + ": " + payloadLength);
        }
        byte[] t = topicBytes(topic);
        int remaining = 2 + t.length + payloadLength;
        int at = payloadOffset - t.length;
        System.arraycopy(t, 0, buf, at, t.length);
        buf[--at] = (byte) t.length;
        buf[--at] = (byte) (t.length >>> 8);
        at -= MqttWire.remainingLengthBytes(remaining);
        MqttWire.encodeRemainingLength(remaining, buf, at);
        buf[--at] = (byte) (MqttWire.PUBLISH << 4); // QoS 0, no DUP, no RETAIN
        start = at;
    }

    /** The first byte of the packet {@link #prepare} wrote last. */
    public int start() {
        return start;
    }

    private byte[] topicBytes(String topic) {
        byte[] t = topicBytes.get(topic);
        if (t == null) {
            t = topic.getBytes(StandardCharsets.UTF_8);
            if (t.length == 0 || t.length > maxTopicBytes) {
                throw new IllegalArgumentException("topic '" + topic + "' is empty or longer than " + maxTopicBytes + " bytes");
            }
            if (topicBytes.size() >= TOPIC_CACHE_LIMIT) {
                topicBytes.clear(); // many destinations: start over rather than grow without bound
            }
            topicBytes.put(topic, t);
        }
        return t;
    }
}
