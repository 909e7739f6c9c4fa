package org.mqttvpn.tools.monitor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.mqttvpn.tools.cli.ToolkitException;
import org.mqttvpn.tools.flash.ResetSequence;
import org.mqttvpn.tools.serial.PortOpener;
import org.mqttvpn.tools.serial.SerialLink;

/**
 * A serial console connection that outlives the port: when the device disappears (unplugged,
 * or re-enumerated by a reset over USB) it says so, polls until the path exists and opens
 * again, and says that too.
 */
public final class MonitorSession implements AutoCloseable {
    private static final int POLL_MILLIS = 250;

    private final String path;
    private final int baud;
    private final PortOpener opener;
    private final LineProcessor out;
    private final boolean builtInUsb;
    private volatile SerialLink link;
    private volatile boolean running;
    private Thread reader;

    public MonitorSession(String path, int baud, PortOpener opener, LineProcessor out, boolean builtInUsb) {
        this.path = path;
        this.baud = baud;
        this.opener = opener;
        this.out = out;
        this.builtInUsb = builtInUsb;
    }

    /** Opens the port (failing with the opener's message if it cannot) and starts reading. */
    public void start() {
        link = opener.open(path, baud);
        running = true;
        reader = new Thread(this::readLoop, "monitor-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void readLoop() {
        byte[] buf = new byte[4096];
        while (running) {
            SerialLink l = link;
            try {
                if (l == null) {
                    reconnect();
                    continue;
                }
                int n = l.read(buf, 200);
                if (n > 0) {
                    out.accept(buf, 0, n);
                }
            } catch (IOException e) {
                if (!running) {
                    return;
                }
                link = null;
                l.close();
                note("port " + path + " disappeared (" + e.getMessage() + "); waiting for it to come back");
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void reconnect() throws InterruptedException {
        while (running) {
            if (Files.exists(Path.of(path))) {
                try {
                    link = opener.open(path, baud);
                    note("port " + path + " is back: reconnected");
                    return;
                } catch (ToolkitException e) {
                    // udev may not have set the permissions yet: keep polling
                }
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private void note(String text) {
        try {
            out.note(text);
        } catch (IOException e) {
            // the screen is gone; nothing left to tell
        }
    }

    /** Sends typed bytes to the board; dropped while the port is away. */
    public void send(byte[] data) {
        SerialLink l = link;
        if (l == null) {
            return;
        }
        try {
            l.write(data);
        } catch (IOException e) {
            // the reader notices the port going away
        }
    }

    /** Restarts the board into its firmware (EN pulse). */
    public void reset() throws InterruptedException {
        SerialLink l = link;
        if (l != null && !ResetSequence.hardReset(l, builtInUsb)) {
            note("cannot reset: " + path + " has no DTR/RTS lines; press RESET on the board");
        }
    }

    /** Restarts the board into the ROM bootloader (download mode). */
    public void resetIntoBootloader() throws InterruptedException {
        SerialLink l = link;
        boolean ok = l != null && (builtInUsb ? ResetSequence.usbJtag(l) : ResetSequence.classic(l, 50));
        if (l != null && !ok) {
            note("cannot reset: " + path + " has no DTR/RTS lines; hold BOOT and tap RESET");
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        if (reader != null) {
            reader.join(2000);
        }
        SerialLink l = link;
        link = null;
        if (l != null) {
            l.close();
        }
    }
}
