package org.mqttvpn.host.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.eclipse.paho.client.mqttv3.internal.NetworkModule;
import org.junit.jupiter.api.Test;

/**
 * Paho and the tunnel share one socket: whatever the interleaving of threads, every write
 * to the socket is whole packets, Paho's arrive unchanged and in order, and so do the
 * tunnel's.
 */
class DirectPathTest {
    /** A socket whose every write() is recorded separately. */
    private static class RecordingModule implements NetworkModule {
        final List<byte[]> writes = new ArrayList<>();
        boolean stopped;

        @Override
        public void start() {
        }

        @Override
        public InputStream getInputStream() {
            return new ByteArrayInputStream(new byte[0]);
        }

        @Override
        public OutputStream getOutputStream() {
            return new OutputStream() {
                @Override
                public void write(int b) {
                    throw new AssertionError("single-byte writes are not whole packets");
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    synchronized (writes) {
                        writes.add(Arrays.copyOfRange(b, off, off + len));
                    }
                }
            };
        }

        @Override
        public void stop() {
            stopped = true;
        }

        @Override
        public String getServerURI() {
            return "tcp://test:1883";
        }
    }

    /** Splits a write into packets; fails if it does not end on a packet boundary. */
    private static List<byte[]> packets(byte[] write) throws IOException {
        List<byte[]> out = new ArrayList<>();
        int at = 0;
        while (at < write.length) {
            long h = MqttWire.decodeFixedHeader(write, at, write.length);
            assertThat(h).as("a whole header").isNotEqualTo(MqttWire.INCOMPLETE);
            int total = MqttWire.headerLength(h) + MqttWire.remainingLength(h);
            assertThat(at + total).as("a write that ends inside a packet").isLessThanOrEqualTo(write.length);
            out.add(Arrays.copyOfRange(write, at, at + total));
            at += total;
        }
        return out;
    }

    @Test
    void pahosPiecesAndTheTunnelsFramesNeverInterleave() throws Exception {
        RecordingModule socket = new RecordingModule();
        DirectPath path = new DirectPath(socket, new byte[0][], new NoFrames());
        path.start();
        OutputStream paho = path.getOutputStream();
        List<byte[]> pahoPackets = new ArrayList<>();
        Random r = new Random(5);
        for (int i = 0; i < 300; i++) {
            pahoPackets.add(i % 3 == 0 ? MqttStreams.packet(0xc0, new byte[0]) // PINGREQ
                    : MqttStreams.publish(1, "paho/" + i, MqttStreams.random(r, r.nextInt(3000))));
        }
        int frames = 3000;
        Thread tunnel = new Thread(() -> {
            PublishPacket p = new PublishPacket(64, 2000);
            for (int i = 0; i < frames; i++) {
                int len = i % 1500;
                Arrays.fill(p.buffer(), p.payloadOffset(), p.payloadOffset() + len, (byte) i);
                p.prepare("mqttip/10.0.1." + (i % 7), len);
                assertThat(path.send(p, len)).isTrue();
            }
        });
        tunnel.start();
        // Paho writes a header, then the payload in 1 KiB chunks (MqttOutputStream), then flushes.
        for (byte[] packet : pahoPackets) {
            int headerEnd = Math.min(packet.length, 5);
            paho.write(packet, 0, headerEnd);
            for (int at = headerEnd; at < packet.length; at += 1024) {
                paho.write(packet, at, Math.min(1024, packet.length - at));
                Thread.yield();
            }
            paho.flush();
        }
        tunnel.join();

        List<byte[]> seenPaho = new ArrayList<>();
        int seenFrames = 0;
        for (byte[] write : socket.writes) {
            for (byte[] packet : packets(write)) {
                String topic = topicOf(packet);
                if (topic.startsWith("mqttip/")) {
                    int len = packet.length - MqttWire.headerLength(MqttWire.decodeFixedHeader(packet, 0, packet.length)) - 2 - topic.length();
                    assertThat(len).isEqualTo(seenFrames % 1500);
                    assertThat(topic).isEqualTo("mqttip/10.0.1." + (seenFrames % 7));
                    seenFrames++;
                } else {
                    seenPaho.add(packet);
                }
            }
        }
        assertThat(seenFrames).isEqualTo(frames);
        assertThat(seenPaho).hasSize(pahoPackets.size());
        for (int i = 0; i < pahoPackets.size(); i++) {
            assertThat(seenPaho.get(i)).isEqualTo(pahoPackets.get(i));
        }
    }

    @Test
    void sendingBeforeTheConnectionStartsOrAfterItFailsReturnsFalse() throws Exception {
        NetworkModule broken = new RecordingModule() {
            @Override
            public OutputStream getOutputStream() {
                return new OutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        throw new IOException("Broken pipe");
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        throw new IOException("Broken pipe");
                    }
                };
            }
        };
        DirectPath path = new DirectPath(broken, new byte[0][], new NoFrames());
        PublishPacket p = new PublishPacket(16, 10);
        p.prepare("t", 3);
        assertThat(path.send(p, 3)).as("not started").isFalse();
        path.start();
        assertThat(path.send(p, 3)).as("write failed").isFalse();
    }

    @Test
    void anOutboxWritesWholePacketsAtOnceAndCountsWhatALostConnectionTook() throws Exception {
        RecordingModule socket = new RecordingModule();
        DirectPath path = new DirectPath(socket, new byte[0][], new NoFrames());
        path.start();
        PublishPacket p = new PublishPacket(16, 1000);
        Outbox outbox = new Outbox(2500);
        p.prepare("t", 1000);
        int packetBytes = p.payloadOffset() + 1000 - p.start();
        assertThat(outbox.add(p, 1000)).isTrue();
        assertThat(outbox.add(p, 1000)).isTrue();
        assertThat(outbox.add(p, 1000)).as("a third does not fit in 2500 bytes").isFalse();
        outbox.writeTo(path);
        assertThat(socket.writes).hasSize(1);
        assertThat(socket.writes.get(0)).hasSize(2 * packetBytes);
        assertThat(packets(socket.writes.get(0))).hasSize(2);
        assertThat(outbox.takeLost()).isZero();
        outbox.writeTo(path);
        assertThat(socket.writes).as("nothing held, nothing written").hasSize(1);

        assertThat(outbox.add(p, 1000)).isTrue();
        outbox.writeTo(null); // the connection is gone
        assertThat(outbox.add(p, 1000)).isTrue();
        assertThat(outbox.add(p, 1000)).isTrue();
        outbox.writeTo(null);
        assertThat(outbox.takeLost()).isEqualTo(3);
        assertThat(outbox.takeLost()).isZero();
    }

    private static String topicOf(byte[] packet) throws IOException {
        if (MqttWire.packetType(packet[0]) != MqttWire.PUBLISH) {
            return "";
        }
        int at = MqttWire.headerLength(MqttWire.decodeFixedHeader(packet, 0, packet.length));
        int len = ((packet[at] & 0xff) << 8) | (packet[at + 1] & 0xff);
        return new String(packet, at + 2, len, StandardCharsets.UTF_8);
    }

    private static final class NoFrames implements BrokerLink.Receiver {
        @Override
        public void onFrame(int topic, byte[] buf, int off, int len) {
        }

        @Override
        public void onFrameTooLong(int topic, int len) {
        }
    }
}
