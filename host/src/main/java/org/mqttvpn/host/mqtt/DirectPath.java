package org.mqttvpn.host.mqtt;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.internal.NetworkModule;

/**
 * One connection to the broker, shared by Paho and the tunnel. Paho keeps what it is good at:
 * connecting (TCP or TLS, through its own network module, which this wraps), CONNECT,
 * SUBSCRIBE, keepalive, DISCONNECT. The tunnel's frames take the short way: a publishing
 * thread writes its PUBLISH straight to the socket ({@link #send}), and Paho's receiver
 * thread hands each arriving frame to the daemon ({@link InboundSplitter}).
 *
 * <p>Why: Paho sends from its own thread and delivers on another one, and each hand-off
 * costs a thread wake-up per packet, which on an idle machine is most of the tunnel's
 * latency; it also allocates several objects per message.
 */
final class DirectPath implements NetworkModule {
    private final NetworkModule socket;
    private final byte[][] topics;
    private final BrokerLink.Receiver receiver;
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile OutputStream out;
    private InputStream in;
    private OutputStream pahoOut;

    DirectPath(NetworkModule socket, byte[][] topics, BrokerLink.Receiver receiver) {
        this.socket = socket;
        this.topics = topics;
        this.receiver = receiver;
    }

    @Override
    public void start() throws IOException, MqttException {
        socket.start();
        // The topics matched per connection: the broker (and what it does to topics) may differ after a reconnect.
        in = new InboundSplitter(socket.getInputStream(), new ReadingTopics(topics, socket.getServerURI()), receiver);
        out = socket.getOutputStream();
        pahoOut = new PahoOutput(this);
    }

    @Override
    public InputStream getInputStream() {
        return in;
    }

    @Override
    public OutputStream getOutputStream() {
        return pahoOut;
    }

    @Override
    public void stop() throws IOException {
        socket.stop();
    }

    @Override
    public String getServerURI() {
        return socket.getServerURI();
    }

    /**
     * Writes one prepared PUBLISH; false if the connection is gone (Paho's receiver notices
     * it too and reports the loss). Blocks while the socket's send buffer is full.
     */
    boolean send(PublishPacket packet, int payloadLength) {
        int from = packet.start();
        return write(packet.buffer(), from, packet.payloadOffset() + payloadLength - from);
    }

    /** Writes whole PUBLISH packets; false if the connection is gone. */
    boolean write(byte[] b, int off, int len) {
        OutputStream o = out;
        if (o == null) {
            return false;
        }
        writeLock.lock();
        try {
            o.write(b, off, len);
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            writeLock.unlock();
        }
    }

    /** One whole packet of Paho's. */
    void writePacket(byte[] b, int off, int len) throws IOException {
        writeLock.lock();
        try {
            out.write(b, off, len);
        } finally {
            writeLock.unlock();
        }
    }

    void flush() throws IOException {
        writeLock.lock();
        try {
            out.flush();
        } finally {
            writeLock.unlock();
        }
    }
}
