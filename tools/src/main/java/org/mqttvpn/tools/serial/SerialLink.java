package org.mqttvpn.tools.serial;

import java.io.Closeable;
import java.io.IOException;

/**
 * An open serial port as the flasher and the monitor need it: bytes with a read deadline, the
 * baud rate, and the two modem lines that reset ESP boards.
 */
public interface SerialLink extends Closeable {
    /** The path the port was opened by, for messages. */
    String path();

    /** Writes {@code data[off, off + len)}, blocking until the bytes are handed to the driver. */
    void write(byte[] data, int off, int len) throws IOException;

    /** Writes all of {@code data}. */
    default void write(byte[] data) throws IOException {
        write(data, 0, data.length);
    }

    /**
     * Reads what is available into {@code buf}, waiting up to {@code timeoutMillis} for the first
     * byte (0: do not wait). Returns 0 when nothing came in time.
     *
     * @throws PortGoneException when the device disappeared (unplugged, re-enumerated)
     */
    int read(byte[] buf, int timeoutMillis) throws IOException;

    /** Switches the host side of the line; returns false when the driver refuses the rate. */
    boolean setBaudRate(int baud);

    int baudRate();

    /**
     * Sets DTR: {@code asserted} = true drives the pin low, which on ESP boards pulls the boot
     * strap (GPIO0) low. Returns false when the port has no modem lines (a pty, some adapters).
     */
    boolean setDtr(boolean asserted);

    /** Sets RTS: asserted pulls EN low (chip held in reset) on ESP boards. False when unsupported. */
    boolean setRts(boolean asserted);

    @Override
    void close();
}
