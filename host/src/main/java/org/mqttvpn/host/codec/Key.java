package org.mqttvpn.host.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The network's pre-shared key. Classic derivation: the first 32 bytes of SHA-512 of the
 * password's UTF-8 bytes (NaCl {@code crypto_hash}), hashed by libsodium, which a key needs
 * anyway: java.security's SHA-512 and its lookup are classes the daemon loads for nothing else
 * (it keeps only the SecureRandom that temporary files use). An empty password means no encryption.
 * A password kept in a file is read by {@link org.mqttvpn.host.secret.SecretFile}.
 */
public final class Key {
    public static final int BYTES = 32;
    public static final Key NONE = new Key(null);

    private final byte[] bytes;

    private Key(byte[] bytes) {
        this.bytes = bytes;
    }

    public static Key fromPassword(String password) {
        if (password == null || password.isEmpty()) {
            return NONE;
        }
        byte[] text = password.getBytes(StandardCharsets.UTF_8);
        byte[] hash = new byte[64];
        if (Sodium.get().crypto_hash_sha512(hash, text, text.length) != 0) {
            throw new IllegalStateException("libsodium's crypto_hash_sha512 failed");
        }
        return new Key(Arrays.copyOf(hash, BYTES));
    }

    public boolean encrypts() {
        return bytes != null;
    }

    /** The raw key; callers must not modify it. */
    byte[] bytes() {
        return bytes;
    }

    public byte[] copyOfBytes() {
        return bytes == null ? null : bytes.clone();
    }
}
