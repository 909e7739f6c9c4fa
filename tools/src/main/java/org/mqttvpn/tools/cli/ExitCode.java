package org.mqttvpn.tools.cli;

/** Exit codes of every command. Scripts rely on these: change none, only add. */
public final class ExitCode {
    public static final int OK = 0;
    /** Anything not covered below. */
    public static final int FAILURE = 1;
    /** Bad flags, bad values, bad input files. */
    public static final int USAGE = 2;
    /** Needs root or a capability (CAP_NET_ADMIN), or a file or device is not accessible. */
    public static final int PERMISSION = 3;
    /** A needed program or device is missing (mosquitto, arduino-cli, /dev/net/tun, ...). */
    public static final int UNAVAILABLE = 4;
    /** Interrupted by the user (Ctrl-C) before it finished. */
    public static final int INTERRUPTED = 130;

    private ExitCode() {
    }
}
