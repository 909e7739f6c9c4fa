package org.mqttvpn.host.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.mqttvpn.host.codec.ClassicCodec;
import org.mqttvpn.host.codec.DropReason;
import org.mqttvpn.host.codec.Key;
import org.mqttvpn.host.codec.PacketCheck;

/**
 * The broker's byte stream through {@link InboundSplitter}, as Paho's receiver thread reads
 * it, with every frame opened by {@link ClassicCodec} as the daemon's receiver does. The
 * splitter must give Paho exactly the packets that are not QoS 0 PUBLISHes and the receiver
 * exactly the frames, as a plain reading of MQTT 3.1.1's framing says (the reference below);
 * a stream that breaks the framing or ends inside a packet may only end in an
 * {@link IOException}, after a prefix of the same output. Nothing else may be thrown.
 *
 * <p>Input: a flags byte (read timeouts; buffer capacity: the daemon's, or a small one so that
 * packets outgrow it), eight bytes seeding how the socket cuts the stream, then the stream.
 * Seeds: {@code InboundSplitterFuzzTestInputs/} (frames of the classic test vectors). In a
 * build it fuzzes for {@code fuzz.seconds}; {@code ci/fuzz} runs it longer.
 */
class InboundSplitterFuzzTest {
    private static final byte[][] TOPICS = {
        "mqttip/10.0.1.1".getBytes(StandardCharsets.UTF_8), "mqttip/255.255.255.255".getBytes(StandardCharsets.UTF_8)};
    /** TOPICS as RabbitMQ delivers them (every '.' made '/'): the same topic to the splitter. */
    private static final byte[][] SLASHED = {
        "mqttip/10/0/1/1".getBytes(StandardCharsets.UTF_8), "mqttip/255/255/255/255".getBytes(StandardCharsets.UTF_8)};
    private static final ClassicCodec KEYED = new ClassicCodec(Key.fromPassword("secret"), ClassicCodec.DEFAULT_MTU);
    private static final ClassicCodec PLAIN = new ClassicCodec(Key.fromPassword(""), ClassicCodec.DEFAULT_MTU);

    @FuzzTest
    void splitsTheStreamAsMqttFramesIt(byte[] input) throws IOException {
        if (input.length < 9) {
            return;
        }
        int flags = input[0] & 0xff;
        long seed = 0;
        for (int i = 1; i < 9; i++) {
            seed = seed << 8 | (input[i] & 0xff);
        }
        byte[] wire = Arrays.copyOfRange(input, 9, input.length);
        int capacity = (flags & 2) != 0 ? 64 + ((flags >>> 2) * 37) : InboundSplitter.CAPACITY;

        Reference expected = Reference.of(wire, capacity);
        Opening receiver = new Opening();
        InboundSplitter splitter = new InboundSplitter(new MqttStreams.Choppy(wire, seed, (flags & 1) != 0),
                new ReadingTopics(TOPICS, "tcp://fuzz"), receiver, capacity);
        ByteArrayOutputStream paho = new ByteArrayOutputStream();
        IOException ended = drainAsPaho(splitter, paho);

        if (expected.broken == null) {
            assertThat(ended).as("a well-formed stream ends cleanly").isNull();
            assertThat(paho.toByteArray()).isEqualTo(expected.paho.toByteArray());
            assertThat(receiver.frames).isEqualTo(expected.frames);
        } else {
            assertThat(ended).as("the stream is broken: " + expected.broken).isNotNull();
            assertThat(ended).isInstanceOfAny(EOFException.class, MqttWire.MalformedPacketException.class);
            byte[] got = paho.toByteArray();
            assertThat(Arrays.copyOf(expected.paho.toByteArray(), Math.min(got.length, expected.paho.size())))
                    .as("Paho's bytes are a prefix of the packets before the break").isEqualTo(got);
            assertThat(receiver.frames.size()).isLessThanOrEqualTo(expected.frames.size());
            assertThat(receiver.frames).isEqualTo(expected.frames.subList(0, receiver.frames.size()));
        }
    }

    /** Reads as Paho does, looping on read timeouts; returns how the stream ended (null: its end). */
    private static IOException drainAsPaho(InboundSplitter in, ByteArrayOutputStream paho) {
        byte[] chunk = new byte[300];
        while (true) {
            int n;
            try {
                n = in.read(chunk, 0, 1 + (paho.size() % chunk.length));
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                return e;
            }
            if (n < 0) {
                return null;
            }
            paho.write(chunk, 0, n);
        }
    }

    /** The daemon's receiver, reduced: opens every frame with and without a key, and records it. */
    private static final class Opening implements BrokerLink.Receiver {
        final List<String> frames = new ArrayList<>();
        private final byte[] packet = new byte[ClassicCodec.DEFAULT_MTU];

        @Override
        public void onFrame(int topic, byte[] buf, int off, int len) {
            frames.add(topic + ":" + HexFormat.of().formatHex(buf, off, off + len));
            int keyed = KEYED.open(buf, off, len, packet);
            assertThat(keyed < 0 ? ClassicCodec.dropReason(keyed) != null : keyed == len - ClassicCodec.OVERHEAD).isTrue();
            int plain = PLAIN.open(buf, off, len, packet);
            if (plain >= 0) {
                assertThat(plain).isEqualTo(len);
                assertThat(PacketCheck.check(buf, off, len, ClassicCodec.DEFAULT_MTU)).isNull();
            } else {
                DropReason reason = ClassicCodec.dropReason(plain);
                assertThat(reason).isNotNull().isNotEqualTo(DropReason.AUTH_FAILED);
            }
        }

        @Override
        public void onFrameTooLong(int topic, int len) {
            frames.add(topic + ":too long " + len);
        }
    }

    /**
     * MQTT 3.1.1 framing read plainly from the whole stream (section 2.2): what Paho and the
     * receiver must get, and whether (and why) the stream breaks.
     */
    private static final class Reference {
        final ByteArrayOutputStream paho = new ByteArrayOutputStream();
        final List<String> frames = new ArrayList<>();
        String broken;

        static Reference of(byte[] s, int capacity) {
            Reference r = new Reference();
            int pos = 0;
            while (pos < s.length) {
                int value = 0;
                int headerLength = -1;
                for (int i = 0; i < 4; i++) {
                    if (pos + 1 + i >= s.length) {
                        break;
                    }
                    int b = s[pos + 1 + i] & 0xff;
                    value |= (b & 0x7f) << (7 * i);
                    if ((b & 0x80) == 0) {
                        headerLength = i + 2;
                        break;
                    }
                    if (i == 3) {
                        r.broken = "remaining length longer than four bytes";
                        return r;
                    }
                }
                if (headerLength < 0) {
                    r.broken = "ends inside a fixed header";
                    return r;
                }
                long total = (long) headerLength + value;
                int type = (s[pos] & 0xff) >>> 4;
                int qos = (s[pos] >>> 1) & 3;
                if (type == MqttWire.PUBLISH && qos == 0) {
                    if (value < 2 || pos + headerLength + 2 > s.length) {
                        r.broken = "a PUBLISH without room for its topic length";
                        return r;
                    }
                    int topicLength = ((s[pos + headerLength] & 0xff) << 8) | (s[pos + headerLength + 1] & 0xff);
                    if (2 + topicLength > value) {
                        r.broken = "a PUBLISH whose topic is longer than the packet";
                        return r;
                    }
                    int payloadLength = value - 2 - topicLength;
                    int topicStart = pos + headerLength + 2;
                    if (total <= capacity) {
                        if (pos + total > s.length) {
                            r.broken = "ends inside a PUBLISH";
                            return r;
                        }
                        r.frames.add(topicIndex(s, topicStart, topicLength) + ":"
                                + HexFormat.of().formatHex(s, topicStart + topicLength, (int) (pos + total)));
                    } else {
                        int topic = -1;
                        if (headerLength + 2 + topicLength <= capacity) {
                            if (topicStart + topicLength > s.length) {
                                r.broken = "ends inside a PUBLISH's topic";
                                return r;
                            }
                            topic = topicIndex(s, topicStart, topicLength);
                        }
                        r.frames.add(topic + ":too long " + payloadLength);
                        if (pos + total > s.length) {
                            r.broken = "ends inside a PUBLISH";
                            return r;
                        }
                    }
                } else {
                    int end = (int) Math.min(s.length, pos + total);
                    r.paho.write(s, pos, end - pos);
                    if (pos + total > s.length) {
                        r.broken = "ends inside a packet for Paho";
                        return r;
                    }
                }
                pos += (int) total;
            }
            return r;
        }

        private static int topicIndex(byte[] s, int at, int length) {
            for (int i = 0; i < TOPICS.length; i++) {
                if (Arrays.equals(TOPICS[i], 0, TOPICS[i].length, s, at, at + length)
                        || Arrays.equals(SLASHED[i], 0, SLASHED[i].length, s, at, at + length)) {
                    return i;
                }
            }
            return -1;
        }
    }
}
