package org.mqttvpn.tools.flash;

/**
 * How to flash: everything the command line can set, with esptool's defaults.
 *
 * @param chip            the chip the user expects, or null to accept what is detected
 * @param baud            the rate to switch to after sync (the ROM syncs at 115200)
 * @param compress        send deflate-compressed data where the ROM supports it
 * @param verify          compare the flash MD5 with the data's after each file, where the ROM supports it
 * @param resetAfter      pulse RTS at the end so the new firmware starts
 * @param resetBefore     reset into the bootloader with DTR/RTS before syncing
 * @param connectAttempts reset-and-sync rounds before giving up (esptool: 7)
 * @param flashParams     header rewrite for the bootloader image
 * @param timeouts        how long to wait for answers
 */
public record FlashOptions(Chip chip, int baud, boolean compress, boolean verify, boolean resetAfter,
        boolean resetBefore, int connectAttempts, FlashParams flashParams, LoaderTimeouts timeouts) {

    public static final int ROM_BAUD = 115200;
    public static final int DEFAULT_BAUD = 921600;

    public static FlashOptions defaults() {
        return new FlashOptions(null, DEFAULT_BAUD, true, true, true, true, 7, FlashParams.KEEP, LoaderTimeouts.ESPTOOL);
    }

    public FlashOptions withChip(Chip c) {
        return new FlashOptions(c, baud, compress, verify, resetAfter, resetBefore, connectAttempts, flashParams, timeouts);
    }

    public FlashOptions withBaud(int b) {
        return new FlashOptions(chip, b, compress, verify, resetAfter, resetBefore, connectAttempts, flashParams, timeouts);
    }

    public FlashOptions withCompress(boolean c) {
        return new FlashOptions(chip, baud, c, verify, resetAfter, resetBefore, connectAttempts, flashParams, timeouts);
    }

    public FlashOptions withVerify(boolean v) {
        return new FlashOptions(chip, baud, compress, v, resetAfter, resetBefore, connectAttempts, flashParams, timeouts);
    }

    public FlashOptions withResetAfter(boolean r) {
        return new FlashOptions(chip, baud, compress, verify, r, resetBefore, connectAttempts, flashParams, timeouts);
    }

    public FlashOptions withResetBefore(boolean r) {
        return new FlashOptions(chip, baud, compress, verify, resetAfter, r, connectAttempts, flashParams, timeouts);
    }

    public FlashOptions withConnectAttempts(int n) {
        return new FlashOptions(chip, baud, compress, verify, resetAfter, resetBefore, n, flashParams, timeouts);
    }

    public FlashOptions withFlashParams(FlashParams p) {
        return new FlashOptions(chip, baud, compress, verify, resetAfter, resetBefore, connectAttempts, p, timeouts);
    }

    public FlashOptions withTimeouts(LoaderTimeouts t) {
        return new FlashOptions(chip, baud, compress, verify, resetAfter, resetBefore, connectAttempts, flashParams, t);
    }
}
