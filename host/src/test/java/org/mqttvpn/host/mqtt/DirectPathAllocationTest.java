package org.mqttvpn.host.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.mqttvpn.host.codec.ClassicCodec;
import org.mqttvpn.host.codec.ClassicVectors;
import org.mqttvpn.host.codec.Key;

/** The direct path adds no allocation per packet either (see DataPathAllocationTest). */
class DirectPathAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static long allocated() {
        return THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    /**
     * The direct path's share: sealing behind a PUBLISH header, and the splitter taking a
     * frame from the socket's bytes and opening it, with Paho reading the PINGRESP between.
     */
    @Test
    void theDirectPathAllocatesNothingPerPacket() throws Exception {
        byte[] packet = ClassicVectors.hex(ClassicVectors.root().get("frames").get(1).get("packet_hex"));
        ClassicCodec sender = new ClassicCodec(Key.fromPassword("secret"), 1500);
        ClassicCodec receiver = new ClassicCodec(Key.fromPassword("secret"), 1500);
        PublishPacket out = new PublishPacket(64, 1556);
        int n = sender.seal(packet, packet.length, out.buffer(), out.payloadOffset());
        out.prepare("mqttip/10.0.1.1", n);
        byte[] wire = new byte[out.payloadOffset() + n - out.start() + 2];
        System.arraycopy(out.buffer(), out.start(), wire, 0, wire.length - 2);
        wire[wire.length - 2] = (byte) 0xd0; // PINGRESP, for Paho
        byte[] opened = new byte[1500];
        int[] good = new int[1];
        BrokerLink.Receiver open = new BrokerLink.Receiver() {
            @Override
            public void onFrame(int topic, byte[] buf, int off, int len) {
                if (topic == 0 && receiver.open(buf, off, len, opened) == packet.length) {
                    good[0]++;
                }
            }

            @Override
            public void onFrameTooLong(int topic, int len) {
            }
        };
        InboundSplitter splitter = new InboundSplitter(new Looping(wire), new byte[][] {"mqttip/10.0.1.1".getBytes()}, open);
        byte[] paho = new byte[2];
        int rounds = 20_000;
        for (int i = 0; i < rounds; i++) {
            directRound(sender, out, packet, splitter, paho);
        }
        long before = allocated();
        for (int i = 0; i < rounds; i++) {
            directRound(sender, out, packet, splitter, paho);
        }
        long perPacket = (allocated() - before) / rounds;
        assertThat(good[0]).isEqualTo(2 * rounds);
        assertThat(perPacket).as("bytes allocated per packet").isZero();
    }

    private static void directRound(ClassicCodec sender, PublishPacket out, byte[] packet, InboundSplitter splitter, byte[] paho)
            throws java.io.IOException {
        int n = sender.seal(packet, packet.length, out.buffer(), out.payloadOffset());
        out.prepare("mqttip/10.0.1.1", n);
        if (splitter.read(paho, 0, 2) != 2 || paho[0] != (byte) 0xd0) { // one frame delivered, then Paho's PINGRESP
            throw new AssertionError("Paho did not get its PINGRESP");
        }
    }

    /** The same bytes forever, as a socket would deliver them; allocates nothing. */
    private static final class Looping extends java.io.InputStream {
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
