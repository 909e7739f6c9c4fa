package org.mqttvpn.tools.flash;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.mqttvpn.tools.cli.ExitCode;
import org.mqttvpn.tools.cli.ToolkitException;
import org.mqttvpn.tools.serial.PortGoneException;
import org.mqttvpn.tools.serial.SerialLink;

/**
 * Writes images to an ESP chip through its ROM serial loader, the way esptool does without a
 * stub (ESP-ROM-PROTOCOL.md §5.7): reset into the bootloader, sync, detect the chip, change the
 * baud rate, attach the flash, then per file BEGIN / DATA blocks / MD5 verify, and a hard reset.
 * Every failure leaves as a {@link ToolkitException} with the exit code of its kind.
 */
public final class Flasher {
    private static final int BLOCK = RomLoaderClient.ROM_BLOCK_SIZE;
    private static final int SECTOR = 0x1000;
    private static final int SYNCS_PER_RESET = 5;
    private static final int WRITE_BLOCK_ATTEMPTS = 3;
    private static final long DEFAULT_FLASH_SIZE = 4L << 20;
    private static final Pattern BOOT_LOG_ESP32 = Pattern.compile("boot:(0x[0-9a-fA-F]+)([^\\n]*\\n?[^\\n]*waiting for download)?");
    private static final Pattern BOOT_LOG_ESP8266 = Pattern.compile("boot mode:\\((\\d),");

    private final SerialLink link;
    private final boolean builtInUsb;
    private final FlashOptions options;
    private final FlashListener listener;
    private final RomLoaderClient loader;
    private Chip chip;
    private int baud = FlashOptions.ROM_BAUD;
    private boolean modemLines = true;
    private String portHint = "";

    /**
     * @param link       an open port at 115200
     * @param builtInUsb the port is the chip's own USB-Serial/JTAG (other reset sequence)
     */
    public Flasher(SerialLink link, boolean builtInUsb, FlashOptions options, FlashListener listener) {
        this.link = link;
        this.builtInUsb = builtInUsb;
        this.options = options;
        this.listener = listener;
        this.loader = new RomLoaderClient(link, options.timeouts());
    }

    /** Extra text for the no-sync message, e.g. which other programs hold the port. */
    public void setPortHint(String hint) {
        this.portHint = hint == null ? "" : hint;
    }

    /**
     * The checks that need no board: overlaps, and with a known --chip the images and flash
     * parameters. Callers run it before opening the port, so a bad file fails fast.
     *
     * @return the images in address order
     */
    public static List<FlashImage> precheck(List<FlashImage> images, FlashOptions options) {
        List<FlashImage> sorted = new ArrayList<>(images);
        sorted.sort(Comparator.comparingLong(FlashImage::address));
        checkOverlaps(sorted);
        if (options.chip() != null) {
            validate(sorted, options.chip(), options.flashParams());
        }
        return sorted;
    }

    /** Connects, writes every image (in address order) and resets the board. */
    public FlashReport flash(List<FlashImage> images) throws InterruptedException {
        List<FlashImage> sorted = precheck(images, options);
        try {
            connect();
            chip = detectChip();
            if (options.chip() != null && options.chip() != chip) {
                throw new ToolkitException(ExitCode.WRONG_CHIP, "asked for " + options.chip().cliName()
                        + " (--chip, or the DEVICE's chip in the inventory), but the board on " + link.path()
                        + " is an " + chip.displayName() + ". Connect a board with that chip, or flash images"
                        + " built for the " + chip.displayName() + " (--chip " + chip.cliName() + ").");
            }
            String mac = chip.readMac(loader);
            listener.info("Chip: " + chip.displayName() + ", MAC " + mac);
            validate(sorted, chip, options.flashParams());
            changeBaud();
            attachFlash();
            long flashSize = flashSize();
            checkFits(sorted, flashSize);
            if (chip.supportsSpiSetParams()) {
                loader.spiSetParams(flashSize > 0 ? flashSize : DEFAULT_FLASH_SIZE);
            }
            List<FlashReport.FileResult> results = new ArrayList<>();
            for (FlashImage image : sorted) {
                results.add(write(image));
            }
            boolean reset = false;
            if (options.resetAfter()) {
                reset = ResetSequence.hardReset(link, builtInUsb);
                if (!reset) {
                    listener.warn("could not reset the board: " + link.path() + " has no DTR/RTS lines. "
                            + "Press RESET (EN/RST) to start the new firmware.");
                }
            }
            return new FlashReport(chip, mac, flashSize, baud, results, reset);
        } catch (IOException e) {
            throw deviceError("talking to the bootloader on " + link.path(), e);
        }
    }

    // ---- connection ----------------------------------------------------------------------

    /** Resets into the bootloader and syncs, cycling esptool's reset delays (ESP-ROM-PROTOCOL.md §5.2, §6.6). */
    void connect() throws IOException, InterruptedException {
        int[] delays = {50, 550};
        for (int attempt = 0; attempt < options.connectAttempts(); attempt++) {
            if (options.resetBefore() && modemLines) {
                boolean ok = builtInUsb ? ResetSequence.usbJtag(link) : ResetSequence.classic(link, delays[attempt % 2]);
                if (!ok) {
                    modemLines = false;
                    listener.warn(link.path() + " has no DTR/RTS lines: cannot reset into the bootloader "
                            + "automatically; trying to sync with a board already in download mode.");
                }
            }
            for (int i = 0; i < SYNCS_PER_RESET; i++) {
                loader.discardInput();
                if (loader.sync()) {
                    return;
                }
                Thread.sleep(50);
            }
        }
        throw new ToolkitException(ExitCode.NO_SYNC, noSyncMessage());
    }

    private String noSyncMessage() {
        String noise = loader.noise();
        StringBuilder m = new StringBuilder("no answer from the ESP bootloader on " + link.path() + " after "
                + options.connectAttempts() + " reset" + (options.connectAttempts() == 1 ? "" : "s") + " and "
                + options.connectAttempts() * SYNCS_PER_RESET + " sync attempts. ");
        Matcher esp32 = BOOT_LOG_ESP32.matcher(noise);
        Matcher esp8266 = BOOT_LOG_ESP8266.matcher(noise);
        if (esp32.find()) {
            if (esp32.group(2) != null) {
                m.append("The chip printed 'waiting for download', so it is in download mode but its answers "
                        + "do not arrive: check the TX/RX wiring. ");
            } else {
                m.append("The chip booted normally (boot:").append(esp32.group(1))
                        .append(") instead of entering download mode. ");
            }
        } else if (esp8266.find() && !esp8266.group(1).equals("1")) {
            m.append("The chip booted from flash (boot mode ").append(esp8266.group(1))
                    .append(") instead of entering download mode (1). ");
        } else if (!noise.isEmpty()) {
            m.append("It sent ").append(noise.length()).append(" bytes that are not bootloader answers "
                    + "(a running program's output, or another program on the port?). ");
        } else {
            m.append("Nothing at all came back: is it the right port, and is the board powered? ");
        }
        m.append("Put the board in download mode by hand: hold BOOT (FLASH, GPIO0), tap RESET (EN/RST), "
                + "release BOOT, then run the command again.");
        m.append(portHint);
        return m.toString();
    }

    /**
     * The magic register names the older chips; newer ones (C3, S3 and later) are also asked for
     * their chip id. The magic is read first so that the ESP8266 and ESP32 ROMs never see
     * GET_SECURITY_INFO, which they do not support (older esptool had to re-sync after it).
     */
    Chip detectChip() throws IOException {
        long magic = loader.readReg(Chip.CHIP_DETECT_MAGIC_REG);
        var known = Chip.byMagic(magic);
        if (known.isPresent()) {
            return known.get();
        }
        byte[] info = loader.securityInfo(20);
        int id = (int) FirmwareImage.u32(info, 12);
        return Chip.byImageChipId(id).orElseThrow(() -> new ToolkitException(ExitCode.WRONG_CHIP,
                String.format("the chip on %s is not one this flasher knows (magic 0x%08x, chip id %d); "
                        + "use esptool or idf.py for it", link.path(), magic, id)));
    }

    /**
     * CHANGE_BAUDRATE, then a probe at the new rate. When the ROM refuses, or answers nothing at
     * the new rate (a USB-serial adapter or cable that cannot do it), continue at 115200: after a
     * switch the chip must be reset to get back to 115200, so that case reconnects.
     */
    void changeBaud() throws IOException, InterruptedException {
        int want = options.baud();
        if (want == FlashOptions.ROM_BAUD) {
            return;
        }
        if (!chip.supportsBaudChange()) {
            listener.info("The " + chip.displayName() + " ROM cannot change baud rate: staying at 115200.");
            return;
        }
        try {
            loader.changeBaud(chip == Chip.ESP32 ? esp32RomBaud(want) : want);
        } catch (LoaderStatusException e) {
            listener.warn("the bootloader refused " + want + " baud (" + e.getMessage() + "); continuing at 115200.");
            return;
        }
        if (!link.setBaudRate(want)) {
            listener.warn("the serial adapter refused " + want + " baud; resetting and continuing at 115200.");
            reconnectAtRomBaud();
            return;
        }
        Thread.sleep(50);
        loader.discardInput();
        if (probe()) {
            baud = want;
            listener.info("Baud rate: " + want);
            return;
        }
        listener.warn("no answer at " + want + " baud (the adapter or cable cannot carry it); "
                + "resetting and continuing at 115200.");
        reconnectAtRomBaud();
    }

    private boolean probe() throws IOException {
        for (int i = 0; i < 2; i++) {
            try {
                loader.readReg(Chip.CHIP_DETECT_MAGIC_REG);
                return true;
            } catch (LoaderTimeoutException e) {
                loader.discardInput();
            }
        }
        return false;
    }

    private void reconnectAtRomBaud() throws IOException, InterruptedException {
        link.setBaudRate(FlashOptions.ROM_BAUD);
        baud = FlashOptions.ROM_BAUD;
        connect();
    }

    /**
     * The original ESP32 ROM derives its UART divisor from its own clock estimate; esptool scales
     * the requested rate by the ratio of that estimate to the crystal (ESP-ROM-PROTOCOL.md §2.13).
     */
    long esp32RomBaud(int want) throws IOException {
        long cali = (loader.readReg(0x3FF5F06CL) >> 7) & 0x1FFFFFF;
        long ck8m = loader.readReg(0x3FF5A010L) & 0xFF;
        return esp32CorrectedBaud(want, cali, ck8m);
    }

    static long esp32CorrectedBaud(int want, long cali, long ck8m) {
        double romFreq = cali * 15625.0 * ck8m / 40;
        if (romFreq <= 0) {
            return want; // no estimate: send the rate unscaled
        }
        double xtal = romFreq > 33e6 ? 40e6 : 26e6;
        return (long) Math.floor(want * romFreq / xtal);
    }

    /** Makes the SPI flash usable: SPI_ATTACH on ESP32-family ROMs, an empty FLASH_BEGIN on the ESP8266's. */
    void attachFlash() throws IOException {
        if (!chip.needsSpiAttach()) {
            loader.begin(Opcode.FLASH_BEGIN, 0, 0, BLOCK, 0, false, options.timeouts().commandMillis());
            return;
        }
        long pins = 0;
        if (chip == Chip.ESP32) {
            // Custom SPI pins burned in eFuse (ESP-ROM-PROTOCOL.md §2.11); all zero = the default pins.
            long rdata5 = loader.readReg(0x3FF5A014L);
            long rdata3 = loader.readReg(0x3FF5A00CL);
            long clk = rdata5 & 0x1F;
            long q = (rdata5 >> 5) & 0x1F;
            long d = (rdata5 >> 10) & 0x1F;
            long cs = (rdata5 >> 15) & 0x1F;
            long hd = (rdata3 >> 4) & 0x1F;
            if ((clk | q | d | cs | hd) != 0) {
                pins = (hd << 24) | (cs << 18) | (d << 12) | (q << 6) | clk;
            }
        }
        loader.spiAttach(pins);
    }

    private long flashSize() throws IOException {
        long given = options.flashParams().sizeBytes();
        long detected = -1;
        try {
            long id = FlashIdReader.read(loader, chip);
            detected = FlashIdReader.sizeFromId(id);
            listener.info(String.format("Flash: JEDEC id %06x, %s", id,
                    detected > 0 ? (detected >> 20 > 0 ? (detected >> 20) + " MB" : (detected >> 10) + " KB") : "size unknown"));
        } catch (LoaderStatusException | LoaderTimeoutException e) {
            listener.warn("could not read the flash id (" + e.getMessage() + ")");
        }
        if (given > 0) {
            if (detected > 0 && detected != given) {
                listener.warn("--flash-size says " + (given >> 10) + " KB, the flash reports " + (detected >> 10) + " KB");
            }
            return given;
        }
        return detected;
    }

    // ---- images --------------------------------------------------------------------------

    private static void validate(List<FlashImage> images, Chip c, FlashParams params) {
        try {
            params.validate(c);
        } catch (IllegalArgumentException e) {
            throw ToolkitException.usage(e.getMessage());
        }
        for (FlashImage image : images) {
            ImageCheck.check(image, c);
        }
    }

    private static void checkOverlaps(List<FlashImage> sorted) {
        for (int i = 1; i < sorted.size(); i++) {
            FlashImage a = sorted.get(i - 1);
            FlashImage b = sorted.get(i);
            if (b.address() < a.end()) {
                throw ToolkitException.usage(a.label() + " (" + a.data().length + " bytes, to 0x"
                        + Long.toHexString(a.end()) + ") overlaps " + b.label() + ": check the addresses (FILE@ADDR)");
            }
        }
    }

    private static void checkFits(List<FlashImage> images, long flashSize) {
        if (flashSize <= 0) {
            return;
        }
        for (FlashImage image : images) {
            if (image.end() > flashSize) {
                throw ToolkitException.usage(String.format("%s ends at 0x%x, past the end of the %d KB flash:"
                        + " check its address, or --flash-size if the board has more", image.label(), image.end(),
                        flashSize >> 10));
            }
        }
    }

    /** The bytes to write: header patched, padded to 4 bytes, and started on a sector boundary. */
    byte[] prepare(FlashImage image) {
        byte[] data = options.flashParams().apply(image.data(), image.address(), chip);
        int padded = (data.length + 3) & ~3;
        int lead = (int) (image.address() % SECTOR); // the ROM writes whole sectors from a sector start
        byte[] out = new byte[lead + padded];
        Arrays.fill(out, 0, lead, (byte) 0xFF);
        System.arraycopy(data, 0, out, lead, data.length);
        Arrays.fill(out, lead + data.length, out.length, (byte) 0xFF);
        return out;
    }

    private FlashReport.FileResult write(FlashImage image) throws IOException, InterruptedException {
        long started = System.nanoTime();
        long out0 = loader.wireBytesOut();
        long in0 = loader.wireBytesIn();
        byte[] data = prepare(image);
        long address = image.address() - image.address() % SECTOR;
        String md5 = md5(data);
        byte[] payload = data;
        boolean compressed = options.compress() && chip.supportsCompression();
        if (compressed) {
            payload = deflate(data);
            if (payload.length >= data.length) {
                compressed = false; // incompressible: plain blocks cost less
                payload = data;
            }
        }
        listener.fileStarted(image, data.length, compressed);
        int blocks = (payload.length + BLOCK - 1) / BLOCK;
        LoaderTimeouts t = options.timeouts();
        if (compressed) {
            long rounded = (long) (data.length + BLOCK - 1) / BLOCK * BLOCK; // the ROM erases whole blocks
            loader.begin(Opcode.FLASH_DEFL_BEGIN, rounded, blocks, BLOCK, address, chip.flashBeginHasEncryptedWord(),
                    t.forSize(t.eraseMillisPerMb(), rounded));
            Inflater meter = new Inflater(); // how much each block inflates to: the ROM writes that before answering
            byte[] sink = new byte[64 * 1024];
            long done = 0;
            try {
                for (int seq = 0; seq < blocks; seq++) {
                    int from = seq * BLOCK;
                    int len = Math.min(BLOCK, payload.length - from);
                    meter.setInput(payload, from, len);
                    long produced = 0;
                    int n;
                    while ((n = meter.inflate(sink)) > 0) {
                        produced += n;
                    }
                    sendBlock(Opcode.FLASH_DEFL_DATA, seq, payload, from, len, address,
                            t.forSize(t.writeMillisPerMb(), produced));
                    done += produced;
                    listener.progress(Math.min(done, data.length));
                }
            } catch (DataFormatException e) {
                throw new IllegalStateException("our own deflate output does not inflate", e);
            } finally {
                meter.end();
            }
        } else {
            loader.begin(Opcode.FLASH_BEGIN, chip.eraseSize(address, data.length), blocks, BLOCK, address,
                    chip.flashBeginHasEncryptedWord(), t.forSize(t.eraseMillisPerMb(), data.length));
            int timeout = t.forSize(t.writeMillisPerMb(), BLOCK);
            for (int seq = 0; seq < blocks; seq++) {
                int from = seq * BLOCK;
                if (data.length - from >= BLOCK) {
                    sendBlock(Opcode.FLASH_DATA, seq, data, from, BLOCK, address, timeout);
                } else {
                    // FLASH_DATA blocks are whole: the last one is padded with erased-flash bytes
                    byte[] last = new byte[BLOCK];
                    Arrays.fill(last, (byte) 0xFF);
                    System.arraycopy(data, from, last, 0, data.length - from);
                    sendBlock(Opcode.FLASH_DATA, seq, last, 0, BLOCK, address, timeout);
                }
                listener.progress(Math.min((long) (seq + 1) * BLOCK, data.length));
            }
        }
        boolean verified = false;
        if (options.verify() && chip.supportsMd5()) {
            String flashMd5 = loader.flashMd5(address, data.length);
            if (!flashMd5.equalsIgnoreCase(md5)) {
                throw new ToolkitException(ExitCode.VERIFY_FAILED, String.format("verify failed for %s: the flash "
                        + "at 0x%x..0x%x has MD5 %s, the data sent has MD5 %s. Flash again; if it keeps failing, "
                        + "try a lower --baud, another cable, or the flash chip is worn.",
                        image.label(), address, address + data.length, flashMd5, md5));
            }
            verified = true;
        }
        FlashReport.FileResult r = new FlashReport.FileResult(image.label(), address, data.length, payload.length,
                compressed, md5, verified, loader.wireBytesOut() - out0, loader.wireBytesIn() - in0,
                (System.nanoTime() - started) / 1_000_000);
        listener.fileFinished(r);
        return r;
    }

    /** One data block, {@code buf[off, off + len)}, retried as esptool does when the answer is an error or does not come. */
    private void sendBlock(Opcode op, int seq, byte[] buf, int off, int len, long address, int timeoutMillis)
            throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 1; attempt <= WRITE_BLOCK_ATTEMPTS; attempt++) {
            try {
                loader.data(op, seq, buf, off, len, timeoutMillis);
                return;
            } catch (LoaderStatusException | LoaderTimeoutException e) {
                last = e;
                Thread.sleep(attempt * 50L);
                loader.discardInput(); // a late answer to the failed try must not answer the next one
            }
        }
        throw deviceError(String.format("writing block %d (flash 0x%x) failed %d times", seq,
                address + (long) seq * BLOCK, WRITE_BLOCK_ATTEMPTS), last);
    }

    private ToolkitException deviceError(String what, IOException e) {
        String hint;
        if (e instanceof PortGoneException) {
            hint = " Plug the board back in (a loose cable or a USB hub can drop it) and flash again:"
                    + " what was written so far is incomplete.";
        } else if (e instanceof LoaderTimeoutException) {
            hint = " The board stopped answering: check the cable and power, try a lower --baud.";
        } else {
            hint = " Try again; with repeated errors try a lower --baud or another cable.";
        }
        return new ToolkitException(ExitCode.DEVICE_ERROR, what + ": " + e.getMessage() + "." + hint, e);
    }

    static byte[] deflate(byte[] data) {
        // A zlib stream (RFC 1950 header and Adler-32), as the ROM's inflater expects (§2.14).
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION);
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
        byte[] buf = new byte[64 * 1024];
        while (!d.finished()) {
            int n = d.deflate(buf);
            out.write(buf, 0, n);
        }
        d.end();
        return out.toByteArray();
    }

    private static String md5(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
