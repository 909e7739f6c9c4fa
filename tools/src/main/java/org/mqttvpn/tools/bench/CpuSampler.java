package org.mqttvpn.tools.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time of a process from /proc/PID/stat, as a percentage of one core over an interval. */
final class CpuSampler {
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

    private final long pid;
    private long ticks;
    private long nanos;

    CpuSampler(long pid) {
        this.pid = pid;
    }

    void start() {
        ticks = ticks(pid);
        nanos = System.nanoTime();
    }

    /** Percent of one core used since {@link #start}. */
    double percent() {
        double seconds = (System.nanoTime() - nanos) / 1e9;
        return (ticks(pid) - ticks) / TICKS_PER_SECOND / seconds * 100.0;
    }

    static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // The command name may contain spaces: fields start after the closing parenthesis.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
