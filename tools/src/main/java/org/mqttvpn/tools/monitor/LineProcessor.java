package org.mqttvpn.tools.monitor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * What the monitor does with bytes from the board, without a terminal: passes them through as
 * they come (prompts and partial lines show at once), puts a timestamp at the start of each line
 * when asked, prints decoded crash lines after the line that completes a crash report, and
 * copies all of it to the log file.
 */
public final class LineProcessor {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private static final int MAX_LINE = 4096;

    private final OutputStream screen;
    private final OutputStream log;
    private final CrashDecoder decoder;
    private final Clock clock;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private volatile boolean timestamps;
    private boolean atLineStart = true;

    /**
     * @param screen  the terminal (or anything)
     * @param log     a copy of everything shown, or null
     * @param decoder crash decoding, or null without --elf
     */
    public LineProcessor(OutputStream screen, OutputStream log, CrashDecoder decoder, Clock clock, boolean timestamps) {
        this.screen = screen;
        this.log = log;
        this.decoder = decoder;
        this.clock = clock;
        this.timestamps = timestamps;
    }

    public boolean timestamps() {
        return timestamps;
    }

    public void setTimestamps(boolean on) {
        timestamps = on;
    }

    /** Bytes read from the port. */
    public synchronized void accept(byte[] buf, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            byte b = buf[i];
            if (atLineStart && timestamps) {
                pending.writeBytes(stamp());
            }
            pending.write(b);
            atLineStart = b == '\n';
            if (decoder != null) {
                decode(b);
            }
        }
        emit();
    }

    /** Collects the line for the crash decoder; at its end, queues the decoded lines to show after it. */
    private void decode(byte b) {
        if (b == '\n') {
            String text = line.toString(StandardCharsets.ISO_8859_1);
            line.reset();
            for (String e : decoder.onLine(text)) {
                if (timestamps) {
                    pending.writeBytes(stamp());
                }
                pending.writeBytes(("--- " + e + "\n").getBytes(StandardCharsets.UTF_8));
            }
        } else if (b != '\r') {
            if (line.size() >= MAX_LINE) {
                line.reset(); // binary noise, not a line worth matching
            }
            line.write(b);
        }
    }

    /** A line of the monitor's own ("--- port reconnected"), on a line of its own. */
    public synchronized void note(String text) throws IOException {
        if (!atLineStart) {
            pending.write('\n');
            atLineStart = true;
        }
        pending.writeBytes(("--- " + text + "\n").getBytes(StandardCharsets.UTF_8));
        emit();
    }

    private void emit() throws IOException {
        try {
            pending.writeTo(screen);
            screen.flush();
            if (log != null) {
                pending.writeTo(log);
                log.flush();
            }
        } finally {
            pending.reset();
        }
    }

    private byte[] stamp() {
        return ("[" + LocalTime.now(clock.withZone(ZoneId.systemDefault())).format(STAMP) + "] ")
                .getBytes(StandardCharsets.US_ASCII);
    }
}
