package org.mqttvpn.host.codec;

import com.goterl.lazysodium.SodiumJava;
import java.util.Arrays;

/**
 * The classic MQTT-VPN frame codec (see PROTOCOL.md): with a key, a frame is
 * nonce(24) || 16 zero bytes || Poly1305 tag(16) || XSalsa20 ciphertext; without one, the
 * frame is the IP packet itself.
 *
 * <p>An instance owns scratch buffers and is not thread-safe: give each thread its own.
 * Nothing here allocates per packet.
 */
public final class ClassicCodec {
    public static final int NONCE_BYTES = 24;
    public static final int ZERO_BYTES = 16;
    public static final int TAG_BYTES = 16;
    /** Bytes a frame adds to the packet it carries when a key is set. */
    public static final int OVERHEAD = NONCE_BYTES + ZERO_BYTES + TAG_BYTES;
    /** The classic interface MTU, and the largest packet a frame may carry. */
    public static final int DEFAULT_MTU = 1500;

    private static final int TAG_OFFSET = NONCE_BYTES + ZERO_BYTES;
    private static final DropReason[] REASONS = DropReason.values();

    private final Key key;
    private final int mtu;
    private final SodiumJava sodium;
    private final byte[] nonce = new byte[NONCE_BYTES];
    private final byte[] box;

    public ClassicCodec(Key key, int mtu) {
        if (mtu < PacketCheck.IPV4_HEADER || mtu > 65535) {
            throw new IllegalArgumentException("mtu out of range 20..65535: " + mtu);
        }
        this.key = key;
        this.mtu = mtu;
        this.sodium = key.encrypts() ? Sodium.get() : null;
        this.box = new byte[TAG_BYTES + mtu];
    }

    public boolean encrypts() {
        return key.encrypts();
    }

    public int mtu() {
        return mtu;
    }

    /** The frame length for a packet of {@code packetLength} bytes. */
    public int frameLength(int packetLength) {
        return key.encrypts() ? packetLength + OVERHEAD : packetLength;
    }

    /** Seals with a fresh nonce from libsodium's CSPRNG; returns the frame length. */
    public int seal(byte[] packet, int len, byte[] frame) {
        if (key.encrypts()) {
            sodium.randombytes_buf(nonce, NONCE_BYTES);
        }
        return sealWithNonce(packet, len, nonce, frame);
    }

    /**
     * Seals with the given nonce. Only test vectors and tests may choose the nonce; the data
     * path uses {@link #seal}.
     */
    public int sealWithNonce(byte[] packet, int len, byte[] nonce, byte[] frame) {
        if (len < 0 || len > mtu) {
            throw new IllegalArgumentException("packet length outside 0.." + mtu + ": " + len);
        }
        if (frame.length < frameLength(len)) {
            throw new IllegalArgumentException("frame buffer too small: " + frame.length + " < " + frameLength(len));
        }
        if (!key.encrypts()) {
            System.arraycopy(packet, 0, frame, 0, len);
            return len;
        }
        // The binding has no offset argument: libsodium reads len bytes from index 0.
        if (sodium.crypto_secretbox_easy(box, packet, len, nonce, key.bytes()) != 0) {
            throw new IllegalStateException("crypto_secretbox_easy failed");
        }
        System.arraycopy(nonce, 0, frame, 0, NONCE_BYTES);
        Arrays.fill(frame, NONCE_BYTES, TAG_OFFSET, (byte) 0);
        System.arraycopy(box, 0, frame, TAG_OFFSET, TAG_BYTES + len);
        return len + OVERHEAD;
    }

    /**
     * Opens a frame. Returns the packet length, or a negative code that
     * {@link #dropReason(int)} turns into the reason. With a key the packet is decrypted into
     * {@code packet} (at least {@code mtu} bytes); without one it is the frame itself and is
     * left there, not copied: {@link #openedPacket} says which array holds it.
     */
    public int open(byte[] frame, int len, byte[] packet) {
        if (!key.encrypts()) {
            if (len < PacketCheck.IPV4_HEADER) {
                return code(DropReason.TOO_SHORT);
            }
            if (len > mtu) {
                return code(DropReason.TOO_LONG);
            }
            return checked(frame, len);
        }
        if (len < OVERHEAD + PacketCheck.IPV4_HEADER) {
            return code(DropReason.TOO_SHORT);
        }
        int packetLength = len - OVERHEAD;
        if (packetLength > mtu) {
            return code(DropReason.TOO_LONG);
        }
        // Bytes 24..39 are ignored, as libsodium and TweetNaCl ignore them.
        System.arraycopy(frame, 0, nonce, 0, NONCE_BYTES);
        System.arraycopy(frame, TAG_OFFSET, box, 0, TAG_BYTES + packetLength);
        if (sodium.crypto_secretbox_open_easy(packet, box, TAG_BYTES + packetLength, nonce, key.bytes()) != 0) {
            return code(DropReason.AUTH_FAILED);
        }
        return checked(packet, packetLength);
    }

    /** The array that holds the packet after a successful {@link #open}. */
    public byte[] openedPacket(byte[] frame, byte[] packet) {
        return key.encrypts() ? packet : frame;
    }

    private int checked(byte[] packet, int len) {
        DropReason reason = PacketCheck.check(packet, 0, len, mtu);
        return reason == null ? len : code(reason);
    }

    private static int code(DropReason reason) {
        return -1 - reason.ordinal();
    }

    /** The reason behind a negative result of {@link #open}; null for a packet length. */
    public static DropReason dropReason(int result) {
        return result >= 0 ? null : REASONS[-1 - result];
    }
}
