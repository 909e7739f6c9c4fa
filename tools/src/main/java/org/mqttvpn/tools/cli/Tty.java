package org.mqttvpn.tools.cli;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/** Whether a standard stream is a terminal: isatty(3), direct-mapped through JNA. */
public final class Tty {
    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private Tty() {
    }

    private static native int isatty(int fd);

    /** Whether standard input is a terminal, so that keys can be read one at a time. */
    public static boolean stdinIsTerminal() {
        return isatty(0) == 1;
    }
}
