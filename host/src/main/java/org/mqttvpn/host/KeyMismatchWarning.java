package org.mqttvpn.host;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.mqttvpn.host.codec.DropReason;

/**
 * The warning a user sees when the nodes' keys do not match: the first frame that fails for
 * that reason logs one line naming the topic and the likely cause, and then at most one line
 * a {@link #INTERVAL_NANOS minute}, saying how many such frames were dropped meanwhile. The
 * counters ({@code drop_auth_failed}, {@code drop_not_ip}) count every frame, as before.
 *
 * <p>Called on the thread that receives frames, and only for a dropped frame: a suppressed
 * warning costs a clock read, a compare and an increment, without allocating.
 */
public final class KeyMismatchWarning {
    public static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final boolean encrypts;
    private final LongSupplier nanoClock;
    private final Consumer<String> warn;
    private boolean warned;
    private long lastWarning;
    private long suppressed;

    /**
     * @param encrypts whether this node has a key
     * @param nanoClock {@link System#nanoTime}, or a test's clock
     * @param warn where a warning line goes (the daemon's log)
     */
    public KeyMismatchWarning(boolean encrypts, LongSupplier nanoClock, Consumer<String> warn) {
        this.encrypts = encrypts;
        this.nanoClock = nanoClock;
        this.warn = warn;
    }

    /**
     * A frame on {@code topic} was dropped for {@code reason}. Only a failed authentication
     * (this node has a key) or a frame that is no IP packet (this node has none, so an
     * encrypted frame looks like noise) points at the keys; other reasons are not warned of.
     */
    public void dropped(String topic, DropReason reason) {
        if (reason != (encrypts ? DropReason.AUTH_FAILED : DropReason.NOT_IP)) {
            return;
        }
        long now = nanoClock.getAsLong();
        if (warned && now - lastWarning < INTERVAL_NANOS) {
            suppressed++;
            return;
        }
        warn.accept(message(topic));
        warned = true;
        lastWarning = now;
        suppressed = 0;
    }

    private String message(String topic) {
        String cause = encrypts
                ? "frames on " + topic + " fail authentication (drop_auth_failed): the node sending them has a different"
                        + " key, or none (a node without -k/--key-file sends unencrypted frames); give every node the same key"
                : "frames on " + topic + " are not IP packets (drop_not_ip): the node sending them most likely encrypts"
                        + " with a key (-k/--key-file) and this node has none; give every node the same key, or none";
        return suppressed == 0 ? cause : cause + " (" + suppressed + " more such frames since the last warning)";
    }
}
