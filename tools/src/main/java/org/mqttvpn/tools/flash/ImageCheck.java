package org.mqttvpn.tools.flash;

import org.mqttvpn.tools.cli.ExitCode;
import org.mqttvpn.tools.cli.ToolkitException;

/** Decides whether a file may be written to a given chip, before anything is sent. */
public final class ImageCheck {
    private ImageCheck() {
    }

    /**
     * Checks {@code image} for {@code chip}: a firmware image (header, segments, checksum,
     * SHA-256, chip id) or an ESP-IDF partition table; anything else only with --raw.
     */
    public static void check(FlashImage image, Chip chip) {
        if (image.raw()) {
            return;
        }
        byte[] d = image.data();
        if (PartitionTable.looksLike(d)) {
            try {
                PartitionTable.check(d);
                return;
            } catch (ImageException e) {
                throw bad(image, e);
            }
        }
        FirmwareImage parsed;
        try {
            parsed = FirmwareImage.parse(d, chip.hasExtendedHeader());
        } catch (ImageException e) {
            throw bad(image, e);
        }
        if (chip.hasExtendedHeader() && parsed.chipId() != chip.imageChipId()) {
            String built = Chip.byImageChipId(parsed.chipId()).map(Chip::displayName)
                    .orElse("chip id " + parsed.chipId());
            throw new ToolkitException(ExitCode.WRONG_CHIP, image.source() + " was built for " + built
                    + ", but the board is an " + chip.displayName() + ". Build it for " + chip.cliName()
                    + " (idf.py set-target " + chip.cliName() + ").");
        }
    }

    private static ToolkitException bad(FlashImage image, ImageException e) {
        return new ToolkitException(ExitCode.BAD_IMAGE, image.source() + ":" + e.offset() + ": " + e.getMessage()
                + ". Rebuild it, or pass --raw to write the file as plain data.");
    }
}
