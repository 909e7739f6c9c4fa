package org.mqttvpn.tools.flash;

import java.io.IOException;

/**
 * Reads the SPI flash chip's JEDEC id (command 0x9F) through the chip's SPI peripheral with
 * READ_REG/WRITE_REG, as esptool does to learn the flash size (ESP-ROM-PROTOCOL.md §4.6).
 */
public final class FlashIdReader {
    private static final long USR_COMMAND = 1L << 31;
    private static final long USR_MISO = 1L << 28;
    private static final long CMD_USR = 1L << 18;
    private static final int RDID = 0x9F;
    private static final int POLLS = 10;

    private FlashIdReader() {
    }

    /** The 24-bit JEDEC id: manufacturer in bits 7:0, capacity code in bits 23:16. */
    public static long read(RomLoaderClient loader, Chip chip) throws IOException {
        long base = chip.spiBase;
        long usr = loader.readReg(base + chip.spiUsr);
        long usr2 = loader.readReg(base + chip.spiUsr2);
        int misoBits = 24;
        if (chip.isEsp8266()) {
            loader.writeReg(base + chip.spiUsr1, (long) (misoBits - 1) << 8);
        } else {
            loader.writeReg(base + chip.spiMisoDlen, misoBits - 1);
        }
        loader.writeReg(base + chip.spiUsr, USR_COMMAND | USR_MISO);
        loader.writeReg(base + chip.spiUsr2, (7L << 28) | RDID);
        loader.writeReg(base + chip.spiW0, 0);
        loader.writeReg(base, CMD_USR);
        boolean done = false;
        for (int i = 0; i < POLLS && !done; i++) {
            done = (loader.readReg(base) & CMD_USR) == 0;
        }
        long id = loader.readReg(base + chip.spiW0) & 0xFFFFFF;
        loader.writeReg(base + chip.spiUsr, usr);
        loader.writeReg(base + chip.spiUsr2, usr2);
        if (!done) {
            throw new IOException("the SPI flash did not finish the read-id command");
        }
        return id;
    }

    /** Flash size in bytes from the JEDEC capacity code, or -1 when the code is not a known size. */
    public static long sizeFromId(long jedecId) {
        int code = (int) (jedecId >> 16) & 0xFF;
        // Most vendors: 2^code bytes for 0x12 (256 KB) .. 0x1A; some use 0x32.. and 0x20..0x22 instead.
        if (code >= 0x12 && code <= 0x1A) {
            return 1L << code;
        }
        if (code >= 0x32 && code <= 0x3A) {
            return 1L << (code - 0x20);
        }
        if (code >= 0x20 && code <= 0x22) {
            return 1L << (code - 0x06);
        }
        return -1;
    }
}
