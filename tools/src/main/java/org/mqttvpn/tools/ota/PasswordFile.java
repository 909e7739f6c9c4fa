package org.mqttvpn.tools.ota;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.mqttvpn.codegen.inventory.FileErrors;
import org.mqttvpn.host.codec.Key;
import org.mqttvpn.tools.cli.ExitCode;
import org.mqttvpn.tools.cli.ToolkitException;

/**
 * Reads an OTA password from a file, never from the command line (where {@code ps} shows it):
 * a regular file (not a pipe or a device, which could block or never end), at most
 * {@link #MAX_BYTES}, UTF-8, the password on its first line without the line end (as key files
 * are read: {@link Key#firstLine}). Every other case fails with exit
 * {@link ExitCode#OTA_NO_PASSWORD} and says what to do.
 */
public final class PasswordFile {
    /** A password file holds one line; anything longer is another kind of file. */
    static final int MAX_BYTES = 4096;

    private PasswordFile() {
    }

    /** The password; {@code warnings} gets a line when others may read the file. */
    public static String read(Path file, java.io.PrintWriter warnings) {
        String what = "--password-file " + file;
        if (Files.isDirectory(file)) {
            throw noPassword(what + " is a directory: give the file that holds the OTA password on its first line");
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw noPassword(what + " is not a regular file (a pipe, a socket or a device): give a file that holds"
                    + " the OTA password on its first line");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw noPassword(what + " does not exist: write the device's OTA password on the first line of a file"
                    + " (chmod 600 it) and name that file");
        } catch (AccessDeniedException e) {
            throw noPassword(what + " is not readable by this user: run as its owner, or chmod it");
        } catch (IOException e) {
            throw noPassword("cannot read " + what + " (" + FileErrors.reason(e) + ")");
        }
        if (bytes.length > MAX_BYTES) {
            throw noPassword(what + " is longer than " + MAX_BYTES + " bytes: a password file holds the password on"
                    + " its first line, and nothing much else");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw noPassword(what + " is not UTF-8 text: write the password on its first line as text");
        }
        String password = Key.firstLine(text);
        if (password.isEmpty()) {
            throw noPassword("the first line of " + what + " is empty: put the OTA password there");
        }
        warnIfOthersCanRead(file, warnings);
        return password;
    }

    private static void warnIfOthersCanRead(Path file, java.io.PrintWriter warnings) {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            if (mode.contains(PosixFilePermission.GROUP_READ) || mode.contains(PosixFilePermission.OTHERS_READ)) {
                warnings.println("warning: --password-file " + file + " is readable by other users: chmod 600 " + file);
                warnings.flush();
            }
        } catch (IOException | UnsupportedOperationException e) {
            // no POSIX modes here: nothing to warn about
        }
    }

    static ToolkitException noPassword(String message) {
        return new ToolkitException(ExitCode.OTA_NO_PASSWORD, message);
    }
}
