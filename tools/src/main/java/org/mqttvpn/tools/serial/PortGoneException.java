package org.mqttvpn.tools.serial;

import java.io.IOException;

/** The serial device went away while open: unplugged, reset through USB, re-enumerated. */
public final class PortGoneException extends IOException {
    public PortGoneException(String path) {
        super("serial port " + path + " disappeared (unplugged or re-enumerated)");
    }
}
