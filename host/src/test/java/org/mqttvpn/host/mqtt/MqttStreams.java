package org.mqttvpn.host.mqtt;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Test helpers: MQTT packets as bytes, and a socket-like stream that gives them out in pieces. */
final class MqttStreams {
    private MqttStreams() {
    }

    /** A packet with the given first byte and body, its remaining length encoded as MQTT does. */
    static byte[] packet(int first, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(first);
        byte[] len = new byte[4];
        int n = MqttWire.encodeRemainingLength(body.length, len, 0);
        out.write(len, 0, n);
        out.write(body, 0, body.length);
        return out.toByteArray();
    }

    /** A PUBLISH at the given QoS (a packet id follows the topic above QoS 0). */
    static byte[] publish(int qos, String topic, byte[] payload) {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(t.length >>> 8);
        body.write(t.length & 0xff);
        body.write(t, 0, t.length);
        if (qos > 0) {
            body.write(0x12);
            body.write(0x34);
        }
        body.write(payload, 0, payload.length);
        return packet(0x30 | qos << 1, body.toByteArray());
    }

    static byte[] random(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /**
     * Returns the bytes in random pieces (1 byte up to a few KiB), sometimes throwing a read
     * timeout first, as a socket with SO_TIMEOUT does when the broker is slow.
     */
    static final class Choppy extends InputStream {
        private final byte[] data;
        private final Random random;
        private final boolean timeouts;
        private int at;
        int timeoutsThrown;

        Choppy(byte[] data, long seed, boolean timeouts) {
            this.data = data;
            this.random = new Random(seed);
            this.timeouts = timeouts;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (timeouts && random.nextInt(4) == 0) {
                timeoutsThrown++;
                throw new SocketTimeoutException("Read timed out");
            }
            if (at == data.length) {
                return -1;
            }
            int piece = random.nextInt(3) == 0 ? 1 + random.nextInt(8) : 1 + random.nextInt(4096);
            int n = Math.min(Math.min(len, piece), data.length - at);
            System.arraycopy(data, at, b, off, n);
            at += n;
            return n;
        }
    }
}
