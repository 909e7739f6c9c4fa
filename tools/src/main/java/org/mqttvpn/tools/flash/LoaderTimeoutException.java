package org.mqttvpn.tools.flash;

import java.io.IOException;

/** The bootloader did not answer a command in time. */
public final class LoaderTimeoutException extends IOException {
    private final Opcode opcode;

    public LoaderTimeoutException(Opcode opcode, int timeoutMillis) {
        super("no response to " + opcode + " within " + timeoutMillis + " ms");
        this.opcode = opcode;
    }

    public Opcode opcode() {
        return opcode;
    }
}
