package org.mqttvpn.tools.ota;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.mqttvpn.codegen.inventory.FileErrors;
import org.mqttvpn.tools.cli.ExitCode;
import org.mqttvpn.tools.cli.ToolkitException;

/**
 * The firmware image to upload, read whole (images are a few MB at most), with the hashes the
 * protocol sends: the MD5 in the invitation, the SHA-256 for mqttvpn receivers.
 *
 * @param data   the bytes; callers must not modify them
 * @param md5    lower-case hex
 * @param sha256 lower-case hex
 */
public record OtaImage(Path path, byte[] data, String md5, String sha256) {
    /** Larger than any ESP32 flash (16 MB) with room: a larger file is not a firmware image. */
    static final int MAX_BYTES = 32 << 20;

    public long size() {
        return data.length;
    }

    /**
     * Reads an image; fails (exit {@link ExitCode#OTA_IMAGE_UNREADABLE}) with what is wrong and
     * what to do. {@code hint} says how to make the image (e.g. "toolkit build sensor-1"), or null.
     */
    public static OtaImage read(Path path, String hint) {
        String make = hint == null ? "" : ": " + hint;
        if (Files.isDirectory(path)) {
            throw unreadable("the image " + path + " is a directory: give the firmware file (.bin)");
        }
        if (Files.exists(path) && !Files.isRegularFile(path)) {
            throw unreadable("the image " + path + " is not a regular file: give the firmware file (.bin)");
        }
        byte[] data;
        try (InputStream in = Files.newInputStream(path)) {
            data = in.readNBytes(MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw unreadable("the image " + path + " does not exist" + (hint == null ? ": check the path" : make));
        } catch (AccessDeniedException e) {
            throw unreadable("the image " + path + " is not readable by this user: run as its owner, or chmod it");
        } catch (IOException e) {
            throw unreadable("cannot read the image " + path + " (" + FileErrors.reason(e) + ")");
        }
        if (data.length == 0) {
            throw unreadable("the image " + path + " is empty" + (hint == null ? ": build it again" : make));
        }
        if (data.length > MAX_BYTES) {
            throw unreadable("the image " + path + " is larger than " + (MAX_BYTES >> 20)
                    + " MB: that is not a firmware image for an ESP or the virtual device");
        }
        return new OtaImage(path, data, Espota.hex("MD5", data), Espota.hex("SHA-256", data));
    }

    private static ToolkitException unreadable(String message) {
        return new ToolkitException(ExitCode.OTA_IMAGE_UNREADABLE, message);
    }
}
