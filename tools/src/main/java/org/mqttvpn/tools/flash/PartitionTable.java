package org.mqttvpn.tools.flash;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Checks an ESP-IDF binary partition table (ESP-ROM-PROTOCOL.md §7.9), the one non-image file
 * an ESP32 flash usually includes, so that it can be written without --raw.
 */
public final class PartitionTable {
    private static final int ENTRY = 32;
    private static final int MAX_TABLE = 0xC00;

    private PartitionTable() {
    }

    /** True when the file starts like a partition table (entry magic AA 50). */
    public static boolean looksLike(byte[] d) {
        return d.length >= 2 && (d[0] & 0xFF) == 0xAA && (d[1] & 0xFF) == 0x50;
    }

    /** Checks entry magics, the end marker and, when present, the MD5 entry; returns the entry count. */
    public static int check(byte[] d) throws ImageException {
        int entries = 0;
        for (int off = 0; off + ENTRY <= Math.min(d.length, MAX_TABLE); off += ENTRY) {
            int m0 = d[off] & 0xFF;
            int m1 = d[off + 1] & 0xFF;
            if (m0 == 0xAA && m1 == 0x50) {
                entries++;
            } else if (m0 == 0xEB && m1 == 0xEB) {
                byte[] want = md5(d, off);
                if (!Arrays.equals(want, Arrays.copyOfRange(d, off + 16, off + 32))) {
                    throw new ImageException(off, "partition table MD5 entry does not match the entries before it");
                }
            } else if (m0 == 0xFF && m1 == 0xFF) {
                return entries;
            } else {
                throw new ImageException(off, String.format("partition table entry %d has magic %02x %02x, "
                        + "expected aa 50 (entry), eb eb (MD5) or ff ff (end)", off / ENTRY, m0, m1));
            }
        }
        throw new ImageException(Math.min(d.length, MAX_TABLE), "partition table has no end marker (ff ff)");
    }

    private static byte[] md5(byte[] d, int len) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            md.update(d, 0, len);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
