package org.mqttvpn.host.codec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The network's pre-shared key. Classic derivation: the first 32 bytes of SHA-512 of the
 * password's UTF-8 bytes (NaCl {@code crypto_hash}). An empty password means no encryption.
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
        try {
            byte[] hash = MessageDigest.getInstance("SHA-512").digest(password.getBytes(StandardCharsets.UTF_8));
            return new Key(Arrays.copyOf(hash, BYTES));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 is missing from this Java runtime", e);
        }
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
