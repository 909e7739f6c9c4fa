package org.mqttvpn.host.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClassicCodecTest {
    private static final JsonNode V = ClassicVectors.root();

    @Test
    void keyDerivationMatchesEveryVectorKey() {
        for (JsonNode k : V.get("keys")) {
            Key key = Key.fromPassword(k.get("password").asText());
            assertThat(key.encrypts()).as(k.get("password").asText()).isEqualTo(k.get("encrypted").asBoolean());
            if (key.encrypts()) {
                assertThat(HexFormat.of().formatHex(key.copyOfBytes())).isEqualTo(k.get("key_hex").asText());
            }
        }
    }

    @Test
    void sealWithTheVectorNonceReproducesEveryFrame() {
        for (JsonNode f : V.get("frames")) {
            ClassicCodec codec = new ClassicCodec(Key.fromPassword(f.get("password").asText()), 1500);
            byte[] packet = ClassicVectors.hex(f.get("packet_hex"));
            byte[] frame = new byte[packet.length + ClassicCodec.OVERHEAD];
            int n = codec.sealWithNonce(packet, packet.length, ClassicVectors.hex(f.get("nonce_hex")), frame);
            assertThat(HexFormat.of().formatHex(frame, 0, n)).as(f.get("name").asText()).isEqualTo(f.get("frame_hex").asText());
        }
    }

    @Test
    void sealIntoALongerPacketBufferUsesOnlyTheGivenLength() {
        JsonNode f = V.get("frames").get(0);
        ClassicCodec codec = new ClassicCodec(Key.fromPassword("secret"), 1500);
        byte[] packet = ClassicVectors.hex(f.get("packet_hex"));
        byte[] big = Arrays.copyOf(packet, 1500);
        Arrays.fill(big, packet.length, big.length, (byte) 0x5a);
        byte[] frame = new byte[1556];
        int n = codec.sealWithNonce(big, packet.length, ClassicVectors.hex(f.get("nonce_hex")), frame);
        assertThat(HexFormat.of().formatHex(frame, 0, n)).isEqualTo(f.get("frame_hex").asText());
    }

    @Test
    void openReturnsEveryPacket() {
        for (JsonNode f : V.get("frames")) {
            ClassicCodec codec = new ClassicCodec(Key.fromPassword(f.get("password").asText()), 1500);
            byte[] frame = ClassicVectors.hex(f.get("frame_hex"));
            byte[] out = new byte[1500];
            int n = codec.open(frame, frame.length, out);
            assertThat(n).as(f.get("name").asText()).isPositive();
            assertThat(HexFormat.of().formatHex(out, 0, n)).isEqualTo(f.get("packet_hex").asText());
        }
    }

    @Test
    void plainFramesAreThePacketItself() {
        for (JsonNode f : V.get("frames")) {
            ClassicCodec codec = new ClassicCodec(Key.NONE, 1500);
            byte[] packet = ClassicVectors.hex(f.get("packet_hex"));
            byte[] frame = new byte[packet.length];
            int n = codec.seal(packet, packet.length, frame);
            assertThat(HexFormat.of().formatHex(frame, 0, n)).isEqualTo(f.get("plain_frame_hex").asText());
            byte[] out = new byte[1500];
            assertThat(codec.open(frame, n, out)).isEqualTo(packet.length);
            assertThat(Arrays.copyOf(out, packet.length)).isEqualTo(packet);
        }
    }

    /** The direct path seals behind a PUBLISH header and opens inside the receive buffer. */
    @Test
    void sealAndOpenAtAnOffsetMatchTheVectors() {
        for (JsonNode f : V.get("frames")) {
            for (Key key : new Key[] {Key.fromPassword(f.get("password").asText()), Key.NONE}) {
                ClassicCodec codec = new ClassicCodec(key, 1500);
                byte[] packet = ClassicVectors.hex(f.get("packet_hex"));
                byte[] at0 = new byte[packet.length + ClassicCodec.OVERHEAD];
                byte[] at37 = new byte[37 + packet.length + ClassicCodec.OVERHEAD + 5];
                Arrays.fill(at37, (byte) 0x5a);
                int n = codec.seal(packet, packet.length, at37, 37);
                assertThat(n).isEqualTo(codec.frameLength(packet.length));
                assertThat(at37[36]).as("byte before the frame untouched").isEqualTo((byte) 0x5a);
                assertThat(at37[37 + n]).as("byte after the frame untouched").isEqualTo((byte) 0x5a);
                byte[] out = new byte[1500];
                assertThat(codec.open(at37, 37, n, out)).isEqualTo(packet.length);
                assertThat(Arrays.copyOf(out, packet.length)).isEqualTo(packet);
                if (key.encrypts()) { // same bytes as at offset 0 with the same nonce
                    byte[] nonce = Arrays.copyOfRange(at37, 37, 37 + ClassicCodec.NONCE_BYTES);
                    codec.sealWithNonce(packet, packet.length, nonce, at0);
                    assertThat(Arrays.copyOfRange(at37, 37, 37 + n)).isEqualTo(at0);
                    at37[37 + n - 1] ^= 1;
                    assertThat(ClassicCodec.dropReason(codec.open(at37, 37, n, out))).isEqualTo(DropReason.AUTH_FAILED);
                }
            }
        }
    }

    @Test
    void everyRejectVectorIsRefusedWithItsReason() {
        for (JsonNode r : V.get("reject")) {
            ClassicCodec codec = new ClassicCodec(Key.fromPassword(r.get("password").asText()), 1500);
            byte[] frame = ClassicVectors.hex(r.get("frame_hex"));
            int n = codec.open(frame, frame.length, new byte[1500]);
            assertThat(n).as(r.get("name").asText()).isNegative();
            DropReason expected = r.get("name").asText().startsWith("truncated") || frame.length < 76
                    ? DropReason.TOO_SHORT : DropReason.AUTH_FAILED;
            assertThat(ClassicCodec.dropReason(n)).as(r.get("name").asText()).isEqualTo(expected);
        }
    }

    @Test
    void aFrameWithNonZeroPaddingBytesIsAccepted() {
        JsonNode a = V.get("accept_nonzero_pad");
        ClassicCodec codec = new ClassicCodec(Key.fromPassword(a.get("password").asText()), 1500);
        byte[] frame = ClassicVectors.hex(a.get("frame_hex"));
        byte[] out = new byte[1500];
        int n = codec.open(frame, frame.length, out);
        assertThat(n).isEqualTo(frame.length - ClassicCodec.OVERHEAD);
        assertThat(HexFormat.of().formatHex(out, 0, n)).isEqualTo(V.get("frames").get(0).get("packet_hex").asText());
    }

    @Test
    void sealUsesAFreshNonceEveryTimeAndZerosTheBoxPadding() {
        ClassicCodec codec = new ClassicCodec(Key.fromPassword("secret"), 1500);
        byte[] packet = ClassicVectors.hex(V.get("frames").get(0).get("packet_hex"));
        Set<String> nonces = new HashSet<>();
        byte[] frame = new byte[packet.length + 56];
        for (int i = 0; i < 1000; i++) {
            Arrays.fill(frame, (byte) 0xee);
            codec.seal(packet, packet.length, frame);
            nonces.add(HexFormat.of().formatHex(frame, 0, 24));
            assertThat(Arrays.copyOfRange(frame, 24, 40)).containsOnly(0);
        }
        assertThat(nonces).hasSize(1000);
    }

    @Test
    void aValidFrameWhosePlaintextIsNotIpIsDroppedAsNotIp() {
        ClassicCodec codec = new ClassicCodec(Key.fromPassword("secret"), 1500);
        byte[] notIp = "this is not an IP packet at all, just text".getBytes();
        byte[] frame = new byte[notIp.length + 56];
        int n = codec.seal(notIp, notIp.length, frame);
        assertThat(ClassicCodec.dropReason(codec.open(frame, n, new byte[1500]))).isEqualTo(DropReason.NOT_IP);
    }

    @Test
    void aFrameLongerThanTheMtuIsDroppedAsTooLongBeforeDecryption() {
        ClassicCodec big = new ClassicCodec(Key.fromPassword("secret"), 1500);
        ClassicCodec small = new ClassicCodec(Key.fromPassword("secret"), 1000);
        byte[] packet = ClassicVectors.hex(V.get("frames").get(1).get("packet_hex"));
        byte[] frame = new byte[packet.length + 56];
        int n = big.seal(packet, packet.length, frame);
        assertThat(ClassicCodec.dropReason(small.open(frame, n, new byte[1000]))).isEqualTo(DropReason.TOO_LONG);
        ClassicCodec plain = new ClassicCodec(Key.NONE, 1000);
        assertThat(ClassicCodec.dropReason(plain.open(packet, packet.length, new byte[1000]))).isEqualTo(DropReason.TOO_LONG);
    }
}
