package org.mqttvpn.host.mqtt;

import java.io.Closeable;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.Semaphore;
import javax.net.ssl.SSLException;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
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
 */
public final class BrokerLink implements Closeable {
    /** Receives every frame that arrives on a subscribed topic, on Paho's callback thread. */
    public interface Receiver {
        void onFrame(String topic, byte[] frame);
    }

    /** Publishes in flight at once; beyond it the sender waits, as a socket would. */
    static final int WINDOW = 256;
    private static final long OPERATION_TIMEOUT_MS = 15_000;
    private static final Logger log = LoggerFactory.getLogger("mqttvpn.broker");

    private final BrokerSettings settings;
    private final String[] topics;
    private final int[] qos;
    private final Receiver receiver;
    private final AtomicLong reconnects;
    private final MqttAsyncClient client;
    private final MqttConnectOptions options;
    private final Object stateLock = new Object();
    private volatile boolean connected;
    private volatile boolean closed;
    private volatile Window window = new Window();
    private Thread connector;

    public BrokerLink(BrokerSettings settings, List<String> topics, Receiver receiver, AtomicLong reconnects)
            throws IOException {
        this.settings = settings;
        this.topics = topics.toArray(new String[0]);
        this.qos = new int[this.topics.length]; // QoS 0 everywhere, as the original
        this.receiver = receiver;
        this.reconnects = reconnects;
        try {
            this.client = new MqttAsyncClient(settings.uri().pahoUri(), settings.clientId(), new MemoryPersistence());
        } catch (MqttException e) {
            throw new IOException("broker " + settings.uri() + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IOException("broker " + settings.uri() + " or client id '" + settings.clientId() + "': " + e.getMessage(), e);
        }
        this.options = connectOptions(settings);
        client.setCallback(new Callback());
    }

    /** Paho's connect options for these settings; shared with the benchmark's raw MQTT probe. */
    public static MqttConnectOptions connectOptions(BrokerSettings s) throws IOException {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setAutomaticReconnect(false); // ours: capped backoff and resubscription
        o.setKeepAliveInterval(s.keepaliveSeconds());
        o.setConnectionTimeout(10);
        o.setMaxInflight(WINDOW * 4);
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
     * Publishes one frame at QoS 0. Paho keeps {@code frame} until it is written, so the
     * caller must not reuse it. Returns false, and drops the frame, when the broker is not
     * connected.
     */
    public boolean publish(String topic, byte[] frame) {
        while (connected && !Thread.currentThread().isInterrupted()) {
            Window w = window;
            if (!w.acquire()) {
                continue; // window still full: check the connection again, then wait on
            }
            try {
                client.publish(topic, frame, 0, false, null, w);
                return true;
            } catch (MqttException | RuntimeException e) {
                w.release();
                return false;
            }
        }
        return false;
    }

    /** True when a publish would not wait: connected, and the in-flight window has room. */
    public boolean canPublishNow() {
        return connected && window.slots.availablePermits() > 0;
    }

    /**
     * Publishes only if that does not wait (see {@link #canPublishNow}); for threads that must
     * never block, such as Paho's own callback thread. Returns false, and drops the frame,
     * otherwise.
     */
    public boolean publishNow(String topic, byte[] frame) {
        Window w = window;
        if (!connected || !w.slots.tryAcquire()) {
            return false;
        }
        try {
            client.publish(topic, frame, 0, false, null, w);
            return true;
        } catch (MqttException | RuntimeException e) {
            w.release();
            return false;
        }
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
                window = new Window();
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
            try {
                receiver.onFrame(topic, message.getPayload());
            } catch (RuntimeException e) {
                // Paho would drop the connection if this escaped; one bad frame must not do that.
                log.error("dropping a frame on {}: {}", topic, e.toString());
            }
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // QoS 0: nothing to confirm
        }
    }

    /** The in-flight window of one connection: a publish takes a slot, its completion frees it. */
    private static final class Window implements IMqttActionListener {
        private final Semaphore slots = new Semaphore(WINDOW);

        boolean acquire() {
            try {
                return slots.tryAcquire(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        void release() {
            slots.release();
        }

        @Override
        public void onSuccess(IMqttToken token) {
            slots.release();
        }

        @Override
        public void onFailure(IMqttToken token, Throwable exception) {
            slots.release();
        }
    }
}
