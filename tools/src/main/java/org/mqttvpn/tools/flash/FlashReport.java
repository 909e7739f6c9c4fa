package org.mqttvpn.tools.flash;

import java.util.List;

/**
 * What a flash run did.
 *
 * @param chip          the chip found
 * @param mac           its factory MAC
 * @param flashSize     flash size in bytes (detected or given), or -1 when unknown
 * @param baud          the rate the data went at
 * @param files         one result per file, in flash order
 * @param reset         true when the board was reset into the new firmware
 */
public record FlashReport(Chip chip, String mac, long flashSize, int baud, List<FileResult> files, boolean reset) {

    /**
     * One file.
     *
     * @param label         "app.bin@0x10000"
     * @param address       where it went (rounded down to a sector when it was unaligned)
     * @param length        bytes written, after padding
     * @param sentLength    bytes of (compressed) data sent in data blocks
     * @param compressed    sent with FLASH_DEFL_*
     * @param md5           MD5 of the bytes written
     * @param verified      the flash's MD5 was read back and matched
     * @param wireBytesOut  bytes sent on the serial line for this file, framing included
     * @param wireBytesIn   bytes received for this file
     * @param millis        time taken
     */
    public record FileResult(String label, long address, long length, long sentLength, boolean compressed, String md5,
            boolean verified, long wireBytesOut, long wireBytesIn, long millis) {
    }

    public long totalBytes() {
        return files.stream().mapToLong(FileResult::length).sum();
    }

    public long totalMillis() {
        return files.stream().mapToLong(FileResult::millis).sum();
    }
}
