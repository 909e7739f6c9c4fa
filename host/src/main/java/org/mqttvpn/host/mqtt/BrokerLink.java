package org.mqttvpn.host.mqtt;

import java.io.Closeable;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's connection to the broker. It connects in the background and keeps
 * reconnecting, forever, with capped exponential backoff and jitter; after every connect it
 * subscribes to the node's topics again (sessions are clean). A vanished broker never ends
 * the process: publishing while disconnected drops the packet and says so.
 *
 * <p>One log line per state change: connected, lost, unreachable (with the cause, again only
 * when the cause changes), back.
 *
 * <p>Paho runs the session; frames bypass its queues and threads (see {@link DirectPath}):
 * {@link #send} and {@link #queue} write from the caller's thread, and frames arrive on the
 * thread that reads the socket.
 */
public final class BrokerLink implements Closeable {
    /**
     * Receives every frame that arrives, on the thread that read it from the socket (Paho's
     * receiver thread). {@code topic} is the index of the frame's topic in the list the link
     * was given, or -1 for any other topic.
     */
    public interface Receiver {
        /** A frame: {@code buf[off .. off + len)}, valid only during the call. */
        void onFrame(int topic, byte[] buf, int off, int len);

        /** A frame far too long to be one of the tunnel's; it was skipped, not read. */
        void onFrameTooLong(int topic, int len);

        /** The frames that arrived together have been delivered: the thread is about to read the socket again. */
        default void onBatchEnd() {
        }
    }

    private static final long OPERATION_TIMEOUT_MS = 15_000;
    private static final Logger log = LoggerFactory.getLogger("mqttvpn.broker");

    private final BrokerSettings settings;
    private final String[] topics;
    private final byte[][] topicBytes;
    private final int[] qos;
    private final Receiver receiver;
    private final AtomicLong reconnects;
    private final MqttAsyncClient client;
    private final MqttConnectOptions options;
    private final Object stateLock = new Object();
    private volatile boolean connected;
    private volatile boolean closed;
    /** The current connection's direct path (a new one for every connect). */
    private volatile DirectPath path;
    private Thread connector;

    public BrokerLink(BrokerSettings settings, List<String> topics, Receiver receiver, AtomicLong reconnects)
            throws IOException {
        this.settings = settings;
        this.topics = topics.toArray(new String[0]);
        this.qos = new int[this.topics.length]; // QoS 0 everywhere, as the original
        this.topicBytes = new byte[this.topics.length][];
        for (int i = 0; i < this.topics.length; i++) {
            topicBytes[i] = this.topics[i].getBytes(StandardCharsets.UTF_8);
        }
        this.receiver = receiver;
        this.reconnects = reconnects;
        try {
            this.client = new DirectMqttClient(settings.uri().pahoUri(), settings.clientId(), module -> {
                DirectPath p = new DirectPath(module, topicBytes, receiver);
                path = p;
                return p;
            });
        } catch (MqttException e) {
            throw new IOException("broker " + settings.uri() + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IOException("broker " + settings.uri() + " or client id '" + settings.clientId() + "': " + e.getMessage(), e);
        }
        this.options = connectOptions(settings);
        client.setCallback(new Callback());
    }

    /** Paho's connect options for these settings. */
    private static MqttConnectOptions connectOptions(BrokerSettings s) throws IOException {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setAutomaticReconnect(false); // ours: capped backoff and resubscription
        o.setKeepAliveInterval(s.keepaliveSeconds());
        o.setConnectionTimeout(10);
        if (s.username() != null) {
            o.setUserName(s.username());
        }
        if (s.password() != null) {
            o.setPassword(s.password().toCharArray());
        }
        if (s.uri().tls()) {
            if (s.tls().insecure()) {
                log.warn("TLS certificate verification is OFF (--insecure): anyone between this host and {}"
                        + " can read and change the tunnel's MQTT traffic", s.uri());
            }
            o.setSocketFactory(new NoDelaySslSocketFactory(s.tls().socketFactory()));
            o.setHttpsHostnameVerificationEnabled(!s.tls().insecure());
        } else {
            o.setSocketFactory(new NoDelaySocketFactory());
        }
        return o;
    }

    /** Starts connecting in the background; returns at once. */
    public void start() {
        connector = new Thread(this::connectLoop, "mqttvpn-broker");
        connector.setDaemon(true);
        connector.start();
    }

    public boolean isConnected() {
        return connected;
    }

    /**
     * Publishes one frame at QoS 0: {@code packet}'s payload of {@code payloadLength} bytes,
     * to {@code topic}, straight to the socket (see {@link DirectPath}). Returns false, and
     * drops the frame, when the broker is not connected. Blocks only while the socket's send
     * buffer is full. Callers on several threads need one packet each.
     */
    public boolean send(String topic, PublishPacket packet, int payloadLength) {
        DirectPath p = path;
        if (!connected || p == null) {
            return false;
        }
        packet.prepare(topic, payloadLength);
        return p.send(packet, payloadLength);
    }

    /**
     * Like {@link #send}, but the packet waits in {@code outbox} (copied there) until
     * {@link #flush}, or until the outbox is full. Returns false, and drops the frame, when the
     * broker is not connected.
     */
    public boolean queue(String topic, PublishPacket packet, int payloadLength, Outbox outbox) {
        DirectPath p = path;
        if (!connected || p == null) {
            return false;
        }
        packet.prepare(topic, payloadLength);
        if (outbox.add(packet, payloadLength)) {
            return true;
        }
        outbox.writeTo(p); // full: make room
        return outbox.add(packet, payloadLength) || p.send(packet, payloadLength);
    }

    /**
     * Writes what {@code outbox} holds; returns how many packets queued since the last flush
     * were lost because the connection was gone (they were counted as sent when queued).
     */
    public int flush(Outbox outbox) {
        outbox.writeTo(path);
        return outbox.takeLost();
    }

    private void connectLoop() {
        long delayMs = settings.reconnectMin().toMillis();
        long maxMs = settings.reconnectMax().toMillis();
        boolean everConnected = false;
        long downSince = System.nanoTime();
        int attempts = 0;
        String lastCause = null;
        while (!closed) {
            try {
                attempts++;
                client.connect(options).waitForCompletion(OPERATION_TIMEOUT_MS);
                subscribeAll();
                synchronized (stateLock) {
                    connected = true;
                    stateLock.notifyAll();
                }
                if (everConnected) {
                    log.info("broker {} is back: reconnected as {} after {} attempt(s), {} s down", settings.uri(),
                            settings.clientId(), attempts, (System.nanoTime() - downSince) / 1_000_000_000L);
                } else {
                    log.info("connected to broker {} as {}, subscribed to {}", settings.uri(), settings.clientId(),
                            String.join(", ", topics));
                }
                everConnected = true;
                attempts = 0;
                lastCause = null;
                delayMs = settings.reconnectMin().toMillis();
                synchronized (stateLock) {
                    while (connected && !closed) {
                        stateLock.wait();
                    }
                }
                downSince = System.nanoTime();
            } catch (MqttException e) {
                String cause = describe(e);
                if (!cause.equals(lastCause)) {
                    log.warn("broker {} unreachable: {}; retrying every {} s at most", settings.uri(), cause,
                            Math.max(1, maxMs / 1000));
                    lastCause = cause;
                } else {
                    log.debug("broker {} still unreachable (attempt {}): {}", settings.uri(), attempts, cause);
                }
                disconnectQuietly();
                sleep(delayMs + ThreadLocalRandom.current().nextLong(delayMs / 4 + 1));
                delayMs = Math.min(delayMs * 2, maxMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void subscribeAll() throws MqttException {
        if (topics.length == 0) {
            return; // a link that only publishes
        }
        IMqttToken token = client.subscribe(topics, qos);
        token.waitForCompletion(OPERATION_TIMEOUT_MS);
        int[] granted = token.getGrantedQos();
        for (int i = 0; granted != null && i < granted.length && i < topics.length; i++) {
            if (granted[i] == 0x80) {
                throw new MqttException(new IOException("the broker refused the subscription to " + topics[i]
                        + " (check its ACL for this user)"));
            }
        }
    }

    /** What a user can act on, from Paho's exception. */
    static String describe(MqttException e) {
        switch (e.getReasonCode()) {
            case MqttException.REASON_CODE_FAILED_AUTHENTICATION:
                return "bad user name or password (-u/-p)";
            case MqttException.REASON_CODE_NOT_AUTHORIZED:
                return "not authorized: the broker refused this user (-u/-p) or client id";
            case MqttException.REASON_CODE_INVALID_CLIENT_ID:
                return "the broker refused the client id (-n)";
            case MqttException.REASON_CODE_BROKER_UNAVAILABLE:
                return "the broker says it is unavailable";
            default:
                break;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return "TLS handshake failed (" + t.getMessage() + "): if the broker's certificate is"
                        + " self-signed or from a private CA, give that CA with --cafile (or, unsafely, --insecure)";
            }
            if (t instanceof ConnectException) {
                return "connection refused: is the broker running, and listening on that host and port (-b)?";
            }
            if (t instanceof UnknownHostException) {
                return "unknown host " + t.getMessage() + ": check the name in -b, or give an address";
            }
            if (t instanceof NoRouteToHostException) {
                return "no route to the broker's host: check the address in -b and this machine's network";
            }
            if (t instanceof SocketTimeoutException || e.getReasonCode() == MqttException.REASON_CODE_CLIENT_TIMEOUT) {
                return "no answer in time: check the address and port in -b, and any firewall between";
            }
            if (t.getCause() == null && t != e && t.getMessage() != null) {
                return t.getClass().getSimpleName() + ": " + t.getMessage();
            }
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    private void disconnectQuietly() {
        try {
            if (client.isConnected()) {
                client.disconnectForcibly(100, 500);
            }
        } catch (MqttException | RuntimeException ignored) {
            // best effort before the next attempt
        }
    }

    private void sleep(long ms) {
        synchronized (stateLock) {
            if (closed) {
                return;
            }
            try {
                stateLock.wait(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Unsubscribes, disconnects and frees the client; safe to call twice. */
    @Override
    public void close() {
        synchronized (stateLock) {
            if (closed) {
                return;
            }
            closed = true;
            stateLock.notifyAll();
        }
        boolean wasConnected = connected;
        connected = false;
        try {
            if (wasConnected && client.isConnected()) {
                client.unsubscribe(topics).waitForCompletion(2000);
                client.disconnect(1000).waitForCompletion(2000);
            }
        } catch (MqttException | RuntimeException e) {
            log.debug("clean disconnect failed: {}", e.toString());
            disconnectQuietly();
        }
        if (connector != null) {
            connector.interrupt();
            try {
                connector.join(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            client.close(true);
        } catch (MqttException | RuntimeException ignored) {
            // already released
        }
    }

    private final class Callback implements MqttCallback {
        @Override
        public void connectionLost(Throwable cause) {
            synchronized (stateLock) {
                if (closed) {
                    return;
                }
                connected = false;
                stateLock.notifyAll();
            }
            reconnects.incrementAndGet();
            String why = cause == null ? "closed" : cause.getCause() != null ? cause.getCause().toString() : cause.toString();
            log.warn("broker {} connection lost ({}); reconnecting", settings.uri(), why);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            // Only what the direct path passes on reaches here: a PUBLISH with QoS above 0.
            int index = -1;
            for (int i = 0; i < topics.length; i++) {
                if (topics[i].equals(topic)) {
                    index = i;
                }
            }
            byte[] payload = message.getPayload();
            try {
                receiver.onFrame(index, payload, 0, payload.length);
            } catch (RuntimeException e) {
                // Paho would drop the connection if this escaped; one bad frame must not do that.
                log.error("dropping a frame on {}: {}", topic, e.toString());
            } finally {
                receiver.onBatchEnd(); // a batch of one: the receiver may hold a lock until it ends
            }
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // QoS 0: nothing to confirm
        }
    }
}
