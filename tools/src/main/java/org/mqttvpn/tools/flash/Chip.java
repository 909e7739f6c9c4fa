package org.mqttvpn.tools.flash;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What differs between the chips' ROM loaders and image formats (ESP-ROM-PROTOCOL.md §2.1, §4,
 * §7). Only the ROM loader is used: no RAM stub is uploaded.
 */
public enum Chip {
    ESP8266("ESP8266", "esp8266", -1, List.of(0xFFF0C101L), 0x0, 0x60000200L, 0x1C, 0x20, 0x24, -1, -1, 0x40),
    ESP32("ESP32", "esp32", 0, List.of(0x00F01D83L), 0x1000, 0x3FF42000L, 0x1C, 0x20, 0x24, 0x28, 0x2C, 0x80),
    ESP32S2("ESP32-S2", "esp32s2", 2, List.of(0x000007C6L), 0x1000, 0x3F402000L, 0x18, 0x1C, 0x20, 0x24, 0x28, 0x58),
    ESP32S3("ESP32-S3", "esp32s3", 9, List.of(0x00000009L), 0x0, 0x60002000L, 0x18, 0x1C, 0x20, 0x24, 0x28, 0x58),
    ESP32C3("ESP32-C3", "esp32c3", 5, List.of(0x6921506FL, 0x1B31506FL, 0x4881606FL, 0x4361606FL), 0x0,
            0x60002000L, 0x18, 0x1C, 0x20, 0x24, 0x28, 0x58);

    /** READ_REG here gives a per-chip magic value (ESP-ROM-PROTOCOL.md §4.2). */
    public static final long CHIP_DETECT_MAGIC_REG = 0x40001000L;

    private final String displayName;
    private final String cliName;
    private final int imageChipId;
    private final List<Long> magicValues;
    private final int bootloaderOffset;
    /** SPI peripheral used for the flash JEDEC id (ESP-ROM-PROTOCOL.md §4.6). */
    final long spiBase;
    final int spiUsr;
    final int spiUsr1;
    final int spiUsr2;
    final int spiMosiDlen;
    final int spiMisoDlen;
    final int spiW0;

    Chip(String displayName, String cliName, int imageChipId, List<Long> magicValues, int bootloaderOffset,
            long spiBase, int spiUsr, int spiUsr1, int spiUsr2, int spiMosiDlen, int spiMisoDlen, int spiW0) {
        this.displayName = displayName;
        this.cliName = cliName;
        this.imageChipId = imageChipId;
        this.magicValues = magicValues;
        this.bootloaderOffset = bootloaderOffset;
        this.spiBase = spiBase;
        this.spiUsr = spiUsr;
        this.spiUsr1 = spiUsr1;
        this.spiUsr2 = spiUsr2;
        this.spiMosiDlen = spiMosiDlen;
        this.spiMisoDlen = spiMisoDlen;
        this.spiW0 = spiW0;
    }

    public String displayName() {
        return displayName;
    }

    /** The name on the command line: --chip esp32c3. */
    public String cliName() {
        return cliName;
    }

    /** The chip id in ESP32-family image headers and GET_SECURITY_INFO; -1 for the ESP8266. */
    public int imageChipId() {
        return imageChipId;
    }

    /** Where the second-stage bootloader (ESP8266: the whole image) lives; header patching applies only here. */
    public int bootloaderOffset() {
        return bootloaderOffset;
    }

    public boolean isEsp8266() {
        return this == ESP8266;
    }

    /** ESP32-family ROMs need SPI_ATTACH before flash commands; the ESP8266 ROM attaches in FLASH_BEGIN. */
    public boolean needsSpiAttach() {
        return !isEsp8266();
    }

    /** The ESP8266 ROM has no SPI_SET_PARAMS, CHANGE_BAUDRATE, FLASH_DEFL_* or SPI_FLASH_MD5 (§2.1). */
    public boolean supportsSpiSetParams() {
        return !isEsp8266();
    }

    public boolean supportsBaudChange() {
        return !isEsp8266();
    }

    public boolean supportsCompression() {
        return !isEsp8266();
    }

    public boolean supportsMd5() {
        return !isEsp8266();
    }

    /** ROMs of the S2 and later take a fifth "encrypted" word in FLASH_BEGIN (ESP-ROM-PROTOCOL.md §2.3). */
    public boolean flashBeginHasEncryptedWord() {
        return this != ESP8266 && this != ESP32;
    }

    /** ESP32-family images carry a 16-byte extended header; the ESP8266's do not (§7.5, §7.6). */
    public boolean hasExtendedHeader() {
        return !isEsp8266();
    }

    /**
     * Erase size for FLASH_BEGIN. The ESP8266 ROM over-erases at the start of a 64 KB block; esptool
     * sends a smaller number so that the result is right (ESP-ROM-PROTOCOL.md §5.5).
     */
    public long eraseSize(long offset, long size) {
        if (!isEsp8266()) {
            return size;
        }
        long sector = 0x1000;
        long sectors = (size + sector - 1) / sector;
        long start = offset / sector;
        long head = Math.min(16 - (start % 16), sectors);
        if (sectors < 2 * head) {
            return (sectors + 1) / 2 * sector;
        }
        return (sectors - head) * sector;
    }

    /** Flash size names and their header codes (high nibble of byte 3), ESP-ROM-PROTOCOL.md §7.2. */
    public Map<String, Integer> flashSizeCodes() {
        Map<String, Integer> m = new LinkedHashMap<>();
        if (isEsp8266()) {
            m.put("512KB", 0);
            m.put("256KB", 1);
            m.put("1MB", 2);
            m.put("2MB", 3);
            m.put("4MB", 4);
            m.put("2MB-c1", 5);
            m.put("4MB-c1", 6);
            m.put("8MB", 8);
            m.put("16MB", 9);
        } else {
            m.put("1MB", 0);
            m.put("2MB", 1);
            m.put("4MB", 2);
            m.put("8MB", 3);
            m.put("16MB", 4);
            if (this == ESP32S2 || this == ESP32S3) {
                m.put("32MB", 5);
                m.put("64MB", 6);
                m.put("128MB", 7);
            }
        }
        return m;
    }

    /** Reads the factory MAC from eFuse with READ_REG (ESP-ROM-PROTOCOL.md §4.5). */
    public String readMac(RomLoaderClient loader) throws IOException {
        int[] mac = new int[6];
        switch (this) {
            case ESP8266 -> {
                long mac0 = loader.readReg(0x3FF00050L);
                long mac1 = loader.readReg(0x3FF00054L);
                long mac3 = loader.readReg(0x3FF0005CL);
                if (mac3 != 0) {
                    mac[0] = (int) (mac3 >> 16) & 0xFF;
                    mac[1] = (int) (mac3 >> 8) & 0xFF;
                    mac[2] = (int) mac3 & 0xFF;
                } else if (((mac1 >> 16) & 0xFF) == 0) {
                    mac[0] = 0x18;
                    mac[1] = 0xFE;
                    mac[2] = 0x34;
                } else if (((mac1 >> 16) & 0xFF) == 1) {
                    mac[0] = 0xAC;
                    mac[1] = 0xD0;
                    mac[2] = 0x74;
                } else {
                    return "unknown (eFuse OUI byte 0x" + Long.toHexString((mac1 >> 16) & 0xFF) + ")";
                }
                mac[3] = (int) (mac1 >> 8) & 0xFF;
                mac[4] = (int) mac1 & 0xFF;
                mac[5] = (int) (mac0 >> 24) & 0xFF;
            }
            default -> {
                long lowAddr = switch (this) {
                    case ESP32 -> 0x3FF5A004L;
                    case ESP32S2 -> 0x3F41A044L;
                    case ESP32S3 -> 0x60007044L;
                    default -> 0x60008844L;
                };
                // ESP32: word 1 then word 2; the others: MAC_EFUSE_REG and the word after it.
                long low = loader.readReg(lowAddr);
                long high = loader.readReg(lowAddr + 4);
                mac[0] = (int) (high >> 8) & 0xFF;
                mac[1] = (int) high & 0xFF;
                mac[2] = (int) (low >> 24) & 0xFF;
                mac[3] = (int) (low >> 16) & 0xFF;
                mac[4] = (int) (low >> 8) & 0xFF;
                mac[5] = (int) low & 0xFF;
            }
        }
        return String.format("%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
    }

    public static Optional<Chip> byMagic(long magic) {
        for (Chip c : values()) {
            if (c.magicValues.contains(magic)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    public static Optional<Chip> byImageChipId(int id) {
        for (Chip c : values()) {
            if (c.imageChipId == id) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    public static Optional<Chip> byCliName(String name) {
        for (Chip c : values()) {
            if (c.cliName.equalsIgnoreCase(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
