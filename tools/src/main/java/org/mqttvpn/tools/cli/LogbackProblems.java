package org.mqttvpn.tools.cli;

import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;
import java.io.PrintStream;

/**
 * Logback's own warnings and errors (an appender that cannot write, ...), one line each on
 * stderr as they happen. Registered by {@link LogSetup}; with a listener in place logback
 * skips its status printer after configuration, whose date formatting alone loads some fifty
 * java.time classes into every daemon (measured with {@code toolkit bench}).
 */
final class LogbackProblems implements StatusListener {
    private final PrintStream err;

    LogbackProblems(PrintStream err) {
        this.err = err;
    }

    @Override
    public void addStatusEvent(Status status) {
        if (status.getEffectiveLevel() < Status.WARN) {
            return;
        }
        StringBuilder line = new StringBuilder("logging: ")
                .append(status.getEffectiveLevel() >= Status.ERROR ? "error: " : "warning: ")
                .append(status.getMessage());
        Throwable cause = status.getThrowable();
        if (cause != null) {
            line.append(" (").append(cause).append(')');
        }
        err.println(line);
    }
}
