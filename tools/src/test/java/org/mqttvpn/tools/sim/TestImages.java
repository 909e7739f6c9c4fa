package org.mqttvpn.tools.sim;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.Random;

/** Builds firmware images for tests, laid out as in ESP-ROM-PROTOCOL.md §7 (independently of the flasher). */
public final class TestImages {
    private TestImages() {
    }

    /** One segment: load address and data (length a multiple of 4). */
    public record Seg(long load, byte[] data) {
    }

    /**
     * An image: header, optional 16-byte extended header (chipId, hash flag), segments, zero
     * padding and the checksum at the end of a 16-byte line, then the SHA-256 when flagged.
     */
    public static byte[] image(boolean extended, int chipId, boolean sha, Seg... segs) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(0xE9);
        o.write(segs.length);
        o.write(0x02); // DIO
        o.write(0x20); // ESP32: 4MB / 40MHz; ESP8266: 1MB / 40MHz
        o.writeBytes(le32(0x40100004L));
        if (extended) {
            byte[] ext = new byte[16];
            ext[0] = (byte) 0xEE;
            ext[4] = (byte) chipId;
            ext[5] = (byte) (chipId >> 8);
            ext[9] = (byte) 0xFF;
            ext[10] = (byte) 0xFF;
            ext[15] = (byte) (sha ? 1 : 0);
            o.writeBytes(ext);
        }
        int checksum = 0xEF;
        for (Seg s : segs) {
            o.writeBytes(le32(s.load()));
            o.writeBytes(le32(s.data().length));
            o.writeBytes(s.data());
            for (byte b : s.data()) {
                checksum ^= b & 0xFF;
            }
        }
        while (o.size() % 16 != 15) {
            o.write(0);
        }
        o.write(checksum);
        byte[] img = o.toByteArray();
        if (!sha) {
            return img;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(img);
            ByteArrayOutputStream w = new ByteArrayOutputStream();
            w.writeBytes(img);
            w.writeBytes(digest);
            return w.toByteArray();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Firmware-like bytes: a small vocabulary of 3- and 2-byte instruction-like words, little-endian
     * addresses in a narrow range and runs of zero and 0xFF padding, mixed by a seeded random, so
     * that it compresses roughly like real Xtensa code (about 2:1) rather than like noise or zeros.
     */
    public static byte[] codeLike(int length, long seed) {
        Random r = new Random(seed);
        byte[][] words = new byte[64][];
        for (int i = 0; i < words.length; i++) {
            words[i] = new byte[2 + r.nextInt(2)];
            r.nextBytes(words[i]);
        }
        ByteArrayOutputStream o = new ByteArrayOutputStream(length);
        while (o.size() < length) {
            int k = r.nextInt(100);
            if (k < 70) {
                o.writeBytes(words[(int) Math.abs(r.nextGaussian() * 12) % words.length]);
            } else if (k < 90) {
                o.writeBytes(le32(0x40200000L + r.nextInt(0x40000)));
            } else if (k < 95) {
                o.writeBytes(new byte[4 + r.nextInt(12)]);
            } else {
                byte[] b = new byte[2 + r.nextInt(6)];
                r.nextBytes(b);
                o.writeBytes(b);
            }
        }
        byte[] out = new byte[length];
        System.arraycopy(o.toByteArray(), 0, out, 0, length);
        return out;
    }

    public static byte[] random(int length, long seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    public static byte[] le32(long v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array();
    }

    /** A two-entry ESP-IDF partition table (nvs, factory app) with its MD5 entry, padded with 0xFF. */
    public static byte[] partitionTable() {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(entry(0x01, 0x02, 0x9000, 0x6000, "nvs"));
        o.writeBytes(entry(0x00, 0x00, 0x10000, 0x100000, "factory"));
        byte[] md5Entry = new byte[32];
        md5Entry[0] = (byte) 0xEB;
        md5Entry[1] = (byte) 0xEB;
        for (int i = 2; i < 16; i++) {
            md5Entry[i] = (byte) 0xFF;
        }
        try {
            byte[] md5 = MessageDigest.getInstance("MD5").digest(o.toByteArray());
            System.arraycopy(md5, 0, md5Entry, 16, 16);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        o.writeBytes(md5Entry);
        while (o.size() < 0xC00) {
            o.write(0xFF);
        }
        return o.toByteArray();
    }

    private static byte[] entry(int type, int subtype, long offset, long size, String name) {
        ByteBuffer b = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0xAA).put((byte) 0x50).put((byte) type).put((byte) subtype).putInt((int) offset).putInt((int) size);
        byte[] n = new byte[16];
        byte[] nb = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(nb, 0, n, 0, nb.length);
        b.put(n).putInt(0);
        return b.array();
    }
}
