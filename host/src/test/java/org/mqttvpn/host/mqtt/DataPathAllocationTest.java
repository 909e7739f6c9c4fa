package org.mqttvpn.host.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.paho.client.mqttv3.internal.NetworkModule;
import org.junit.jupiter.api.Test;
import org.mqttvpn.host.Addresses;
import org.mqttvpn.host.OwnDestinations;
import org.mqttvpn.host.ack.PureAcks;
import org.mqttvpn.host.codec.ClassicCodec;
import org.mqttvpn.host.codec.ClassicVectors;
import org.mqttvpn.host.codec.Key;
import org.mqttvpn.host.topic.Topics;

/**
 * The per-packet work of the data path must not allocate: on the way out the topic lookup,
 * the pure-ACK check, sealing behind the PUBLISH header and the outbox's write; on the way in
 * the splitter taking the frame from the socket's bytes (Paho reading a PINGRESP between) and
 * matching its topic (here the alias RabbitMQ makes of it, the longest way),
 * opening it and checking its destination (OwnDestinations). The JVM's per-thread allocation counter tells, exactly.
 */
class DataPathAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final String TOPIC = "mqttip/10.0.1.1";

    private final byte[] packet = ClassicVectors.hex(ClassicVectors.root().get("frames").get(1).get("packet_hex"));
    private final ClassicCodec sender = new ClassicCodec(Key.fromPassword("secret"), 1500);
    private final ClassicCodec receiver = new ClassicCodec(Key.fromPassword("secret"), 1500);
    private final Topics topics = new Topics("mqttip");
    private final PublishPacket out = new PublishPacket(64, 1556);
    private final Outbox outbox = new Outbox(64 * 1024);
    private final byte[] opened = new byte[1500];
    private final byte[] paho = new byte[2];
    /** The packet is for 10.0.1.1: found after the NAT targets, so the whole list is walked. */
    private final OwnDestinations destinations = new OwnDestinations(Addresses.ipv4("10.0.1.1"),
            Addresses.netmask("255.255.255.0"), Addresses.ipv6("fd00::1"),
            List.of(Addresses.ipv4("192.168.4.2"), Addresses.ipv6("fd00:4::2")));
    private int good;
    private DirectPath socket;
    private InboundSplitter splitter;

    private static long allocated() {
        return THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    @Test
    void nothingIsAllocatedPerPacketEitherWay() throws Exception {
        socket = new DirectPath(new Discarding(), new byte[0][], null);
        socket.start();
        int n = sender.seal(packet, packet.length, out.buffer(), out.payloadOffset());
        // On the topic as RabbitMQ delivers it ('.' made '/'): the longest way through the matching.
        out.prepare("mqttip/10/0/1/1", n);
        byte[] wire = new byte[out.payloadOffset() + n - out.start() + 2];
        System.arraycopy(out.buffer(), out.start(), wire, 0, wire.length - 2);
        wire[wire.length - 2] = (byte) 0xd0; // PINGRESP, for Paho
        splitter = new InboundSplitter(new Looping(wire), new ReadingTopics(new byte[][] {TOPIC.getBytes(StandardCharsets.UTF_8)}, "tcp://test"),
                new BrokerLink.Receiver() {
                    @Override
                    public void onFrame(int topic, byte[] buf, int off, int len) {
                        if (topic == 0 && receiver.open(buf, off, len, opened) == packet.length
                                && destinations.accepts(opened, packet.length)) {
                            good++;
                        }
                    }

                    @Override
                    public void onFrameTooLong(int topic, int len) {
                    }
                });
        int rounds = 20_000;
        for (int i = 0; i < rounds; i++) { // warm up: JIT, the topic cache, libsodium's first call
            round();
        }
        long before = allocated();
        for (int i = 0; i < rounds; i++) {
            round();
        }
        long perPacket = (allocated() - before) / rounds;
        assertThat(good).isEqualTo(2 * rounds);
        assertThat(perPacket).as("bytes allocated per packet").isZero();
    }

    private void round() throws IOException {
        String topic = topics.forPacket(packet, packet.length);
        if (!TOPIC.equals(topic) || PureAcks.tcpOffset(packet, packet.length) >= 0) {
            throw new AssertionError("wrong topic or taken for an ACK");
        }
        int n = sender.seal(packet, packet.length, out.buffer(), out.payloadOffset());
        out.prepare(topic, n);
        if (!outbox.add(out, n)) {
            throw new AssertionError("outbox full");
        }
        outbox.writeTo(socket);
        if (splitter.read(paho, 0, 2) != 2 || paho[0] != (byte) 0xd0) { // one frame delivered, then Paho's PINGRESP
            throw new AssertionError("Paho did not get its PINGRESP");
        }
    }

    /** A connection whose writes go nowhere; allocates nothing. */
    private static final class Discarding implements NetworkModule {
        @Override
        public void start() {
        }

        @Override
        public InputStream getInputStream() {
            return InputStream.nullInputStream();
        }

        @Override
        public OutputStream getOutputStream() {
            return new OutputStream() {
                @Override
                public void write(int b) {
                }

                @Override
                public void write(byte[] b, int off, int len) {
                }
            };
        }

        @Override
        public void stop() {
        }

        @Override
        public String getServerURI() {
            return "tcp://nowhere:1883";
        }
    }

    /** The same bytes forever, as a socket would deliver them; allocates nothing. */
    private static final class Looping extends InputStream {
        private final byte[] data;
        private int at;

        Looping(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            int n = Math.min(len, data.length - at);
            System.arraycopy(data, at, b, off, n);
            at = (at + n) % data.length;
            return n;
        }
    }
}
