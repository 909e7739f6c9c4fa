package org.mqttvpn.codegen.inventory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads an inventory or state file with a bound: a regular file of at most {@link #MAX_BYTES}.
 * Read whole, {@code --config /dev/zero} grew until the JVM ran out of memory and a FIFO
 * blocked for ever; the YAML library's own code point limit only applies after the read.
 */
public final class YamlBytes {
    /** The YAML library's default code point limit (3 MB): no inventory comes near it. */
    public static final int MAX_BYTES = 3 * 1024 * 1024;

    private YamlBytes() {
    }

    /**
     * The file's bytes.
     *
     * @throws NoSuchFileException when it does not exist
     * @throws IOException when it is not a regular file, is larger than the limit or cannot be
     *         read; the message says which
     */
    public static byte[] read(Path file) throws IOException {
        // Checked before opening: opening a FIFO would block until a writer comes
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException(Files.isDirectory(file) ? "it is a directory"
                    : "it is not a regular file (a pipe, a socket or a device)");
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new IOException("it is larger than " + MAX_BYTES / (1024 * 1024) + " MB");
            }
            return bytes;
        }
    }
}
