package org.mqttvpn.tools.flash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import org.mqttvpn.tools.serial.SerialLink;

/**
 * The host side of the ESP ROM serial loader protocol: one method per command, each sending a
 * request frame and waiting for the response with the same opcode (ESP-ROM-PROTOCOL.md §1–§2).
 * Knows nothing about chips: callers pass what differs (payload sizes, response data length).
 */
public final class RomLoaderClient {
    /** ROM flash block size; larger blocks fail on some ROMs (ESP-ROM-PROTOCOL.md §2.4). */
    public static final int ROM_BLOCK_SIZE = 0x400;
    /** esptool gives up on a command after this many unrelated frames. */
    private static final int MAX_FRAMES_PER_COMMAND = 100;
    /** After SYNC the ROM repeats its answer; these are drained with a short wait. */
    private static final int EXTRA_SYNC_RESPONSES = 7;

    private static final int HEADER = 8;
    private static final int DATA_HEADER = 16;
    /** SYNC's data: 07 07 12 20, then 32 × 0x55 (ESP-ROM-PROTOCOL.md §2.7). Never modified. */
    static final byte[] SYNC_PAYLOAD = syncPayload();

    private final SerialLink link;
    private final LoaderTimeouts timeouts;
    private final SlipDecoder decoder = new SlipDecoder();
    private final Deque<byte[]> pending = new ArrayDeque<>();
    private final byte[] readBuf = new byte[4096];
    /** The request being built and its SLIP frame, reused from command to command (data blocks are the bulk). */
    private ByteBuffer packet = ByteBuffer.allocate(HEADER + DATA_HEADER + ROM_BLOCK_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    private byte[] wire = new byte[Slip.maxFrameLength(packet.capacity())];
    private long wireBytesOut;
    private long wireBytesIn;

    public RomLoaderClient(SerialLink link, LoaderTimeouts timeouts) {
        this.link = link;
        this.timeouts = timeouts;
    }

    /** Bytes written to the port so far, SLIP framing included. */
    public long wireBytesOut() {
        return wireBytesOut;
    }

    /** Bytes read from the port so far (responses and anything else the chip sent). */
    public long wireBytesIn() {
        return wireBytesIn;
    }

    /** Text the chip sent outside frames (boot log), for diagnosing a failed sync. */
    public String noise() {
        return decoder.noise();
    }

    /** Drops everything received so far: stale responses, boot-log text, a half frame. */
    public void discardInput() throws IOException {
        int n;
        while ((n = link.read(readBuf, 0)) > 0) {
            wireBytesIn += n;
            decoder.feed(readBuf, 0, n); // frames dropped, text kept as noise for diagnostics
        }
        decoder.reset();
        pending.clear();
    }

    // ---- framing -------------------------------------------------------------------------

    /**
     * Starts a request in the reused packet buffer: direction 0, opcode, data length, checksum;
     * the caller puts the {@code dataLength} bytes of data.
     */
    private ByteBuffer startRequest(Opcode op, int dataLength, int checksum) {
        if (packet.capacity() < HEADER + dataLength) {
            packet = ByteBuffer.allocate(HEADER + dataLength).order(ByteOrder.LITTLE_ENDIAN);
            wire = new byte[Slip.maxFrameLength(packet.capacity())];
        }
        packet.clear();
        return packet.put((byte) 0).put((byte) op.code()).putShort((short) dataLength).putInt(checksum);
    }

    /** Frames and writes the request built since {@link #startRequest}. */
    private void sendRequest() throws IOException {
        int n = Slip.encode(packet.array(), packet.position(), wire);
        link.write(wire, 0, n);
        wireBytesOut += n;
    }

    /** Sends a request without waiting. */
    void send(Opcode op, byte[] data, int checksum) throws IOException {
        startRequest(op, data.length, checksum).put(data);
        sendRequest();
    }

    /**
     * Sends a request and returns the first response frame carrying the same opcode; frames
     * shorter than a header, not marked as responses, or for other opcodes are skipped (extra
     * SYNC answers, stale frames: ESP-ROM-PROTOCOL.md §1.7).
     */
    public Response command(Opcode op, byte[] data, int checksum, int timeoutMillis) throws IOException {
        send(op, data, checksum);
        return await(op, timeoutMillis);
    }

    Response await(Opcode op, int timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        for (int seen = 0; seen < MAX_FRAMES_PER_COMMAND; ) {
            byte[] frame = nextFrame(deadline);
            if (frame == null) {
                throw new LoaderTimeoutException(op, timeoutMillis);
            }
            seen++;
            if (frame.length < HEADER || frame[0] != 0x01) {
                continue;
            }
            Response r = Response.parse(frame);
            if (r.opcode() == op.code()) {
                return r;
            }
        }
        throw new IOException("no response to " + op + " among " + MAX_FRAMES_PER_COMMAND + " frames (line noise?)");
    }

    private byte[] nextFrame(long deadline) throws IOException {
        while (pending.isEmpty()) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return null;
            }
            int n = link.read(readBuf, (int) Math.min(left, Integer.MAX_VALUE));
            if (n > 0) {
                wireBytesIn += n;
                pending.addAll(decoder.feed(readBuf, 0, n));
            }
        }
        return pending.poll();
    }

    /**
     * Sends a command and checks its status; returns the response's command-specific data
     * ({@code dataLength} bytes before the status).
     */
    public Response check(Opcode op, byte[] data, int checksum, int dataLength, int timeoutMillis) throws IOException {
        return checkStatus(op, command(op, data, checksum, timeoutMillis), dataLength);
    }

    private static Response checkStatus(Opcode op, Response r, int dataLength) throws LoaderStatusException {
        int status = r.status(dataLength);
        if (status != 0) {
            throw new LoaderStatusException(op, status, r.error(dataLength));
        }
        return r;
    }

    // ---- commands ------------------------------------------------------------------------

    /** SYNC: true when the loader answered. Remaining repeated answers are drained. */
    public boolean sync() throws IOException {
        try {
            command(Opcode.SYNC, SYNC_PAYLOAD, 0, timeouts.syncMillis());
        } catch (LoaderTimeoutException e) {
            return false;
        }
        for (int i = 0; i < EXTRA_SYNC_RESPONSES; i++) {
            try {
                await(Opcode.SYNC, timeouts.syncMillis());
            } catch (LoaderTimeoutException e) {
                break;
            }
        }
        return true;
    }

    public long readReg(long address) throws IOException {
        return check(Opcode.READ_REG, words(address), 0, 0, timeouts.commandMillis()).value();
    }

    public void writeReg(long address, long value) throws IOException {
        check(Opcode.WRITE_REG, words(address, value, 0xFFFFFFFFL, 0), 0, 0, timeouts.commandMillis());
    }

    /** SPI_ATTACH as a ROM takes it: the pin word plus 4 zero bytes (ESP-ROM-PROTOCOL.md §2.11). */
    public void spiAttach(long pins) throws IOException {
        check(Opcode.SPI_ATTACH, words(pins, 0), 0, 0, timeouts.commandMillis());
    }

    public void spiSetParams(long totalSize) throws IOException {
        check(Opcode.SPI_SET_PARAMS, words(0, totalSize, 0x10000, 0x1000, 0x100, 0xFFFF), 0, 0,
                timeouts.commandMillis());
    }

    /** CHANGE_BAUDRATE(new, 0): the second word is 0 when talking to a ROM. */
    public void changeBaud(long baud) throws IOException {
        check(Opcode.CHANGE_BAUDRATE, words(baud, 0), 0, 0, timeouts.commandMillis());
    }

    /** The 20-byte GET_SECURITY_INFO answer of ESP32-S3/C3 and later (12 bytes on S2). */
    public byte[] securityInfo(int length) throws IOException {
        Response r = check(Opcode.GET_SECURITY_INFO, new byte[0], 0, length, timeouts.commandMillis());
        byte[] out = new byte[length];
        System.arraycopy(r.data(), 0, out, 0, length);
        return out;
    }

    /** FLASH_BEGIN or FLASH_DEFL_BEGIN; {@code encryptedWord} adds the fifth word that newer ROMs take. */
    public void begin(Opcode op, long size, long blocks, long blockSize, long offset, boolean encryptedWord,
            int timeoutMillis) throws IOException {
        byte[] payload = encryptedWord ? words(size, blocks, blockSize, offset, 0) : words(size, blocks, blockSize, offset);
        check(op, payload, 0, 0, timeoutMillis);
    }

    /**
     * FLASH_DATA or FLASH_DEFL_DATA with {@code buf[off, off + len)} as the block: the 16-byte data
     * header, the data, and its checksum (§2.2). The block is copied straight into the request.
     */
    public void data(Opcode op, int seq, byte[] buf, int off, int len, int timeoutMillis) throws IOException {
        startRequest(op, DATA_HEADER + len, checksum(buf, off, len))
                .putInt(len).putInt(seq).putInt(0).putInt(0).put(buf, off, len);
        sendRequest();
        checkStatus(op, await(op, timeoutMillis), 0);
    }

    /** SPI_FLASH_MD5 on a ROM: 32 hex characters, returned in lower case. */
    public String flashMd5(long address, long size) throws IOException {
        Response r = check(Opcode.SPI_FLASH_MD5, words(address, size, 0, 0), 0, 32,
                timeouts.forSize(timeouts.md5MillisPerMb(), size));
        return new String(r.data(), 0, 32, StandardCharsets.US_ASCII).toLowerCase();
    }

    /** The data checksum: 0xEF xor every byte (ESP-ROM-PROTOCOL.md §1.5). */
    public static int checksum(byte[] data) {
        return checksum(data, 0, data.length);
    }

    static int checksum(byte[] buf, int off, int len) {
        int c = 0xEF;
        for (int i = off; i < off + len; i++) {
            c ^= buf[i] & 0xFF;
        }
        return c;
    }

    private static byte[] syncPayload() {
        byte[] p = new byte[36];
        Arrays.fill(p, (byte) 0x55);
        p[0] = 0x07;
        p[1] = 0x07;
        p[2] = 0x12;
        p[3] = 0x20;
        return p;
    }

    static byte[] words(long... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putInt((int) v);
        }
        return b.array();
    }
}
