package org.mqttvpn.tools.flash;

import org.mqttvpn.tools.serial.SerialLink;

/**
 * The DTR/RTS sequences that reset an ESP board into its bootloader or out of it
 * (ESP-ROM-PROTOCOL.md §6). On auto-reset boards RTS drives EN and DTR drives GPIO0; "asserted"
 * pulls the pin low. Each method returns false when the port has no modem lines (a pty, an
 * adapter without DTR/RTS): then only the BOOT and RESET buttons can do it.
 */
public final class ResetSequence {
    private ResetSequence() {
    }

    /**
     * esptool's ClassicReset: EN low, GPIO0 low, EN high (the chip samples GPIO0 = low and enters
     * download mode), wait {@code delayMillis}, release GPIO0.
     */
    public static boolean classic(SerialLink link, int delayMillis) throws InterruptedException {
        if (!link.setDtr(false)) {
            return false;
        }
        link.setRts(true);
        link.setDtr(false); // Windows usbser.sys sends RTS only along with a DTR change
        Thread.sleep(100);
        link.setDtr(true);
        link.setRts(false);
        link.setDtr(true);
        Thread.sleep(delayMillis);
        link.setDtr(false);
        return true;
    }

    /**
     * For the chip's built-in USB-Serial/JTAG (303a:1001), whose DTR/RTS are decoded by the USB
     * peripheral: the order passes through (1,1) rather than (0,0).
     */
    public static boolean usbJtag(SerialLink link) throws InterruptedException {
        if (!link.setRts(false)) {
            return false;
        }
        link.setDtr(false);
        Thread.sleep(100);
        link.setDtr(true);
        link.setRts(false);
        Thread.sleep(100);
        link.setRts(true);
        link.setDtr(false);
        link.setRts(true);
        Thread.sleep(100);
        link.setDtr(false);
        link.setRts(false);
        return true;
    }

    /** Leaves the bootloader: pulse EN with GPIO0 released, so the chip boots from flash. */
    public static boolean hardReset(SerialLink link, boolean builtInUsb) throws InterruptedException {
        link.setDtr(false);
        if (!link.setRts(true)) {
            return false;
        }
        Thread.sleep(builtInUsb ? 200 : 100);
        link.setRts(false);
        if (builtInUsb) {
            Thread.sleep(200); // the device re-enumerates
        }
        return true;
    }
}
