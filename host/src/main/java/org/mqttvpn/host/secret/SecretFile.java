package org.mqttvpn.host.secret;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Set;
import org.mqttvpn.host.secret.SecretFileException.Kind;

/**
 * The one reader of secrets kept in files: the network key ({@code --key-file}, inventory
 * {@code key: file:}), broker, Wi-Fi, AP and OTA passwords. The rule (README, "Keys and other
 * secrets in files") is the virtual device's too ({@code firmware/host-sim/src/secret_file.c});
 * both run the table {@code firmware/host-sim/test/secret_files.txt}:
 * <ol>
 *   <li>a regular file (symbolic links followed): not a directory, pipe, socket or device, which
 *       could block or never end; at most {@link #MAX_FILE_BYTES} bytes;</li>
 *   <li>the secret is its first line: the bytes before the first LF, or all of them without one;
 *       one CR right before that end is dropped (CR LF files);</li>
 *   <li>1 to {@link #MAX_SECRET_BYTES} bytes (bytes, not characters), no NUL, no other CR, no
 *       UTF-8 byte order mark, valid UTF-8; taken byte for byte (nothing trimmed or normalised),
 *       so the key is SHA-512 of exactly these bytes (PROTOCOL.md).</li>
 * </ol>
 * What follows the first line is not read as part of it (a comment may go there).
 */
public final class SecretFile {
    /** The longest secret, in bytes of its UTF-8 text. */
    public static final int MAX_SECRET_BYTES = 1024;
    /** The largest secret file: a secret on its first line, and little else. */
    public static final int MAX_FILE_BYTES = 4096;

    private static final byte[] BOM = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};

    private SecretFile() {
    }

    /** The secret on the first line of {@code file}; never blocks on a pipe, never reads more than a few KB. */
    public static String read(Path file) throws SecretFileException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            throw cannotRead(file, e);
        }
        if (attributes.isDirectory()) {
            throw new SecretFileException(Kind.DIRECTORY, -1, file + " is a directory",
                    "name the file that holds the secret on its first line");
        }
        if (!attributes.isRegularFile()) {
            throw new SecretFileException(Kind.NOT_REGULAR, -1,
                    file + " is not a regular file (a pipe, a socket or a device)",
                    "secrets are read from regular files only, which cannot block or go on forever:"
                            + " put the secret on the first line of a file");
        }
        if (attributes.size() > MAX_FILE_BYTES) {
            throw tooBig(file);
        }
        byte[] content;
        try (InputStream in = Files.newInputStream(file)) {
            content = in.readNBytes(MAX_FILE_BYTES + 1); // the file may have grown since
        } catch (IOException e) {
            throw cannotRead(file, e);
        }
        return secretOf(content, "the first line of " + file, file.toString());
    }

    /**
     * A secret given another way (an environment variable, the command line), checked as a first
     * line would be: at most {@link #MAX_SECRET_BYTES} bytes, on one line, without NUL. An empty
     * value is left to the caller (for a key it means no encryption).
     */
    public static void checkValue(String value, String what) throws SecretFileException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_SECRET_BYTES) {
            throw tooLong(what, bytes.length);
        }
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n' || bytes[i] == '\r' || bytes[i] == 0) {
                throw new SecretFileException(bytes[i] == 0 ? Kind.NUL : Kind.LINE_BREAK, i,
                        what + (bytes[i] == 0 ? " holds a NUL byte" : " holds a line break") + " (byte " + (i + 1) + ")",
                        "give the secret on one line; where it is kept in a file, only the file's first line is read");
            }
        }
    }

    /** Whether users other than the owner may read the file (worth a warning: chmod 600). */
    public static boolean othersCanRead(Path file) {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            return mode.contains(PosixFilePermission.GROUP_READ) || mode.contains(PosixFilePermission.OTHERS_READ);
        } catch (IOException | UnsupportedOperationException e) {
            return false; // no POSIX modes here: nothing to warn about
        }
    }

    /** The rule on a file's content (the table's cases); {@code line} and {@code file} name it in messages. */
    static String secretOf(byte[] content, String line, String file) throws SecretFileException {
        if (content.length > MAX_FILE_BYTES) {
            throw tooBig(file);
        }
        int end = 0;
        while (end < content.length && content[end] != '\n') {
            end++;
        }
        if (end > 0 && content[end - 1] == '\r') {
            end--;
        }
        if (end == 0) {
            throw new SecretFileException(Kind.EMPTY, -1, line + " is empty", "put the secret on the first line");
        }
        if (end > MAX_SECRET_BYTES) {
            throw tooLong(line, end);
        }
        for (int i = 0; i < end; i++) {
            if (content[i] == 0) {
                throw new SecretFileException(Kind.NUL, i, line + " holds a NUL byte (byte " + (i + 1) + ")",
                        "write the secret as text");
            }
            if (content[i] == '\r') {
                throw new SecretFileException(Kind.STRAY_CR, i,
                        line + " holds a carriage return (CR) before its end (byte " + (i + 1) + ")",
                        "end lines with LF or CR LF, and put no CR inside the secret");
            }
        }
        if (end >= BOM.length && Arrays.equals(content, 0, BOM.length, BOM, 0, BOM.length)) {
            throw new SecretFileException(Kind.BOM, 0, file + " starts with a UTF-8 byte order mark (EF BB BF)",
                    "save it without one: it would be part of the secret");
        }
        return utf8(content, end, line);
    }

    private static String utf8(byte[] content, int end, String line) throws SecretFileException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(content, 0, end);
        CharBuffer out = CharBuffer.allocate(end);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError() && !in.hasRemaining()) {
            result = decoder.flush(out);
        }
        if (result.isError() || in.hasRemaining()) {
            int at = in.position();
            throw new SecretFileException(Kind.NOT_UTF8, at, line + " is not valid UTF-8 (byte " + (at + 1) + ")",
                    "write the secret as UTF-8 text");
        }
        return out.flip().toString();
    }

    private static SecretFileException tooBig(String file) {
        return new SecretFileException(Kind.FILE_TOO_BIG, -1, file + " is longer than " + MAX_FILE_BYTES + " bytes",
                "a secret file holds the secret on its first line and little else: name the file that holds the secret");
    }

    private static SecretFileException tooBig(Path file) {
        return tooBig(file.toString());
    }

    private static SecretFileException tooLong(String what, int bytes) {
        return new SecretFileException(Kind.TOO_LONG, -1,
                what + " is longer than " + MAX_SECRET_BYTES + " bytes (" + bytes + ")",
                "use a shorter secret: 64 random hex digits (256 bits) are plenty");
    }

    private static SecretFileException cannotRead(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new SecretFileException(Kind.NOT_FOUND, -1, file + " does not exist",
                    "create it with the secret on its first line, or correct the path");
        }
        if (e instanceof AccessDeniedException) {
            return new SecretFileException(Kind.NOT_READABLE, -1, file + " is not readable by this user",
                    "run as its owner, or chmod it");
        }
        String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
        return new SecretFileException(Kind.CANNOT_READ, -1, "cannot read " + file + " (" + reason + ")",
                "check that it is a readable file");
    }
}
