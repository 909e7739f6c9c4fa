package org.mqttvpn.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.mqttvpn.host.codec.ClassicCodec;
import org.mqttvpn.host.codec.ClassicVectors;
import org.mqttvpn.host.codec.Key;
import org.mqttvpn.host.topic.Topics;

/**
 * The per-packet work of the data path (topic lookup, seal, open, sanity check) must not
 * allocate: the JVM's per-thread allocation counter tells, exactly.
 */
class DataPathAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static long allocated() {
        return THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    @Test
    void sealingOpeningAndTopicLookupAllocateNothingPerPacket() {
        byte[] packet = ClassicVectors.hex(ClassicVectors.root().get("frames").get(1).get("packet_hex"));
        ClassicCodec sender = new ClassicCodec(Key.fromPassword("secret"), 1500);
        ClassicCodec receiver = new ClassicCodec(Key.fromPassword("secret"), 1500);
        Topics topics = new Topics("mqttip");
        byte[] frame = new byte[1556];
        byte[] out = new byte[1500];
        int rounds = 20_000;
        // warm up: JIT, the topic cache, libsodium's first call
        for (int i = 0; i < rounds; i++) {
            round(sender, receiver, topics, packet, frame, out);
        }
        long before = allocated();
        for (int i = 0; i < rounds; i++) {
            round(sender, receiver, topics, packet, frame, out);
        }
        long perPacket = (allocated() - before) / rounds;
        assertThat(perPacket).as("bytes allocated per packet").isZero();
    }

    private static void round(ClassicCodec sender, ClassicCodec receiver, Topics topics, byte[] packet, byte[] frame, byte[] out) {
        if (topics.forPacket(packet, packet.length) == null) {
            throw new AssertionError("no topic");
        }
        int n = sender.seal(packet, packet.length, frame);
        if (receiver.open(frame, n, out) != packet.length) {
            throw new AssertionError("open failed");
        }
    }
}
