package org.mqttvpn.tools.serial;

import com.fazecast.jSerialComm.SerialPort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.io.IOException;
import org.mqttvpn.tools.cli.ExitCode;
import org.mqttvpn.tools.cli.ToolkitException;

/**
 * Opens serial ports, and turns every way that can fail into a message that says what to do:
 * missing (with the ports that exist), permission (the dialout group), busy (who holds it).
 */
public final class PortOpener {
    private static final int EACCES = 13;
    private static final int EPERM = 1;
    private static final int EBUSY = 16;
    private static final int EAGAIN = 11;
    private static final int ENOTTY = 25;
    /* File types in st_mode (sys/stat.h). */
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFIFO = 0010000;

    private final PortScanner scanner;
    private final PortHolders holders;

    public PortOpener() {
        this(new PortScanner(), new PortHolders());
    }

    public PortOpener(PortScanner scanner, PortHolders holders) {
        this.scanner = scanner;
        this.holders = holders;
    }

    /** The port to use: {@code requested} if given, else the one ESP-looking port ({@link PortSelection}). */
    public String resolve(String requested) {
        if (requested != null) {
            ToolkitException notAPort = notASerialPort(requested);
            if (notAPort != null) {
                throw notAPort;
            }
            return requested;
        }
        return PortSelection.defaultPort(scanner.scan()).path();
    }

    /** The USB identity of a port path, when the system lists it (for the reset sequence to use). */
    public SerialPortInfo describe(String path) {
        Path real = PortScanner.realPath(Path.of(path));
        for (SerialPortInfo p : scanner.scan()) {
            if (PortScanner.realPath(Path.of(p.path())).equals(real)) {
                return p;
            }
        }
        return new SerialPortInfo(path, null, -1, -1, null, "not listed by the system");
    }

    /** Opens {@code path} at {@code baud}, 8N1, no flow control. */
    public SerialLink open(String path, int baud) {
        Path p = Path.of(path);
        if (!Files.exists(p)) {
            throw missing(path);
        }
        ToolkitException notAPort = notASerialPort(path);
        if (notAPort != null) {
            throw notAPort;
        }
        if (!Files.isReadable(p) || !Files.isWritable(p)) {
            throw permission(path);
        }
        SerialPort port;
        try {
            port = SerialPort.getCommPort(path);
        } catch (RuntimeException e) {
            throw missing(path);
        }
        JSerialCommLink.configure(port, baud);
        if (!port.openPort()) {
            int errno = port.getLastErrorCode();
            if (!Files.exists(p)) {
                throw missing(path);
            }
            if (errno == EACCES || errno == EPERM) {
                throw permission(path);
            }
            if (errno == EBUSY || errno == EAGAIN) {
                throw busy(path);
            }
            if (errno == ENOTTY) {
                throw new ToolkitException(ExitCode.PORT_NOT_FOUND, path + " is not a serial port."
                        + PortSelection.listing("Ports present", scanner.scan()) + "\nPick one of these with --port.");
            }
            throw new ToolkitException(ExitCode.FAILURE, "cannot open serial port " + path + " (errno " + errno + ")."
                    + PortHolders.describe(holders.of(p)) + " Unplug and replug the board, then try again.");
        }
        // Released lines = run mode on ESP auto-reset circuits; Linux asserts both on open.
        port.clearDTR();
        port.clearRTS();
        return new JSerialCommLink(port, path);
    }

    /**
     * A usage error when {@code path} exists but cannot be a serial port (a directory, a regular
     * file, a pipe...): serial ports are character devices. Null when it is one, or does not
     * exist (that is {@link #missing}'s message), or its type cannot be read.
     */
    ToolkitException notASerialPort(String path) {
        String kind = kind(Path.of(path));
        if (kind == null) {
            return null;
        }
        return new ToolkitException(ExitCode.USAGE, "--port " + path + " is " + kind + ", not a serial port"
                + " (those are character devices, like /dev/ttyUSB0)." + PortSelection.listing("Ports present", scanner.scan())
                + "\nPick one of these with --port, or leave --port out to use the one ESP-looking port.");
    }

    /** What the file at p is when it is not a character device; null for one, or when unknown. */
    private static String kind(Path p) {
        int mode;
        try {
            mode = (Integer) Files.getAttribute(p, "unix:mode"); // follows links: /dev/serial/by-id/...
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
        return switch (mode & S_IFMT) {
            case S_IFCHR -> null;
            case S_IFDIR -> "a directory";
            case S_IFREG -> "a regular file";
            case S_IFIFO -> "a named pipe (FIFO)";
            case S_IFSOCK -> "a socket";
            case S_IFBLK -> "a block device (a disk)";
            default -> null;
        };
    }

    /** The processes that hold {@code path} open, for hints in other messages. */
    public String holdersOf(String path) {
        return PortHolders.describe(holders.of(Path.of(path)));
    }

    ToolkitException missing(String path) {
        return new ToolkitException(ExitCode.PORT_NOT_FOUND, "serial port " + path + " does not exist."
                + PortSelection.listing("Ports present", scanner.scan())
                + "\nCheck the cable (a data cable, not a charge-only one) or pick one of these with --port.");
    }

    ToolkitException permission(String path) {
        String group = group(path);
        return new ToolkitException(ExitCode.PERMISSION, "no permission to open serial port " + path
                + (group == null ? "" : " (group " + group + ")") + ". Add yourself to that group:\n"
                + "  sudo usermod -aG " + (group == null ? "dialout" : group) + " $USER\n"
                + "then log out and in again (or run: newgrp " + (group == null ? "dialout" : group) + ").");
    }

    ToolkitException busy(String path) {
        return new ToolkitException(ExitCode.PORT_BUSY, "serial port " + path + " is in use by another program."
                + PortHolders.describe(holders.of(Path.of(path)))
                + " Close it (a serial monitor, screen, minicom, another toolkit) and try again.");
    }

    private static String group(String path) {
        try {
            GroupPrincipal g = Files.readAttributes(Path.of(path), PosixFileAttributes.class).group();
            return g.getName();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }
}
