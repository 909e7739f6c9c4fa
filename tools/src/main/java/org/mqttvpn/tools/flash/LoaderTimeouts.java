package org.mqttvpn.tools.flash;

/**
 * How long to wait for each kind of answer (esptool's values, ESP-ROM-PROTOCOL.md §5.1). Tests
 * use shorter ones so that a dropped response costs milliseconds, not seconds.
 *
 * @param commandMillis   default per command
 * @param syncMillis      first SYNC response
 * @param eraseMillisPerMb FLASH_BEGIN on a ROM erases up front: this much per (decimal) MB
 * @param writeMillisPerMb a ROM writes a block before answering: per MB of uncompressed data
 * @param md5MillisPerMb  SPI_FLASH_MD5
 */
public record LoaderTimeouts(int commandMillis, int syncMillis, int eraseMillisPerMb, int writeMillisPerMb,
        int md5MillisPerMb) {

    public static final LoaderTimeouts ESPTOOL = new LoaderTimeouts(3000, 100, 40_000, 40_000, 8_000);

    /** {@code max(command timeout, perMb × size)}, as esptool's timeout_per_mb, capped at 240 s. */
    public int forSize(int millisPerMb, long bytes) {
        long t = (long) (millisPerMb * (bytes / 1e6));
        return (int) Math.min(240_000, Math.max(commandMillis, t));
    }
}
