package org.mqttvpn.tools.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The largest resident set (VmRSS of /proc/PID/status) of a process over a run, sampled
 * every {@link #PERIOD_MS} ms on a thread of its own.
 */
final class RssSampler implements AutoCloseable {
    private static final long PERIOD_MS = 100;

    private final long pid;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long maxKiB;

    /** Samples {@code pid} (a lab process: {@code ip netns exec} execs its command, so this is the JVM). */
    RssSampler(long pid) {
        this.pid = pid;
        this.thread = new Thread(this::sample, "rss-sampler-" + this.pid);
        thread.setDaemon(true);
        thread.start();
    }

    private void sample() {
        while (running) {
            maxKiB = Math.max(maxKiB, rssKiB(pid));
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops sampling; returns the largest VmRSS seen, in MiB. */
    double stopMiB() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join();
        maxKiB = Math.max(maxKiB, rssKiB(pid));
        return maxKiB / 1024.0;
    }

    @Override
    public void close() throws InterruptedException {
        stopMiB();
    }

    static long rssKiB(long pid) {
        try {
            return parseVmRss(Files.readString(Path.of("/proc/" + pid + "/status")));
        } catch (IOException e) {
            return 0; // gone
        }
    }

    /** The VmRSS of a /proc/PID/status text, in KiB (0 if it has none: a zombie). */
    static long parseVmRss(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
            }
        }
        return 0;
    }
}
