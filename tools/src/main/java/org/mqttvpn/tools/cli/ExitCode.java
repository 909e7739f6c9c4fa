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
    /**
     * A needed program or device is missing (mosquitto, arduino-cli, idf.py, /dev/net/tun, ...);
     * for arduino-cli and idf.py the message gives the install steps.
     */
    public static final int UNAVAILABLE = 4;
    /**
     * The serial port named (or the one to pick by default) does not exist; the message lists
     * the ports that do. Also: no ESP-looking port is plugged in and --port was not given.
     */
    public static final int PORT_NOT_FOUND = 10;
    /** The serial port exists but another process holds it open (the message names it if known). */
    public static final int PORT_BUSY = 11;
    /**
     * No answer from the ESP ROM bootloader: the board is not in download mode, or the wiring,
     * the baud rate or the port is wrong (the message says how to enter download mode).
     */
    public static final int NO_SYNC = 12;
    /** The chip found is not the one asked for (--chip), or an image was built for another chip. */
    public static final int WRONG_CHIP = 13;
    /**
     * A file given to flash is not a valid firmware image (bad magic, truncated segment, bad
     * checksum or SHA-256); narrower than {@link #USAGE}, which covers a file that cannot be read.
     */
    public static final int BAD_IMAGE = 14;
    /** The MD5 of the flash after writing differs from the MD5 of the data sent. */
    public static final int VERIFY_FAILED = 15;
    /** The bootloader reported an error, or stopped answering, in the middle of an operation. */
    public static final int DEVICE_ERROR = 16;
    /** An external build tool (arduino-cli, idf.py) ran and exited with a non-zero status. */
    public static final int TOOL_FAILED = 17;
    /**
     * ota: the device did not answer the invitation (UDP) in time, or nothing listens on its
     * OTA port: it is not reachable through the VPN, its firmware has no OTA, or the port is
     * wrong (8266 on an ESP8266, 3232 on ESP-IDF and host-sim).
     */
    public static final int OTA_NO_ANSWER = 20;
    /** ota: the device refused the password ("Authentication Failed"). */
    public static final int OTA_AUTH_FAILED = 21;
    /** ota: the device refused the image before the transfer ("ERR: ...": too large, busy, ...). */
    public static final int OTA_REFUSED = 22;
    /**
     * ota: the transfer did not complete: the device did not connect back, the connection was
     * cut or stalled, or the device reported an error at the end ("ERROR: ...", e.g. a hash
     * mismatch). The device keeps running its previous image.
     */
    public static final int OTA_TRANSFER_FAILED = 23;
    /** ota: the image to upload is missing, not a regular file, empty, too large or unreadable (or not built yet). */
    public static final int OTA_IMAGE_UNREADABLE = 24;
    /**
     * ota: no usable OTA password: --password-file is missing, not a regular file, unreadable,
     * longer than 4 KB or has an empty first line; or the device has none in the inventory.
     */
    public static final int OTA_NO_PASSWORD = 25;
    /** ota: after the upload, the device did not answer the version query again within --timeout. */
    public static final int OTA_NOT_BACK = 26;
    /** ota: the device came back running its previous image (rolled back): the new one did not rejoin the VPN. */
    public static final int OTA_ROLLED_BACK = 27;
    /** Interrupted by the user (Ctrl-C) before it finished. */
    public static final int INTERRUPTED = 130;

    private ExitCode() {
    }
}
