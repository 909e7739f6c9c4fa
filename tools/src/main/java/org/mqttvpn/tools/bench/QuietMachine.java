package org.mqttvpn.tools.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Waits, before a measurement, until the machine's CPUs are mostly idle, so that figures from
 * a shared machine (where TCP swung from 144 to 454 Mbit/s between runs) are taken in a quiet
 * moment; and says so when the wait ran out. Reads the CPU time of the whole machine from
 * /proc/stat over short windows: the lab's own processes are idle between measurements.
 */
final class QuietMachine {
    /** Share of all CPUs' time in use (others' work) below which the machine counts as quiet. */
    static final double QUIET_BELOW = 0.25;
    private static final long WINDOW_MS = 500;

    private final long maxWaitMs;

    QuietMachine(long maxWaitMs) {
        this.maxWaitMs = maxWaitMs;
    }

    /**
     * Waits until one window is quiet, at most the time given at construction. Returns null
     * when it was, or a note for the table ("machine busy: 67 % of CPU time in use, load 2.41")
     * when it was not.
     */
    String await() throws InterruptedException {
        long deadline = System.nanoTime() + maxWaitMs * 1_000_000;
        double busy;
        do {
            busy = busyShare(WINDOW_MS);
            if (busy < QUIET_BELOW) {
                return null;
            }
        } while (System.nanoTime() < deadline);
        return String.format("machine busy: %.0f %% of CPU time in use after waiting %d s, load %s", busy * 100,
                maxWaitMs / 1000, loadAverage());
    }

    /** Share (0..1) of all CPUs' time spent not idle over the next {@code ms}. */
    static double busyShare(long ms) throws InterruptedException {
        long[] before = cpuTimes();
        Thread.sleep(ms);
        long[] after = cpuTimes();
        long total = after[0] - before[0];
        long idle = after[1] - before[1];
        return total <= 0 ? 0 : 1.0 - (double) idle / total;
    }

    /** {total, idle + iowait} jiffies of the "cpu" line of /proc/stat. */
    static long[] cpuTimes() {
        try {
            return parseCpuLine(Files.readAllLines(Path.of("/proc/stat")).get(0));
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    static long[] parseCpuLine(String line) {
        String[] f = line.trim().split("\\s+");
        if (!f[0].equals("cpu")) {
            throw new IllegalArgumentException("not the cpu line of /proc/stat: " + line);
        }
        long total = 0;
        // user nice system idle iowait irq softirq steal; guest time is already in user and nice
        for (int i = 1; i < Math.min(f.length, 9); i++) {
            total += Long.parseLong(f[i]);
        }
        return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}
