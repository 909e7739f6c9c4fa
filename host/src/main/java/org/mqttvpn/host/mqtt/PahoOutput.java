package org.mqttvpn.host.mqtt;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Paho's way to the socket when the tunnel's frames share it: Paho writes a packet in pieces
 * (header, then the payload in chunks), so its bytes are collected here and each packet goes
 * out whole, under the path's write lock, never between two of another thread's bytes.
 * Paho sends little (CONNECT, SUBSCRIBE, PINGREQ, DISCONNECT), so this copies freely.
 */
final class PahoOutput extends OutputStream {
    private final DirectPath path;
    private byte[] pending = new byte[256];
    private int count;

    PahoOutput(DirectPath path) {
        this.path = path;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        if (count + len > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, count + len));
        }
        System.arraycopy(b, off, pending, count, len);
        count += len;
        sendWholePackets();
    }

    private void sendWholePackets() throws IOException {
        int at = 0;
        while (true) {
            long header = MqttWire.decodeFixedHeader(pending, at, count);
            if (header == MqttWire.INCOMPLETE) {
                break;
            }
            long total = (long) MqttWire.headerLength(header) + MqttWire.remainingLength(header);
            if (at + total > count) {
                break;
            }
            path.writePacket(pending, at, (int) total);
            at += (int) total;
        }
        if (at > 0) {
            System.arraycopy(pending, at, pending, 0, count - at);
            count -= at;
        }
    }

    @Override
    public void flush() throws IOException {
        path.flush();
    }

    @Override
    public void close() throws IOException {
        path.stop();
    }
}
