package org.mqttvpn.tools.serial;

import com.fazecast.jSerialComm.SerialPort;
import java.io.IOException;

/** {@link SerialLink} over jSerialComm. Opened by {@link PortOpener}, which turns failures into messages. */
final class JSerialCommLink implements SerialLink {
    /** jSerialComm returns after this long without data; read() loops up to the caller's deadline. */
    private static final int POLL_MILLIS = 20;
    private static final int WRITE_TIMEOUT_MILLIS = 10_000;

    private final SerialPort port;
    private final String path;

    JSerialCommLink(SerialPort port, String path) {
        this.port = port;
        this.path = path;
    }

    static void configure(SerialPort port, int baud) {
        port.setComPortParameters(baud, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        port.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING,
                POLL_MILLIS, WRITE_TIMEOUT_MILLIS);
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public void write(byte[] data, int off, int len) throws IOException {
        int end = off + len;
        while (off < end) {
            int n = port.writeBytes(data, end - off, off);
            if (n < 0) {
                throw gone();
            }
            if (n == 0) {
                throw new IOException("writing to " + path + " timed out after " + WRITE_TIMEOUT_MILLIS
                        + " ms (flow control stuck, or the adapter hung)");
            }
            off += n;
        }
    }

    @Override
    public int read(byte[] buf, int timeoutMillis) throws IOException {
        if (timeoutMillis <= 0) {
            int available = port.bytesAvailable();
            if (available < 0) {
                throw gone();
            }
            if (available == 0) {
                return 0;
            }
        }
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            int n = port.readBytes(buf, buf.length);
            if (n < 0) {
                throw gone();
            }
            if (n > 0) {
                return n;
            }
            if (System.nanoTime() >= deadline) {
                return 0;
            }
        }
    }

    private IOException gone() {
        return new PortGoneException(path);
    }

    @Override
    public boolean setBaudRate(int baud) {
        return port.setBaudRate(baud);
    }

    @Override
    public int baudRate() {
        return port.getBaudRate();
    }

    @Override
    public boolean setDtr(boolean asserted) {
        return asserted ? port.setDTR() : port.clearDTR();
    }

    @Override
    public boolean setRts(boolean asserted) {
        return asserted ? port.setRTS() : port.clearRTS();
    }

    @Override
    public void close() {
        port.closePort();
    }
}
