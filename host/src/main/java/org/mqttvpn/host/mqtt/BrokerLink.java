package org.mqttvpn.host.mqtt;

import java.io.Closeable;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
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
 * The daemon's connection to its brokers. It connects in the background and keeps
 * reconnecting, forever; after every connect it subscribes to the node's topics again
 * (sessions are clean, so the subscriptions follow the connection to whichever broker). A
 * vanished broker never ends the process: publishing while disconnected drops the packet and
 * says so.
 *
 * <p>Failover, with several brokers (see {@link BrokerRotation}): a failed attempt or a lost
 * connection moves straight on to the next broker; when every broker of a round has failed,
 * the link waits, with capped exponential backoff and jitter, before the next round. With a
 * return interval, while on another broker than the first, the link checks every interval
 * whether the first answers (a connection of its own, see {@link ClientIds#probe}) and then
 * moves back to it.
 *
 * <p>One log line per state change, naming the broker: connected, lost, unreachable (with the
 * cause, again only when the cause changes), back, moved to another broker, moved home.
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
    /** One per broker (each names its broker, and TLS or not needs its own socket factory). */
    private final MqttConnectOptions[] options;
    /** Which broker to try; used by the connector thread only. */
    private final BrokerRotation rotation;
    private final Object stateLock = new Object();
    private volatile boolean connected;
    private volatile boolean closed;
    /** The broker of the current (or last) connection, for the loss message. */
    private volatile BrokerUri currentBroker;
    /** The current connection's direct path (a new one for every connect). */
    private volatile DirectPath path;
    private Thread connector;

    public BrokerLink(BrokerSettings settings, List<String> topics, Receiver receiver, AtomicLong reconnects)
            throws IOException {
        this(settings, topics, receiver, reconnects, ThreadLocalRandom.current());
    }

    /** @param random shuffles the brokers when the order is random */
    BrokerLink(BrokerSettings settings, List<String> topics, Receiver receiver, AtomicLong reconnects,
               RandomGenerator random) throws IOException {
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
        this.options = new MqttConnectOptions[settings.brokers().size()];
        for (int i = 0; i < options.length; i++) {
            options[i] = connectOptions(settings, settings.brokers().get(i));
        }
        if (settings.anyTls() && settings.tls().insecure()) {
            log.warn("TLS certificate verification is OFF (--insecure): anyone between this host and its TLS broker(s)"
                    + " can read and change the tunnel's MQTT traffic");
        }
        this.rotation = new BrokerRotation(options.length, settings.order(), random);
        client.setCallback(new Callback());
    }

    /** Paho's connect options for one of the brokers (Paho connects to the URI they name). */
    private static MqttConnectOptions connectOptions(BrokerSettings s, BrokerUri broker) throws IOException {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setServerURIs(new String[] {broker.pahoUri()});
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
        if (broker.tls()) {
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
        int count = options.length;
        String[] lastCause = new String[count];
        BrokerUri last = null; // the broker of the last connection
        long downSince = System.nanoTime();
        int attempts = 0;
        while (!closed) {
            int index = rotation.current();
            BrokerUri broker = settings.brokers().get(index);
            try {
                attempts++;
                currentBroker = broker;
                client.connect(options[index]).waitForCompletion(OPERATION_TIMEOUT_MS);
                subscribeAll();
                synchronized (stateLock) {
                    connected = true;
                    stateLock.notifyAll();
                }
                logConnected(index, last, attempts, (System.nanoTime() - downSince) / 1_000_000_000L);
                last = broker;
                attempts = 0;
                Arrays.fill(lastCause, null);
                delayMs = settings.reconnectMin().toMillis();
                rotation.connected();
                boolean movingHome = stayConnected(index);
                downSince = System.nanoTime();
                if (movingHome) {
                    rotation.goHome();
                } else {
                    rotation.lost();
                }
            } catch (MqttException e) {
                String cause = describe(e);
                disconnectQuietly();
                boolean roundOver = rotation.failed();
                if (!cause.equals(lastCause[index])) {
                    if (count == 1) {
                        log.warn("broker {} unreachable: {}; retrying every {} s at most", broker, cause,
                                Math.max(1, maxMs / 1000));
                    } else {
                        log.warn("broker {} unreachable: {}; trying {}{}", broker, cause,
                                settings.brokers().get(rotation.current()),
                                roundOver ? " (every broker failed: rounds every " + Math.max(1, maxMs / 1000)
                                        + " s at most)" : "");
                    }
                    lastCause[index] = cause;
                } else {
                    log.debug("broker {} still unreachable (attempt {}): {}", broker, attempts, cause);
                }
                if (roundOver) {
                    sleep(delayMs + ThreadLocalRandom.current().nextLong(delayMs / 4 + 1));
                    delayMs = Math.min(delayMs * 2, maxMs);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void logConnected(int index, BrokerUri last, int attempts, long secondsDown) {
        BrokerUri broker = settings.brokers().get(index);
        String which = options.length == 1 ? "" : " (" + (index + 1) + " of "
                + options.length + ")";
        if (last == null) {
            log.info("connected to broker {}{} as {}, subscribed to {}", broker, which, settings.clientId(),
                    String.join(", ", topics));
        } else if (last.equals(broker)) {
            log.info("broker {} is back: reconnected as {} after {} attempt(s), {} s down", broker,
                    settings.clientId(), attempts, secondsDown);
        } else {
            log.info("now on broker {}{} (was {}): connected as {} after {} attempt(s), {} s down, subscribed again",
                    broker, which, last, settings.clientId(), attempts, secondsDown);
        }
    }

    /**
     * Waits while connected to broker {@code index}. Returns false when the connection was
     * lost (or the link closed); true when the link left it on purpose to go back to the home
     * broker, which answered again (only with a return interval, only away from home). The
     * check of the home broker runs beside the wait ({@link HomeProbe}), so a loss meanwhile is
     * acted on at once.
     */
    private boolean stayConnected(int index) throws InterruptedException {
        Duration every = settings.returnInterval();
        if (every == null || index == 0) {
            synchronized (stateLock) {
                while (connected && !closed) {
                    stateLock.wait();
                }
            }
            return false;
        }
        BrokerUri home = settings.brokers().get(0);
        long nextCheck = System.nanoTime() + every.toNanos();
        HomeProbe probe = null;
        try {
            synchronized (stateLock) {
                while (connected && !closed) {
                    if (probe != null && probe.answered()) {
                        connected = false; // sends stop here: from now on they count as dropped
                        break;
                    }
                    if (probe != null && !probe.pending()) {
                        log.debug("home broker {} does not answer yet: {}", home, probe.failure());
                        probe.close();
                        probe = null;
                        nextCheck = System.nanoTime() + every.toNanos();
                    }
                    long leftMs = (nextCheck - System.nanoTime()) / 1_000_000;
                    if (probe == null && leftMs <= 0) {
                        probe = new HomeProbe(home, settings.clientId(), options[0], stateLock);
                        continue;
                    }
                    stateLock.wait(probe != null ? 0 : Math.max(1, leftMs));
                }
                if (closed || probe == null || !probe.answered()) {
                    return false;
                }
            }
            log.info("home broker {} answers again: moving back from {}", home, settings.brokers().get(index));
            leaveQuietly();
            return true;
        } finally {
            if (probe != null) {
                probe.close();
            }
        }
    }

    /** Leaves the current broker to go elsewhere: unsubscribing is not needed (clean session). */
    private void leaveQuietly() {
        try {
            client.disconnect(1000).waitForCompletion(2000);
        } catch (MqttException | RuntimeException e) {
            log.debug("clean disconnect failed: {}", e.toString());
            disconnectQuietly();
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
            log.warn("broker {} connection lost ({}); {}", currentBroker, why,
                    options.length == 1 ? "reconnecting" : "trying the next broker");
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
