package org.mqttvpn.tools.sim;

import java.util.HashMap;
import java.util.Map;

/**
 * The personality of a simulated ROM loader, from ESP-ROM-PROTOCOL.md: status bytes (§1.4),
 * supported commands (§2.1), chip-detect magic (§4.2), eFuse MAC words (§4.5), SPI registers
 * for the flash id (§4.6).
 */
public enum SimChip {
    /** 2 status bytes; no SPI_ATTACH/SET_PARAMS/CHANGE_BAUDRATE/DEFL/MD5; the erase-size defect. */
    ESP8266(2, 0xFFF0C101L, -1, 0x60000200L, 0x24, 0x40),
    /** 4 status bytes; SPI_ATTACH required; no GET_SECURITY_INFO. */
    ESP32(4, 0x00F01D83L, 0, 0x3FF42000L, 0x24, 0x80),
    /** 4 status bytes; GET_SECURITY_INFO with chip id 5. */
    ESP32C3(4, 0x1B31506FL, 5, 0x60002000L, 0x20, 0x58);

    final int statusLength;
    final long magic;
    final int chipId;
    final long spiBase;
    final int spiUsr2;
    final int spiW0;

    SimChip(int statusLength, long magic, int chipId, long spiBase, int spiUsr2, int spiW0) {
        this.statusLength = statusLength;
        this.magic = magic;
        this.chipId = chipId;
        this.spiBase = spiBase;
        this.spiUsr2 = spiUsr2;
        this.spiW0 = spiW0;
    }

    boolean isEsp8266() {
        return this == ESP8266;
    }

    boolean hasSecurityInfo() {
        return this == ESP32C3;
    }

    /** Registers with values at power-up: magic, MAC eFuse words, the ESP32 clock calibration. */
    Map<Long, Long> initialRegisters() {
        Map<Long, Long> r = new HashMap<>();
        r.put(0x40001000L, magic);
        switch (this) {
            case ESP8266 -> {
                // MAC 18:fe:34:a1:b2:c3: OUI from MAC1[23:16] == 0, then MAC1[15:0], MAC0[31:24]
                r.put(0x3FF00050L, 0xC3000000L);
                r.put(0x3FF00054L, 0x0000A1B2L);
                r.put(0x3FF0005CL, 0L);
            }
            case ESP32 -> {
                // MAC 24:0a:c4:12:34:56 (the example of §4.5)
                r.put(0x3FF5A004L, 0xC4123456L);
                r.put(0x3FF5A008L, 0x0000240AL);
                // a ROM clock estimate of exactly 40 MHz: cali 1024, ck8m 100 (§2.13)
                r.put(0x3FF5F06CL, 1024L << 7);
                r.put(0x3FF5A010L, 100L);
            }
            default -> {
                // MAC 34:85:56:78:9a:bc
                r.put(0x60008844L, 0x56789ABCL);
                r.put(0x60008848L, 0x00003485L);
            }
        }
        return r;
    }

    /** The MAC the registers above encode, as the flasher should print it. */
    public String mac() {
        return switch (this) {
            case ESP8266 -> "18:fe:34:a1:b2:c3";
            case ESP32 -> "24:0a:c4:12:34:56";
            default -> "34:85:56:78:9a:bc";
        };
    }
}
