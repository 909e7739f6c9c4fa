package org.mqttvpn.tools.sim;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The device side of the ESP ROM serial loader, written from ESP-ROM-PROTOCOL.md independently
 * of the flasher's code (its own SLIP, its own packet parsing), running on one end of a pty pair.
 * It models what a host can observe: framing, status bytes per chip, the commands each ROM has,
 * error codes, a NOR flash with up-front erase (and the ESP8266's erase-size defect), inflate for
 * FLASH_DEFL_DATA, MD5 over a flash region, registers for chip detection, MAC and flash id.
 *
 * <p>Modelling choices where the document marks behaviour UNCONFIRMED: an unsupported command is
 * answered once, with its own opcode, status 1 and error 0x05; FLASH_BEGIN takes 16 or 20 bytes
 * on every ROM (esptool-js sends 20 to all ROMs; the fifth word is ignored where it does not
 * exist); data blocks land at offset + seq × block size, so a block sent again after a lost
 * answer lands where it did (a compressed block with the same seq is acknowledged, not inflated
 * twice); blocks larger than 0x400 are refused with 0x05 (reported on the ESP32-C3 ROM).
 */
public final class RomSimulator implements Runnable {
    public static final long SYNC_VALUE = 0x20120707L;
    private static final int ROM_MAX_BLOCK = 0x400;
    private static final int ERR_INVALID = 0x05;
    private static final int ERR_FAILED = 0x06;
    private static final int ERR_CHECKSUM = 0x07;
    private static final int ERR_FLASH_WRITE = 0x08;
    private static final int ERR_INFLATE = 0x0B;
    private static final int ERR_ADLER = 0x0C;
    private static final long JEDEC_WINBOND_4MB = 0x1640EFL;

    private final SimChip chip;
    private final SimFlash flash;
    private final Faults faults;
    private final Path device;
    private final Map<Long, Long> regs = new ConcurrentHashMap<>();
    private final List<Integer> opcodes = Collections.synchronizedList(new ArrayList<>());
    private final List<Integer> flashBeginLengths = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> baudRequests = Collections.synchronizedList(new ArrayList<>());
    private Thread thread;
    private OutputStream out;
    private volatile Throwable failure;

    private boolean attached;
    private boolean garbled;
    private boolean garbageSent;
    private long spiTotalSize = -1;
    // flash write state
    private boolean writing;
    private boolean deflating;
    private long writeOffset;
    private long writeBlocks;
    private long writeBlockSize;
    private long deflSize;
    private long deflWritten;
    private int lastSeq = -1;
    private Inflater inflater;
    private final byte[] inflated = new byte[16 * 1024];

    public RomSimulator(SimChip chip, SimFlash flash, Faults faults, Path device) {
        this.chip = chip;
        this.flash = flash;
        this.faults = faults;
        this.device = device;
        regs.putAll(chip.initialRegisters());
    }

    public void start() {
        thread = new Thread(this, "rom-simulator-" + chip);
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits for the loop to end (the pty closed); rethrows what broke it, if anything did. */
    public void join() throws InterruptedException {
        thread.join(5000);
        if (failure != null) {
            throw new AssertionError("simulator failed", failure);
        }
    }

    public List<Integer> opcodes() {
        synchronized (opcodes) {
            return List.copyOf(opcodes);
        }
    }

    /** Payload lengths of every FLASH_BEGIN and FLASH_DEFL_BEGIN received: 16 or 20 bytes. */
    public List<Integer> flashBeginLengths() {
        synchronized (flashBeginLengths) {
            return List.copyOf(flashBeginLengths);
        }
    }

    public List<Long> baudRequests() {
        synchronized (baudRequests) {
            return List.copyOf(baudRequests);
        }
    }

    @Override
    public void run() {
        try (InputStream in = new FileInputStream(device.toFile()); OutputStream o = new FileOutputStream(device.toFile())) {
            out = o;
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            boolean inFrame = false;
            boolean esc = false;
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    int b = buf[i] & 0xFF;
                    if (!inFrame) {
                        if (b == 0xC0) {
                            inFrame = true;
                            frame.reset();
                        }
                    } else if (b == 0xC0) {
                        if (frame.size() > 0) {
                            handle(frame.toByteArray());
                            inFrame = false;
                        }
                    } else if (esc) {
                        esc = false;
                        frame.write(b == 0xDC ? 0xC0 : b == 0xDD ? 0xDB : -1);
                    } else if (b == 0xDB) {
                        esc = true;
                    } else {
                        frame.write(b);
                    }
                }
            }
        } catch (IOException e) {
            // the pty closed under us: the test is over
        } catch (RuntimeException | Error e) {
            failure = e;
        }
    }

    // ---- dispatch ------------------------------------------------------------------------

    private void handle(byte[] p) throws IOException {
        if (p.length < 8 || p[0] != 0x00) {
            return; // not a request
        }
        int op = p[1] & 0xFF;
        int size = u16(p, 2);
        long chk = u32(p, 4);
        byte[] data = new byte[p.length - 8];
        System.arraycopy(p, 8, data, 0, data.length);
        if (faults.silent) {
            return;
        }
        if (garbled) {
            if (op != 0x08) {
                return; // at the wrong rate nothing gets through
            }
            garbled = false; // "reset": back in the ROM at 115200
        }
        opcodes.add(op);
        if (size != data.length) {
            fail(op, ERR_INVALID);
            return;
        }
        switch (op) {
            case 0x08 -> sync(data);
            case 0x0A -> ok(op, regs.getOrDefault(u32(data, 0), 0L), new byte[0]);
            case 0x09 -> writeReg(data);
            case 0x02 -> flashBegin(data);
            case 0x03 -> flashData(op, data, chk);
            case 0x04, 0x12 -> flashEnd(op);
            case 0x05, 0x07, 0x06 -> mem(op, data, chk);
            case 0x0B -> romOnlyEsp32(op, () -> spiSetParams(data));
            case 0x0D -> romOnlyEsp32(op, () -> spiAttach(data));
            case 0x0E -> romOnlyEsp32(op, () -> readFlashSlow(data));
            case 0x0F -> romOnlyEsp32(op, () -> changeBaud(data));
            case 0x10 -> romOnlyEsp32(op, () -> deflBegin(data));
            case 0x11 -> romOnlyEsp32(op, () -> flashData(op, data, chk));
            case 0x13 -> romOnlyEsp32(op, () -> md5(data));
            case 0x14 -> {
                if (chip.hasSecurityInfo()) {
                    ByteBuffer b = le(20);
                    b.putInt(0).put((byte) 0).put(new byte[7]).putInt(chip.chipId).putInt(0);
                    ok(op, 0, b.array());
                } else {
                    fail(op, ERR_INVALID);
                }
            }
            default -> fail(op, ERR_INVALID);
        }
    }

    private interface Action {
        void run() throws IOException;
    }

    /** Commands the ESP8266 ROM lacks (ESP-ROM-PROTOCOL.md §2.1). */
    private void romOnlyEsp32(int op, Action action) throws IOException {
        if (chip.isEsp8266()) {
            fail(op, ERR_INVALID);
        } else {
            action.run();
        }
    }

    private void sync(byte[] d) throws IOException {
        boolean good = d.length == 36 && d[0] == 0x07 && d[1] == 0x07 && d[2] == 0x12 && d[3] == 0x20;
        for (int i = 4; good && i < 36; i++) {
            good = (d[i] & 0xFF) == 0x55;
        }
        if (!good) {
            return; // not a sync the ROM recognises: no answer
        }
        byte[] garbage = faults.garbageBeforeSync;
        if (garbage != null && !garbageSent) {
            garbageSent = true;
            out.write(garbage);
        }
        for (int i = 0; i < 8; i++) {
            ok(0x08, SYNC_VALUE, new byte[0]);
        }
    }

    private void writeReg(byte[] d) throws IOException {
        if (d.length == 0 || d.length % 16 != 0) {
            fail(0x09, ERR_INVALID);
            return;
        }
        for (int off = 0; off < d.length; off += 16) {
            long addr = u32(d, off);
            long value = u32(d, off + 4);
            long mask = u32(d, off + 8);
            long old = regs.getOrDefault(addr, 0L);
            regs.put(addr, (old & ~mask & 0xFFFFFFFFL) | (value & mask));
            spiPeripheral(addr);
        }
        ok(0x09, 0, new byte[0]);
    }

    /** The SPI controller runs a user command when CMD bit 18 is set: only RDID (0x9F) is modelled. */
    private void spiPeripheral(long addr) {
        if (addr != chip.spiBase || (regs.get(addr) & (1L << 18)) == 0) {
            return;
        }
        long usr2 = regs.getOrDefault(chip.spiBase + chip.spiUsr2, 0L);
        if ((usr2 & 0xFF) == 0x9F) {
            regs.put(chip.spiBase + chip.spiW0, JEDEC_WINBOND_4MB);
        }
        regs.put(addr, regs.get(addr) & ~(1L << 18));
    }

    private void spiAttach(byte[] d) throws IOException {
        if (d.length != 8) {
            fail(0x0D, ERR_INVALID); // the ROM takes 8 bytes, stubs 4 (§2.11)
            return;
        }
        attached = true;
        ok(0x0D, 0, new byte[0]);
    }

    private void spiSetParams(byte[] d) throws IOException {
        if (d.length != 24) {
            fail(0x0B, ERR_INVALID);
            return;
        }
        spiTotalSize = u32(d, 4);
        ok(0x0B, 0, new byte[0]);
    }

    private void changeBaud(byte[] d) throws IOException {
        if (d.length != 8) {
            fail(0x0F, ERR_INVALID);
            return;
        }
        baudRequests.add(u32(d, 0));
        switch (faults.baud) {
            case REJECT -> fail(0x0F, 0x01);
            case GARBLED_AFTER_SWITCH -> {
                ok(0x0F, 0, new byte[0]); // the answer still goes at the old rate
                garbled = true;
            }
            default -> ok(0x0F, 0, new byte[0]);
        }
    }

    private boolean flashReady(int op) throws IOException {
        if (!chip.isEsp8266() && !attached) {
            fail(op, ERR_FAILED); // ESP32-family ROMs need SPI_ATTACH before flash commands
            return false;
        }
        return true;
    }

    /**
     * What FLASH_BEGIN and FLASH_DEFL_BEGIN share: 16 or 20 bytes, flash attached, then blocks,
     * block size and offset in words 1..3. False when it already answered with an error.
     */
    private boolean begin(int op, byte[] d) throws IOException {
        flashBeginLengths.add(d.length);
        if (d.length != 16 && d.length != 20) {
            fail(op, ERR_INVALID);
            return false;
        }
        if (!flashReady(op)) {
            return false;
        }
        writeBlocks = u32(d, 4);
        writeBlockSize = u32(d, 8);
        writeOffset = u32(d, 12);
        return true;
    }

    private void flashBegin(byte[] d) throws IOException {
        if (!begin(0x02, d)) {
            return;
        }
        long eraseSize = u32(d, 0);
        if (writeBlockSize > ROM_MAX_BLOCK) {
            fail(0x02, ERR_INVALID);
            return;
        }
        long sectors = (eraseSize + SimFlash.SECTOR - 1) / SimFlash.SECTOR;
        if (chip.isEsp8266()) {
            // The defect esptool works around (§5.5): asked for R sectors, it erases R + min(R, head),
            // head being the sectors from the start to the end of its 64 KB block.
            long head = 16 - (writeOffset / SimFlash.SECTOR) % 16;
            sectors += Math.min(sectors, head);
        }
        flash.eraseSectors(writeOffset, sectors);
        writing = eraseSize > 0 || writeBlocks > 0;
        deflating = false;
        lastSeq = -1;
        ok(0x02, 0, new byte[0]);
    }

    private void deflBegin(byte[] d) throws IOException {
        if (!begin(0x10, d)) {
            return;
        }
        deflSize = u32(d, 0);
        flash.eraseSectors(writeOffset, (deflSize + SimFlash.SECTOR - 1) / SimFlash.SECTOR);
        if (inflater != null) {
            inflater.end();
        }
        inflater = new Inflater(); // expects the zlib header, as the ROM does
        deflWritten = 0;
        writing = true;
        deflating = true;
        lastSeq = -1;
        ok(0x10, 0, new byte[0]);
    }

    private void flashData(int op, byte[] d, long chk) throws IOException {
        boolean compressed = op == 0x11;
        if (d.length < 16 || !writing || compressed != deflating) {
            fail(op, ERR_INVALID);
            return;
        }
        int len = (int) u32(d, 0);
        int seq = (int) u32(d, 4);
        if (len != d.length - 16 || len > ROM_MAX_BLOCK) {
            fail(op, ERR_INVALID);
            return;
        }
        if (dataChecksum(d) != chk || faults.checksumErrorAlways || faults.checksumErrorOnce.remove(seq)) {
            fail(op, ERR_CHECKSUM);
            return;
        }
        if (seq >= writeBlocks) {
            fail(op, ERR_INVALID);
            return;
        }
        boolean duplicate = seq == lastSeq;
        if (compressed) {
            if (!duplicate) {
                int err = inflateBlock(d);
                if (err != 0) {
                    fail(op, err);
                    return;
                }
            }
        } else {
            long at = writeOffset + (long) seq * writeBlockSize;
            if (!flash.write(at, d, 16, len)) {
                fail(op, ERR_FLASH_WRITE);
                return;
            }
            corruptIfAsked(at, len);
        }
        lastSeq = seq;
        if (faults.dropResponseOnce.remove(seq)) {
            return;
        }
        ok(op, 0, new byte[0]);
    }

    private int inflateBlock(byte[] d) {
        inflater.setInput(d, 16, d.length - 16);
        byte[] buf = inflated;
        try {
            int n;
            while ((n = inflater.inflate(buf)) > 0) {
                if (deflWritten + n > deflSize) {
                    return ERR_INVALID;
                }
                long at = writeOffset + deflWritten;
                if (!flash.write(at, buf, 0, n)) {
                    return ERR_FLASH_WRITE;
                }
                corruptIfAsked(at, n);
                deflWritten += n;
            }
            return 0;
        } catch (DataFormatException e) {
            return e.getMessage() != null && e.getMessage().contains("data check") ? ERR_ADLER : ERR_INFLATE;
        }
    }

    private void corruptIfAsked(long at, int len) {
        long c = faults.corruptAfterWriteAt;
        if (c >= at && c < at + len) {
            flash.corrupt(c);
            faults.corruptAfterWriteAt = -1;
        }
    }

    /** FLASH_END / FLASH_DEFL_END: on a ROM either flag leaves the loader (§2.5). */
    private void flashEnd(int op) throws IOException {
        if (op == 0x12 && chip.isEsp8266()) {
            fail(op, ERR_INVALID);
            return;
        }
        writing = false;
        ok(op, 0, new byte[0]);
    }

    private void mem(int op, byte[] d, long chk) throws IOException {
        if (op == 0x07) {
            if (d.length < 16 || u32(d, 0) != d.length - 16 || dataChecksum(d) != chk) {
                fail(op, d.length >= 16 && u32(d, 0) == d.length - 16 ? ERR_CHECKSUM : ERR_INVALID);
                return;
            }
        }
        ok(op, 0, new byte[0]);
    }

    private void md5(byte[] d) throws IOException {
        if (d.length != 16) {
            fail(0x13, ERR_INVALID);
            return;
        }
        long addr = u32(d, 0);
        long len = u32(d, 4);
        if (addr + len > flash.size()) {
            fail(0x13, 0x0A);
            return;
        }
        ok(0x13, 0, flash.md5(addr, (int) len).getBytes(StandardCharsets.US_ASCII));
    }

    private void readFlashSlow(byte[] d) throws IOException {
        long addr = u32(d, 0);
        int len = (int) u32(d, 4);
        if (len > 64 || addr + len > flash.size()) {
            fail(0x0E, 0x0A);
            return;
        }
        byte[] data = new byte[64];
        System.arraycopy(flash.read(addr, len), 0, data, 0, len);
        ok(0x0E, 0, data);
    }

    /** 0xEF xor the bytes after a data command's 16-byte header (§1.5). */
    private static int dataChecksum(byte[] d) {
        int sum = 0xEF;
        for (int i = 16; i < d.length; i++) {
            sum ^= d[i] & 0xFF;
        }
        return sum;
    }

    // ---- responses -----------------------------------------------------------------------

    private void ok(int op, long value, byte[] data) throws IOException {
        respond(op, value, data, 0, 0);
    }

    private void fail(int op, int error) throws IOException {
        respond(op, 0, new byte[0], 1, error);
    }

    private void respond(int op, long value, byte[] data, int status, int error) throws IOException {
        int bodyLen = data.length + chip.statusLength;
        ByteBuffer b = le(8 + bodyLen);
        b.put((byte) 0x01).put((byte) op).putShort((short) bodyLen).putInt((int) value).put(data);
        b.put((byte) status).put((byte) error);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.write(0xC0);
        for (byte x : b.array()) {
            int v = x & 0xFF;
            if (v == 0xC0) {
                wire.write(0xDB);
                wire.write(0xDC);
            } else if (v == 0xDB) {
                wire.write(0xDB);
                wire.write(0xDD);
            } else {
                wire.write(v);
            }
        }
        wire.write(0xC0);
        out.write(wire.toByteArray());
        out.flush();
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static int u16(byte[] d, int o) {
        return (d[o] & 0xFF) | (d[o + 1] & 0xFF) << 8;
    }

    private static long u32(byte[] d, int o) {
        return (d[o] & 0xFFL) | (d[o + 1] & 0xFFL) << 8 | (d[o + 2] & 0xFFL) << 16 | (d[o + 3] & 0xFFL) << 24;
    }
}
