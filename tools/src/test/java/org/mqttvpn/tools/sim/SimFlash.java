package org.mqttvpn.tools.sim;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * NOR flash as the ROM sees it: erase sets whole 4 KB sectors to 0xFF; a write can only clear
 * bits (new = old AND data), so writing over unerased data leaves a mix, which the ROM's
 * read-back check reports as a flash write error.
 */
public final class SimFlash {
    public static final int SECTOR = 0x1000;

    private final byte[] mem;
    private int sectorsErased;

    public SimFlash(int size) {
        mem = new byte[size];
        Arrays.fill(mem, (byte) 0xFF);
    }

    public int size() {
        return mem.length;
    }

    /** Erases {@code count} sectors starting with the one that holds {@code offset}. */
    public synchronized void eraseSectors(long offset, long count) {
        long first = offset / SECTOR;
        for (long s = first; s < first + count && s * SECTOR < mem.length; s++) {
            Arrays.fill(mem, (int) (s * SECTOR), (int) Math.min(mem.length, (s + 1) * SECTOR), (byte) 0xFF);
            sectorsErased++;
        }
    }

    /** NOR write; returns false when the read-back differs (the ROM's error 0x08). */
    public synchronized boolean write(long offset, byte[] data, int from, int len) {
        if (offset < 0 || offset + len > mem.length) {
            return false;
        }
        boolean ok = true;
        for (int i = 0; i < len; i++) {
            int a = (int) offset + i;
            mem[a] = (byte) (mem[a] & data[from + i]);
            ok &= mem[a] == data[from + i];
        }
        return ok;
    }

    public synchronized byte[] read(long offset, int len) {
        return Arrays.copyOfRange(mem, (int) offset, (int) offset + len);
    }

    /** Fills the whole flash with a pattern, as left by earlier firmware. */
    public synchronized void fill(byte value) {
        Arrays.fill(mem, value);
    }

    /** Flips bits in one byte: a flash cell that did not take the write. */
    public synchronized void corrupt(long offset) {
        mem[(int) offset] ^= 0x5A;
    }

    public synchronized String md5(long offset, int len) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            md.update(mem, (int) offset, len);
            return HexFormat.of().formatHex(md.digest());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public synchronized int sectorsErased() {
        return sectorsErased;
    }
}
