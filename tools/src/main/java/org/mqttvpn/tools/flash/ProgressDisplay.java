package org.mqttvpn.tools.flash;

import java.io.PrintStream;
import java.io.PrintWriter;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows a flash run: on a terminal, step lines and a progress bar per file with bytes/s and ETA;
 * otherwise (a pipe, a log, CI) nothing but warnings, so the caller's summary line stands alone.
 */
public final class ProgressDisplay implements FlashListener {
    private final boolean terminal;
    private final PrintWriter out;
    private final PrintWriter err;
    private final PrintStream barStream;
    private ProgressBar bar;

    /**
     * @param terminal  stdout is a terminal
     * @param out       step lines
     * @param err       warnings
     * @param barStream where the progress bar draws (the terminal)
     */
    public ProgressDisplay(boolean terminal, PrintWriter out, PrintWriter err, PrintStream barStream) {
        this.terminal = terminal;
        this.out = out;
        this.err = err;
        this.barStream = barStream;
    }

    @Override
    public void info(String message) {
        if (terminal) {
            out.println(message);
            out.flush();
        }
    }

    @Override
    public void warn(String message) {
        err.println("warning: " + message);
        err.flush();
    }

    @Override
    public void fileStarted(FlashImage image, long bytes, boolean compressed) {
        if (!terminal) {
            return;
        }
        bar = new ProgressBarBuilder()
                .setTaskName(image.label() + (compressed ? " (compressed)" : ""))
                .setInitialMax(bytes)
                .setUnit(" KiB", 1024)
                .showSpeed()
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(barStream))
                .build();
    }

    @Override
    public void progress(long done) {
        if (bar != null) {
            bar.stepTo(done);
        }
    }

    @Override
    public void fileFinished(FlashReport.FileResult result) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        if (terminal) {
            out.printf("Wrote %d bytes at 0x%x%s in %.1f s%s%n", result.length(), result.address(),
                    result.compressed() ? " (" + result.sentLength() + " compressed)" : "", result.millis() / 1000.0,
                    result.verified() ? ", MD5 verified" : "");
            out.flush();
        }
    }
}
