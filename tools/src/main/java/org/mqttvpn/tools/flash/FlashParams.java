package org.mqttvpn.tools.flash;

import java.util.Map;

/**
 * --flash-mode, --flash-size and --flash-freq: header bytes 2 and 3 of the image written at the
 * chip's bootloader offset, which the ROM reads to configure the flash (ESP-ROM-PROTOCOL.md
 * §7.8). A null field means "keep what the image says".
 */
public record FlashParams(String mode, String size, String freq) {
    public static final FlashParams KEEP = new FlashParams(null, null, null);

    private static final Map<String, Integer> MODES = Map.of("qio", 0, "qout", 1, "dio", 2, "dout", 3);
    private static final Map<String, Integer> FREQS = Map.of("40m", 0x0, "26m", 0x1, "20m", 0x2, "80m", 0xF);

    public boolean keepsAll() {
        return mode == null && size == null && freq == null;
    }

    /** Checks the names against the chip's tables; the message lists the valid ones. */
    public void validate(Chip chip) {
        if (mode != null && !MODES.containsKey(mode)) {
            throw new IllegalArgumentException("--flash-mode " + mode + ": use one of qio, qout, dio, dout");
        }
        if (freq != null && !FREQS.containsKey(freq)) {
            throw new IllegalArgumentException("--flash-freq " + freq + ": use one of 80m, 40m, 26m, 20m");
        }
        if (size != null && !chip.flashSizeCodes().containsKey(size)) {
            throw new IllegalArgumentException("--flash-size " + size + " is not a flash size of the "
                    + chip.displayName() + ": use one of " + String.join(", ", chip.flashSizeCodes().keySet()));
        }
    }

    /** Flash size in bytes named by --flash-size, or -1 when kept. */
    public long sizeBytes() {
        if (size == null) {
            return -1;
        }
        String s = size.replace("-c1", "");
        long n = Long.parseLong(s.substring(0, s.length() - 2));
        return s.endsWith("MB") ? n << 20 : n << 10;
    }

    /**
     * Returns {@code data} with bytes 2–3 rewritten when it is an image at the bootloader offset,
     * with its appended SHA-256 recomputed; otherwise {@code data} itself.
     */
    public byte[] apply(byte[] data, long address, Chip chip) {
        if (keepsAll() || address != chip.bootloaderOffset() || data.length < 8
                || (data[0] & 0xFF) != FirmwareImage.MAGIC) {
            return data;
        }
        FirmwareImage parsed;
        try {
            parsed = FirmwareImage.parse(data, chip.hasExtendedHeader());
        } catch (ImageException e) {
            return data; // not an image we understand: leave it alone, as esptool does
        }
        byte[] out = data.clone();
        if (mode != null) {
            out[2] = (byte) (int) MODES.get(mode);
        }
        int sizeFreq = out[3] & 0xFF;
        if (size != null) {
            sizeFreq = (sizeFreq & 0x0F) | chip.flashSizeCodes().get(size) << 4;
        }
        if (freq != null) {
            sizeFreq = (sizeFreq & 0xF0) | FREQS.get(freq);
        }
        out[3] = (byte) sizeFreq;
        if (parsed.hashAppended()) {
            int end = parsed.dataLength();
            byte[] sha = FirmwareImage.sha256(out, 0, end);
            System.arraycopy(sha, 0, out, end, sha.length);
        }
        return out;
    }
}
