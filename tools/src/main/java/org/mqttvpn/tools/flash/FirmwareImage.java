package org.mqttvpn.tools.flash;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * An ESP firmware image as checked by {@link #parse} (ESP-ROM-PROTOCOL.md §7): 8-byte header, an
 * extended header on the ESP32 family, segments, a checksum at the end of a 16-byte line and,
 * when flagged, a SHA-256 of everything before it. Keeps what the flasher needs afterwards.
 *
 * @param chipId       the chip id from the extended header, or -1 for an ESP8266 image
 * @param hashAppended a SHA-256 digest follows the checksum
 * @param dataLength   bytes from the start through the checksum: what the appended SHA-256 covers
 */
public record FirmwareImage(int chipId, boolean hashAppended, int dataLength) {
    public static final int MAGIC = 0xE9;
    public static final int HEADER_LENGTH = 8;
    public static final int EXTENDED_HEADER_LENGTH = 16;
    /** esptool accepts no more segments than this. */
    public static final int MAX_SEGMENTS = 16;
    public static final int SHA256_LENGTH = 32;
    private static final int HASH_APPENDED_OFFSET = 23;
    private static final int CHIP_ID_OFFSET = 12;

    /**
     * Parses and checks an image.
     *
     * @param extendedHeader true for ESP32-family images, false for the ESP8266's
     */
    public static FirmwareImage parse(byte[] d, boolean extendedHeader) throws ImageException {
        if (d.length < HEADER_LENGTH) {
            throw new ImageException(0, "too short for an image header: " + d.length + " bytes, need 8");
        }
        if ((d[0] & 0xFF) != MAGIC) {
            throw new ImageException(0, String.format("not an ESP firmware image: first byte is 0x%02x, "
                    + "images start with 0xe9", d[0] & 0xFF));
        }
        int count = d[1] & 0xFF;
        if (count == 0 || count > MAX_SEGMENTS) {
            throw new ImageException(1, "segment count " + count + " is outside 1.." + MAX_SEGMENTS);
        }
        int pos = HEADER_LENGTH;
        int chipId = -1;
        boolean hashAppended = false;
        if (extendedHeader) {
            if (d.length < HEADER_LENGTH + EXTENDED_HEADER_LENGTH) {
                throw new ImageException(HEADER_LENGTH, "the 16-byte extended header of an ESP32-family image "
                        + "is cut off: the file has " + d.length + " bytes");
            }
            chipId = u16(d, CHIP_ID_OFFSET);
            int flag = d[HASH_APPENDED_OFFSET] & 0xFF;
            if (flag > 1) {
                throw new ImageException(HASH_APPENDED_OFFSET, "hash-appended flag is " + flag + ", must be 0 or 1 "
                        + "(is this an ESP8266 image? those have no extended header)");
            }
            hashAppended = flag == 1;
            pos += EXTENDED_HEADER_LENGTH;
        }
        int checksum = 0xEF;
        for (int i = 0; i < count; i++) {
            if (pos + 8 > d.length) {
                throw new ImageException(pos, "segment " + i + " of " + count + ": its header runs past the end "
                        + "of the file (" + d.length + " bytes): the image is truncated");
            }
            long load = u32(d, pos);
            long len = u32(d, pos + 4);
            if (len > d.length - pos - 8L) {
                throw new ImageException(pos, String.format("segment %d of %d (load address 0x%08x) declares %d "
                        + "bytes but only %d remain in the file: the image is truncated", i, count, load, len,
                        d.length - pos - 8));
            }
            if (len % 4 != 0) {
                throw new ImageException(pos + 4, "segment " + i + " length " + len + " is not a multiple of 4");
            }
            for (int j = pos + 8; j < pos + 8 + len; j++) {
                checksum ^= d[j] & 0xFF;
            }
            pos += 8 + (int) len;
        }
        // Zero padding up to the last byte of a 16-byte line, which holds the checksum (§7.4).
        int checksumOffset = pos + (15 - pos % 16);
        if (checksumOffset >= d.length) {
            throw new ImageException(pos, "the checksum byte (offset " + checksumOffset + ") is missing: "
                    + "the file ends at " + d.length);
        }
        int stored = d[checksumOffset] & 0xFF;
        if (stored != checksum) {
            throw new ImageException(checksumOffset, String.format("checksum mismatch: the image says 0x%02x, "
                    + "its segments give 0x%02x (corrupted or modified file)", stored, checksum));
        }
        FirmwareImage image = new FirmwareImage(chipId, hashAppended, checksumOffset + 1);
        if (hashAppended) {
            int end = image.dataLength();
            if (end + SHA256_LENGTH > d.length) {
                throw new ImageException(end, "the header says a SHA-256 digest follows the checksum, but the file "
                        + "ends at " + d.length);
            }
            byte[] want = sha256(d, 0, end);
            if (!Arrays.equals(want, Arrays.copyOfRange(d, end, end + SHA256_LENGTH))) {
                throw new ImageException(end, "SHA-256 digest mismatch: the appended digest does not match the "
                        + "image (corrupted, or header bytes changed without updating it)");
            }
        }
        return image;
    }

    static byte[] sha256(byte[] d, int off, int len) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(d, off, len);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static int u16(byte[] d, int off) {
        return (d[off] & 0xFF) | (d[off + 1] & 0xFF) << 8;
    }

    static long u32(byte[] d, int off) {
        return (d[off] & 0xFFL) | (d[off + 1] & 0xFFL) << 8 | (d[off + 2] & 0xFFL) << 16 | (d[off + 3] & 0xFFL) << 24;
    }
}
