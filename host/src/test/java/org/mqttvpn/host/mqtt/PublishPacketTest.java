package org.mqttvpn.host.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PublishPacketTest {
    /** Byte for byte what a reference encoder (the test's own, by the spec) makes, at every length-size boundary. */
    @Test
    void theHeaderIsExactlyAQos0PublishAtEveryRemainingLengthSize() {
        PublishPacket p = new PublishPacket(60, 3_000_000);
        Random r = new Random(3);
        for (int len : new int[] {0, 1, 108, 109, 110, 127, 128, 16_000, 16_364, 16_365, 16_383, 16_384, 2_097_000, 2_097_134, 2_097_135, 2_100_000}) {
            for (String topic : new String[] {"mqttip/10.0.1.2", "mqttip/fd00:1234:5678:9abc:def0:1234:5678:9abc", "ü/ß"}) {
                byte[] payload = MqttStreams.random(r, len);
                System.arraycopy(payload, 0, p.buffer(), p.payloadOffset(), len);
                p.prepare(topic, len);
                byte[] got = Arrays.copyOfRange(p.buffer(), p.start(), p.payloadOffset() + len);
                assertThat(got).as(topic + " " + len).isEqualTo(MqttStreams.publish(0, topic, payload));
            }
        }
    }

    @Test
    void remainingLengthEncodingMatchesTheSpecExamples() {
        // MQTT 3.1.1, table 2.4: the first and last value of each size
        int[][] cases = {{0, 0x00}, {127, 0x7f}, {128, 0x80, 0x01}, {16_383, 0xff, 0x7f}, {16_384, 0x80, 0x80, 0x01},
            {2_097_151, 0xff, 0xff, 0x7f}, {2_097_152, 0x80, 0x80, 0x80, 0x01}, {268_435_455, 0xff, 0xff, 0xff, 0x7f}};
        for (int[] c : cases) {
            byte[] buf = new byte[4];
            int n = MqttWire.encodeRemainingLength(c[0], buf, 0);
            assertThat(n).isEqualTo(c.length - 1).isEqualTo(MqttWire.remainingLengthBytes(c[0]));
            byte[] packet = new byte[5];
            for (int i = 1; i < c.length; i++) {
                assertThat(buf[i - 1] & 0xff).isEqualTo(c[i]);
                packet[i] = buf[i - 1];
            }
            long decoded = assertDecodes(packet, c.length);
            assertThat(MqttWire.remainingLength(decoded)).isEqualTo(c[0]);
            assertThat(MqttWire.headerLength(decoded)).isEqualTo(c.length);
        }
        assertThatThrownBy(() -> MqttWire.encodeRemainingLength(268_435_456, new byte[4], 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static long assertDecodes(byte[] packet, int headerLength) {
        try {
            assertThat(MqttWire.decodeFixedHeader(packet, 0, headerLength - 1)).isEqualTo(MqttWire.INCOMPLETE);
            return MqttWire.decodeFixedHeader(packet, 0, headerLength);
        } catch (MqttWire.MalformedPacketException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void badTopicsAndLengthsAreRefused() {
        PublishPacket p = new PublishPacket(10, 100);
        assertThatThrownBy(() -> p.prepare("a/very/long/topic", 1)).hasMessageContaining("longer than 10 bytes");
        assertThatThrownBy(() -> p.prepare("", 1)).hasMessageContaining("empty");
        assertThatThrownBy(() -> p.prepare("t", 101)).hasMessageContaining("0..100");
    }
}
