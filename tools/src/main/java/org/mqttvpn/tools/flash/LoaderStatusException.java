package org.mqttvpn.tools.flash;

import java.io.IOException;

/** The bootloader answered a command with a failure status and a ROM error code. */
public final class LoaderStatusException extends IOException {
    private final Opcode opcode;
    private final int error;

    public LoaderStatusException(Opcode opcode, int status, int error) {
        super(opcode + " failed: status " + status + ", ROM error 0x" + Integer.toHexString(error) + " ("
                + RomError.describe(error) + ")");
        this.opcode = opcode;
        this.error = error;
    }

    public Opcode opcode() {
        return opcode;
    }

    /** The ROM error code ({@link RomError}). */
    public int error() {
        return error;
    }
}
