package org.mqttvpn.tools.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.mqttvpn.tools.lab.LabProcess;
import org.mqttvpn.tools.lab.Netns;

/**
 * Process start to first answered ping: the time from starting a daemon (its JVM, in its
 * namespace) until a ping from that namespace to a peer that is already up gets its first
 * reply. Pings go every 10 ms; while the daemon's interface does not exist yet, ping fails at
 * once and is started again 10 ms later.
 */
final class StartToPing {
    private static final long TIMEOUT_SECONDS = 30;

    /** Starts a daemon; the measurement's clock starts just before. */
    interface Start {
        LabProcess start() throws IOException, InterruptedException;
    }

    private StartToPing() {
    }

    /** Seconds from {@code start} to the first reply of {@code peer}; the started daemon is left running in {@code started}. */
    static double measure(Netns ns, String peer, Start start, LabProcess[] started) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        LabProcess daemon = start.start();
        started[0] = daemon;
        long deadline = t0 + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline) {
            if (!daemon.isAlive()) {
                throw new IOException(daemon.name() + " exited before the first ping was answered:\n" + daemon.log());
            }
            Process ping = new ProcessBuilder(ns.wrap("ping", "-n", "-i", "0.01", "-w", Long.toString(TIMEOUT_SECONDS), peer))
                    .redirectErrorStream(true).start();
            ping.getOutputStream().close();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(ping.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.contains(" bytes from ")) {
                        return (System.nanoTime() - t0) / 1e9;
                    }
                }
            } finally {
                ping.destroy();
                ping.waitFor(2, TimeUnit.SECONDS);
            }
            Thread.sleep(10); // ping ended without a reply: the interface is not there yet
        }
        throw new IOException("no ping to " + peer + " answered within " + TIMEOUT_SECONDS + " s of starting "
                + daemon.name() + ":\n" + daemon.log());
    }
}
