package org.mqttvpn.tools.cli;

import java.util.concurrent.atomic.AtomicBoolean;
import org.jline.utils.Signals;

/**
 * SIGTERM and SIGINT as a request to stop, for commands that run until they are stopped
 * ({@code vpn}, {@code sim}): the command finishes its cleanup, its {@code call()} returns 0
 * and the process exits 0, as documented. So {@code systemctl stop} and Ctrl-C leave a stopped
 * service, not a failed one.
 *
 * <p>Why the signal handler is replaced, rather than cleaning up in a shutdown hook: the JVM
 * answers SIGTERM by {@code exit(143)} and SIGINT by {@code exit(130)}, and shutdown hooks run
 * inside that exit, so the status stays 143 whatever they do. A hook that ends with
 * {@code Runtime.halt(0)} would report success for every other way the JVM ends too (a failure
 * exiting 1 while the hook runs) and cut short the hooks that run beside it. With the JVM's
 * handler replaced, the stop happens on the command's own path and {@code main} exits with the
 * command's status. The handler is installed through JLine's {@link Signals} (already here for
 * the terminal), which reaches {@code sun.misc.Signal} by reflection: that class is in the
 * {@code jdk.unsupported} module, kept until a supported replacement exists (JEP 260), and a
 * direct reference would warn at every compile.
 *
 * <p>A second signal while the first stop is under way ends the process at once with
 * 128 + the signal's number, after {@code force}: what a user pressing Ctrl-C twice expects
 * when a stop hangs. Where no handler can be installed (a JVM started with {@code -Xrs}), the
 * JVM's own handling stays: the command's shutdown hook still cleans up, and the exit status
 * is 143 or 130 (the generated systemd unit lists 143 as a success for that case).
 */
public final class StopSignals implements AutoCloseable {
    private static final int SIGINT = 2;
    private static final int SIGTERM = 15;

    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Runnable stop;
    private final Runnable force;
    private final Object previousInt;
    private final Object previousTerm;

    private StopSignals(Runnable stop, Runnable force) {
        this.stop = stop;
        this.force = force;
        this.previousInt = Signals.register("INT", () -> on(SIGINT));
        this.previousTerm = Signals.register("TERM", () -> on(SIGTERM));
    }

    /**
     * Handles SIGINT and SIGTERM until {@link #close}: the first runs {@code stop} (on a thread of
     * the JVM's signal dispatch, so it may block), a second one {@code force} and then halts.
     */
    public static StopSignals install(Runnable stop, Runnable force) {
        return new StopSignals(stop, force);
    }

    /** Whether a stop was requested by a signal. */
    public boolean stopRequested() {
        return stopping.get();
    }

    private void on(int signal) {
        if (stopping.compareAndSet(false, true)) {
            stop.run();
            return;
        }
        try {
            force.run();
        } finally {
            Runtime.getRuntime().halt(128 + signal);
        }
    }

    /** Gives the signals back to the JVM's own handling. */
    @Override
    public void close() {
        if (previousInt != null) {
            Signals.unregister("INT", previousInt);
        }
        if (previousTerm != null) {
            Signals.unregister("TERM", previousTerm);
        }
    }
}
