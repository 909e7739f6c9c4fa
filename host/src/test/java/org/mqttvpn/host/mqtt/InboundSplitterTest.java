package org.mqttvpn.host.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mqttvpn.host.mqtt.MqttStreams.packet;
import static org.mqttvpn.host.mqtt.MqttStreams.publish;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InboundSplitterTest {
    private static final byte[][] TOPICS = {
        "mqttip/10.0.1.1".getBytes(StandardCharsets.UTF_8), "mqttip/255.255.255.255".getBytes(StandardCharsets.UTF_8)};

    private static ReadingTopics reading() {
        return new ReadingTopics(TOPICS, "tcp://test");
    }

    /** What the receiver was given. */
    private static final class Recorded implements BrokerLink.Receiver {
        final List<String> events = new ArrayList<>();

        @Override
        public void onFrame(int topic, byte[] buf, int off, int len) {
            events.add(topic + ":" + java.util.HexFormat.of().formatHex(buf, off, off + len));
        }

        @Override
        public void onFrameTooLong(int topic, int len) {
            events.add(topic + ":too long " + len);
        }

        boolean batches;

        @Override
        public void onBatchEnd() {
            if (batches) {
                events.add("batch end");
            }
        }
    }

    private static String frame(int topic, byte[] payload) {
        return topic + ":" + java.util.HexFormat.of().formatHex(payload);
    }

    /** Reads everything Paho would read, as Paho does: one header byte at a time, then the rest. */
    private static byte[] drainAsPaho(InboundSplitter in) throws IOException {
        ByteArrayOutputStream paho = new ByteArrayOutputStream();
        byte[] chunk = new byte[300];
        while (true) {
            int n;
            try {
                n = in.read(chunk, 0, 1 + (paho.size() % chunk.length));
            } catch (SocketTimeoutException e) {
                continue; // Paho's receiver loops on a timeout
            }
            if (n < 0) {
                return paho.toByteArray();
            }
            paho.write(chunk, 0, n);
        }
    }

    @Test
    void framesGoToTheReceiverAndEverythingElseToPahoUnchanged() throws IOException {
        Random r = new Random(7);
        for (long seed = 0; seed < 40; seed++) {
            ByteArrayOutputStream wire = new ByteArrayOutputStream();
            ByteArrayOutputStream forPaho = new ByteArrayOutputStream();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int kind = r.nextInt(7);
                byte[] payload = MqttStreams.random(r, r.nextInt(8) == 0 ? 1400 + r.nextInt(20_000) : r.nextInt(200));
                byte[] p;
                switch (kind) {
                    case 0, 1, 2 -> {
                        int topic = r.nextInt(2);
                        p = publish(0, new String(TOPICS[topic], StandardCharsets.UTF_8), payload);
                        expected.add(frame(topic, payload));
                    }
                    case 3 -> {
                        p = publish(0, "mqttip/10.0.1.9", payload); // not ours: still a frame, topic -1
                        expected.add(frame(-1, payload));
                    }
                    case 4 -> {
                        p = publish(1, "mqttip/10.0.1.1", payload); // QoS 1: Paho acknowledges it
                        forPaho.write(p, 0, p.length);
                    }
                    case 5 -> {
                        p = packet(0xd0, new byte[0]); // PINGRESP
                        forPaho.write(p, 0, p.length);
                    }
                    default -> {
                        p = packet(0x90, new byte[] {0, 1, 0, 0}); // SUBACK
                        forPaho.write(p, 0, p.length);
                    }
                }
                wire.write(p, 0, p.length);
            }
            Recorded receiver = new Recorded();
            MqttStreams.Choppy socket = new MqttStreams.Choppy(wire.toByteArray(), seed, seed % 2 == 0);
            InboundSplitter splitter = new InboundSplitter(socket, reading(), receiver);
            assertThat(drainAsPaho(splitter)).as("seed " + seed).isEqualTo(forPaho.toByteArray());
            assertThat(receiver.events).as("seed " + seed).isEqualTo(expected);
            if (seed % 2 == 0) {
                assertThat(socket.timeoutsThrown).isPositive();
            }
        }
    }

    @Test
    void aPacketForPahoIsPassedOnOnlyWhenWholeSoATimeoutNeverCutsIt() throws IOException {
        byte[] suback = packet(0x90, new byte[] {0, 1, 0});
        byte[] wire = MqttStreams.publish(1, "t", new byte[600]);
        byte[] both = Arrays.copyOf(wire, wire.length + suback.length);
        System.arraycopy(suback, 0, both, wire.length, suback.length);
        MqttStreams.Choppy socket = new MqttStreams.Choppy(both, 3, true);
        InboundSplitter splitter = new InboundSplitter(socket, reading(), new Recorded());
        // Once the first byte of a packet is out, the rest follows without a timeout.
        byte[] one = new byte[1];
        for (byte[] expected : new byte[][] {wire, suback}) {
            while (true) {
                try {
                    assertThat(splitter.read(one, 0, 1)).isEqualTo(1);
                    break;
                } catch (SocketTimeoutException e) {
                    // before a packet: fine
                }
            }
            byte[] rest = new byte[expected.length - 1];
            int got = 0;
            while (got < rest.length) {
                got += splitter.read(rest, got, rest.length - got); // a timeout here fails the test
            }
            assertThat(one[0]).isEqualTo(expected[0]);
            assertThat(rest).isEqualTo(Arrays.copyOfRange(expected, 1, expected.length));
        }
    }

    /** The frames one socket read brought are a batch; its end comes before the next read can wait. */
    @Test
    void theEndOfEachBatchIsToldBeforeTheSocketIsReadAgain() throws IOException {
        byte[][] frames = new byte[5][];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = publish(0, "mqttip/10.0.1.1", new byte[] {(byte) i});
        }
        byte[] pingresp = packet(0xd0, new byte[0]);
        // read 1: frames 0, 1, 2 and half of 3; read 2: the rest of 3, frame 4, a PINGRESP
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        first.write(frames[0], 0, frames[0].length);
        first.write(frames[1], 0, frames[1].length);
        first.write(frames[2], 0, frames[2].length);
        first.write(frames[3], 0, 4);
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        second.write(frames[3], 4, frames[3].length - 4);
        second.write(frames[4], 0, frames[4].length);
        second.write(pingresp, 0, pingresp.length);
        java.util.Deque<byte[]> reads = new java.util.ArrayDeque<>(List.of(first.toByteArray(), second.toByteArray()));
        Recorded receiver = new Recorded();
        receiver.batches = true;
        java.io.InputStream socket = new java.io.InputStream() {
            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                receiver.events.add("socket read");
                byte[] next = reads.poll();
                if (next == null) {
                    return -1;
                }
                System.arraycopy(next, 0, b, off, next.length);
                return next.length;
            }
        };
        InboundSplitter splitter = new InboundSplitter(socket, reading(), receiver);
        assertThat(drainAsPaho(splitter)).isEqualTo(pingresp);
        assertThat(receiver.events).containsExactly("socket read", frame(0, new byte[] {0}), frame(0, new byte[] {1}),
                frame(0, new byte[] {2}), "batch end", "socket read", frame(0, new byte[] {3}), frame(0, new byte[] {4}),
                "batch end", "socket read");
    }

    @Test
    void aFrameLongerThanTheBufferIsCountedAndSkipped() throws IOException {
        byte[] huge = publish(0, "mqttip/10.0.1.1", new byte[5000]);
        byte[] small = publish(0, "mqttip/10.0.1.1", new byte[] {1, 2, 3});
        byte[] ping = packet(0xd0, new byte[0]);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.write(huge, 0, huge.length);
        wire.write(small, 0, small.length);
        wire.write(ping, 0, ping.length);
        Recorded receiver = new Recorded();
        InboundSplitter splitter = new InboundSplitter(new MqttStreams.Choppy(wire.toByteArray(), 1, false), reading(), receiver, 1024);
        assertThat(drainAsPaho(splitter)).isEqualTo(ping);
        assertThat(receiver.events).containsExactly("0:too long 5000", frame(0, new byte[] {1, 2, 3}));
    }

    @Test
    void aPacketForPahoLongerThanTheBufferStreamsThrough() throws IOException {
        byte[] big = publish(1, "mqttip/10.0.1.1", MqttStreams.random(new Random(1), 3000));
        InboundSplitter splitter = new InboundSplitter(new MqttStreams.Choppy(big, 2, false), reading(), new Recorded(), 1024);
        assertThat(drainAsPaho(splitter)).isEqualTo(big);
    }

    @Test
    void brokenStreamsAreErrorsNotHangs() {
        byte[] cut = Arrays.copyOf(publish(0, "mqttip/10.0.1.1", new byte[100]), 50);
        assertThatThrownBy(() -> drainAsPaho(new InboundSplitter(new ByteArrayInputStream(cut), reading(), new Recorded())))
                .isInstanceOf(EOFException.class);
        byte[] badLength = {0x30, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01};
        assertThatThrownBy(() -> drainAsPaho(new InboundSplitter(new ByteArrayInputStream(badLength), reading(), new Recorded())))
                .hasMessageContaining("malformed MQTT packet");
        byte[] topicTooLong = packet(0x30, new byte[] {0x00, 0x10, 'a'});
        assertThatThrownBy(() -> drainAsPaho(new InboundSplitter(new ByteArrayInputStream(topicTooLong), reading(), new Recorded())))
                .hasMessageContaining("topic is longer than the packet");
    }

    @Test
    void aReceiverThatThrowsLosesOneFrameNotTheConnection() throws IOException {
        byte[] a = publish(0, "mqttip/10.0.1.1", new byte[] {1});
        byte[] b = publish(0, "mqttip/10.0.1.1", new byte[] {2});
        List<Integer> seen = new ArrayList<>();
        BrokerLink.Receiver throwing = new BrokerLink.Receiver() {
            @Override
            public void onFrame(int topic, byte[] buf, int off, int len) {
                seen.add((int) buf[off]);
                if (buf[off] == 1) {
                    throw new IllegalStateException("bad frame");
                }
            }

            @Override
            public void onFrameTooLong(int topic, int len) {
            }
        };
        byte[] wire = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, wire, a.length, b.length);
        assertThat(drainAsPaho(new InboundSplitter(new ByteArrayInputStream(wire), reading(), throwing))).isEmpty();
        assertThat(seen).containsExactly(1, 2);
    }

    /**
     * Found by InboundSplitterFuzzTest: a read timeout while an oversized frame was being
     * skipped made the splitter forget the skip and read the rest of that payload as MQTT
     * packets (here: PINGRESPs handed to Paho).
     */
    @Test
    void aReadTimeoutWhileSkippingAnOversizedFrameResumesTheSkip() throws IOException {
        byte[] payload = new byte[300];
        for (int i = 0; i < payload.length; i += 2) {
            payload[i] = (byte) 0xd0; // PINGRESP, PINGRESP, ... if read as packets
        }
        byte[] big = publish(0, "mqttip/10.0.1.1", payload);
        byte[] suback = packet(0x90, new byte[] {0, 1, 0});
        byte[] wire = Arrays.copyOf(big, big.length + suback.length);
        System.arraycopy(suback, 0, wire, big.length, suback.length);
        // One timeout, 150 bytes in: inside the payload, after the skip has begun.
        java.io.InputStream socket = new java.io.InputStream() {
            private int at;
            private boolean timedOut;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (at == 150 && !timedOut) {
                    timedOut = true;
                    throw new SocketTimeoutException("Read timed out");
                }
                if (at == wire.length) {
                    return -1;
                }
                int n = Math.min(len, (at < 150 ? 150 : wire.length) - at);
                System.arraycopy(wire, at, b, off, n);
                at += n;
                return n;
            }
        };
        Recorded receiver = new Recorded();
        InboundSplitter splitter = new InboundSplitter(socket, reading(), receiver, 100);
        assertThat(drainAsPaho(splitter)).isEqualTo(suback);
        assertThat(receiver.events).containsExactly("0:too long " + (payload.length));
    }
}
