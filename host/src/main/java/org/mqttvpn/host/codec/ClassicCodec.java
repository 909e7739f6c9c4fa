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
    /**
     * Nonces drawn from libsodium's CSPRNG in bulk: it makes one getrandom() system call per
     * request, and one per packet is a measurable share of an idle tunnel's latency.
     * Nonces are public (they travel in the frame); they only must never repeat.
     */
    private final byte[] nonces = new byte[NONCE_BYTES * 128];
    private int noncesUsed = nonces.length;
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
        return seal(packet, len, frame, 0);
    }

    /** {@link #seal(byte[], int, byte[])}, writing the frame at {@code frameOffset}. */
    public int seal(byte[] packet, int len, byte[] frame, int frameOffset) {
        if (key.encrypts()) {
            if (noncesUsed == nonces.length) {
                sodium.randombytes_buf(nonces, nonces.length);
                noncesUsed = 0;
            }
            System.arraycopy(nonces, noncesUsed, nonce, 0, NONCE_BYTES);
            noncesUsed += NONCE_BYTES;
        }
        return sealWithNonce(packet, len, nonce, frame, frameOffset);
    }

    /**
     * Seals with the given nonce. Only test vectors and tests may choose the nonce; the data
     * path uses {@link #seal}.
     */
    public int sealWithNonce(byte[] packet, int len, byte[] nonce, byte[] frame) {
        return sealWithNonce(packet, len, nonce, frame, 0);
    }

    private int sealWithNonce(byte[] packet, int len, byte[] nonce, byte[] frame, int at) {
        if (len < 0 || len > mtu) {
            throw new IllegalArgumentException("packet length outside 0.." + mtu + ": " + len);
        }
        if (at < 0 || frame.length - at < frameLength(len)) {
            throw new IllegalArgumentException("frame buffer too small: " + (frame.length - at) + " < " + frameLength(len));
        }
        if (!key.encrypts()) {
            System.arraycopy(packet, 0, frame, at, len);
            return len;
        }
        // The binding has no offset argument: libsodium reads len bytes from index 0.
        if (sodium.crypto_secretbox_easy(box, packet, len, nonce, key.bytes()) != 0) {
            throw new IllegalStateException("crypto_secretbox_easy failed");
        }
        System.arraycopy(nonce, 0, frame, at, NONCE_BYTES);
        Arrays.fill(frame, at + NONCE_BYTES, at + TAG_OFFSET, (byte) 0);
        System.arraycopy(box, 0, frame, at + TAG_OFFSET, TAG_BYTES + len);
        return len + OVERHEAD;
    }

    /** {@link #open(byte[], int, int, byte[])} of a frame at the start of {@code frame}. */
    public int open(byte[] frame, int len, byte[] packet) {
        return open(frame, 0, len, packet);
    }

    /**
     * Opens the frame {@code frame[off .. off + len)} into {@code packet} (at least
     * {@code mtu} bytes, at its start). Returns the packet length, or a negative code that
     * {@link #dropReason(int)} turns into the reason.
     */
    public int open(byte[] frame, int off, int len, byte[] packet) {
        if (!key.encrypts()) {
            if (len < PacketCheck.IPV4_HEADER) {
                return code(DropReason.TOO_SHORT);
            }
            if (len > mtu) {
                return code(DropReason.TOO_LONG);
            }
            // Copied: the TUN write hands the whole array to the kernel, and this one is MTU-sized.
            System.arraycopy(frame, off, packet, 0, len);
            return checked(packet, len);
        }
        if (len < OVERHEAD + PacketCheck.IPV4_HEADER) {
            return code(DropReason.TOO_SHORT);
        }
        int packetLength = len - OVERHEAD;
        if (packetLength > mtu) {
            return code(DropReason.TOO_LONG);
        }
        // Bytes 24..39 are ignored, as libsodium and TweetNaCl ignore them.
        System.arraycopy(frame, off, nonce, 0, NONCE_BYTES);
        System.arraycopy(frame, off + TAG_OFFSET, box, 0, TAG_BYTES + packetLength);
        if (sodium.crypto_secretbox_open_easy(packet, box, TAG_BYTES + packetLength, nonce, key.bytes()) != 0) {
            return code(DropReason.AUTH_FAILED);
        }
        return checked(packet, packetLength);
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
