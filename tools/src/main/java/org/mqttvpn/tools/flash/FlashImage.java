package org.mqttvpn.tools.flash;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.mqttvpn.tools.cli.ExitCode;
import org.mqttvpn.tools.cli.ToolkitException;

/**
 * A file's bytes and where they go in flash.
 *
 * @param source  where the bytes came from, for messages ("bootloader.bin")
 * @param address flash offset
 * @param data    the bytes as read (checks and header patching happen later)
 * @param raw     write as data, without the firmware-image checks
 */
public record FlashImage(String source, long address, byte[] data, boolean raw) {

    public static FlashImage load(ImageSpec spec, boolean raw) {
        Path file = spec.file();
        try {
            byte[] data = Files.readAllBytes(file);
            if (data.length == 0) {
                throw ToolkitException.usage("image " + file + " is empty");
            }
            return new FlashImage(file.toString(), spec.address(), data, raw);
        } catch (NoSuchFileException e) {
            throw ToolkitException.usage("image " + file + " does not exist");
        } catch (AccessDeniedException e) {
            throw new ToolkitException(ExitCode.PERMISSION, "image " + file + " is not readable by this user");
        } catch (IOException e) {
            throw ToolkitException.usage("cannot read image " + file + ": " + e.getMessage());
        }
    }

    public long end() {
        return address + data.length;
    }

    /** "app.bin@0x10000", for messages. */
    public String label() {
        return source + "@0x" + Long.toHexString(address);
    }
}
