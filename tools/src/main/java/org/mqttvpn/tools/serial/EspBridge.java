package org.mqttvpn.tools.serial;

import java.util.Optional;

/**
 * The USB-serial bridges found on ESP boards, by USB vendor and product id. A port with one of
 * these ids is "ESP-looking": flash and monitor pick it when --port is not given.
 */
public enum EspBridge {
    CP210X("Silicon Labs CP210x", 0x10c4, 0xea60),
    CH340("WCH CH340", 0x1a86, 0x7523),
    CH341("WCH CH341", 0x1a86, 0x5523),
    CH9102("WCH CH9102", 0x1a86, 0x55d4),
    CH343("WCH CH343", 0x1a86, 0x55d3),
    FT232R("FTDI FT232R", 0x0403, 0x6001),
    FT2232("FTDI FT2232 (ESP-Prog)", 0x0403, 0x6010),
    FT232H("FTDI FT232H", 0x0403, 0x6014),
    FT231X("FTDI FT230X/FT231X", 0x0403, 0x6015),
    ESPRESSIF_USB_JTAG("Espressif USB-JTAG/serial (ESP32-C3/S3/C6/H2 built-in USB)", 0x303a, 0x1001),
    ESPRESSIF_USB_OTG_S2("Espressif USB-OTG CDC (ESP32-S2 download mode)", 0x303a, 0x0002),
    ESPRESSIF_USB_OTG_S3("Espressif USB-OTG CDC (ESP32-S3 download mode)", 0x303a, 0x0009);

    /** Espressif's own USB vendor id: built-in USB of the newer chips. */
    public static final int ESPRESSIF_VID = 0x303a;

    private final String description;
    private final int vendorId;
    private final int productId;

    EspBridge(String description, int vendorId, int productId) {
        this.description = description;
        this.vendorId = vendorId;
        this.productId = productId;
    }

    public String description() {
        return description;
    }

    /** True for the chip's own USB peripheral, whose DTR/RTS are virtual and need another reset sequence. */
    public boolean isBuiltInUsb() {
        return vendorId == ESPRESSIF_VID;
    }

    public static Optional<EspBridge> of(int vendorId, int productId) {
        for (EspBridge b : values()) {
            if (b.vendorId == vendorId && b.productId == productId) {
                return Optional.of(b);
            }
        }
        // Any other Espressif product id is one of the chip's USB modes too.
        if (vendorId == ESPRESSIF_VID) {
            return Optional.of(ESPRESSIF_USB_JTAG);
        }
        return Optional.empty();
    }
}
