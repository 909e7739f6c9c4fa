package org.mqttvpn.codegen;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;

/**
 * The network key of {@code key: generate}: 256 random bits from SecureRandom, written as 64
 * hex characters. The classic protocol derives the key from a password (SHA-512), so the file
 * holds a long random password that every node uses as is. Written once, mode 0600, and
 * reused ever after: a second write fails rather than replace a key devices already have.
 * Generated OTA passwords ({@link OtaPasswords}) are made and kept the same way.
 */
public final class NetworkKey {
    public static final int BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private NetworkKey() {
    }

    public static String generate() {
        byte[] b = new byte[BYTES];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Creates the key file; fails if it exists. */
    public static void writeNew(Path file, String key) throws IOException {
        try (SeekableByteChannel ch = Files.newByteChannel(file, EnumSet.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            ByteBuffer b = ByteBuffer.wrap((key + "\n").getBytes(StandardCharsets.US_ASCII));
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }
    }
}
