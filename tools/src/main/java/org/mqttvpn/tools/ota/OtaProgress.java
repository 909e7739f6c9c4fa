package org.mqttvpn.tools.ota;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows an upload as it goes: what the device runs (mqttvpn receivers say), then the transfer,
 * on a terminal as a progress bar with the rate and the time left, otherwise (a pipe, a log,
 * CI) as a plain line every {@code intervalNanos}, so that a log shows that it moves without
 * filling up.
 */
final class OtaProgress implements EspotaUploader.Listener {
    private final boolean terminal;
    private final PrintWriter out;
    private final PrintStream barStream;
    private final long intervalNanos;
    private ProgressBar bar;
    private long size;
    private long start;
    private long lastLine;

    /**
     * @param terminal  stdout is a terminal
     * @param out       the plain lines
     * @param barStream where the bar draws (the terminal)
     */
    OtaProgress(boolean terminal, PrintWriter out, PrintStream barStream, long intervalNanos) {
        this.terminal = terminal;
        this.out = out;
        this.barStream = barStream;
        this.intervalNanos = intervalNanos;
    }

    @Override
    public void authenticated(boolean mqttvpn, DeviceVersion before) {
        out.println("device before: " + (!mqttvpn ? "does not report versions (not an mqttvpn receiver)"
                : before == null ? "unknown (no answer to the version query)" : before.describe()));
        out.flush();
    }

    @Override
    public void transferStarted(long size) {
        this.size = size;
        start = System.nanoTime();
        lastLine = start;
        if (terminal) {
            bar = new ProgressBarBuilder()
                    .setTaskName("upload")
                    .setInitialMax(size)
                    .setUnit(" KB", 1024)
                    .showSpeed()
                    .setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(barStream))
                    .build();
        }
    }

    @Override
    public void sent(long bytes) {
        if (bar != null) {
            bar.stepTo(bytes);
            return;
        }
        long now = System.nanoTime();
        if (now - lastLine >= intervalNanos && bytes < size) {
            lastLine = now;
            double seconds = (now - start) / 1e9;
            out.println(String.format(Locale.ROOT, "upload: %d of %d bytes (%d %%), %.1f KB/s", bytes, size,
                    bytes * 100 / Math.max(size, 1), bytes / 1024.0 / Math.max(seconds, 1e-9)));
            out.flush();
        }
    }

    @Override
    public void transferEnded() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
