package org.mqttvpn.tools.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A long-running process in a lab namespace, its output captured in a log file. */
public final class LabProcess {
    private final String name;
    private final Process process;
    private final Path log;

    LabProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    public String name() {
        return name;
    }

    public Process process() {
        return process;
    }

    public Path logFile() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** Waits until the log matches {@code regex}; returns the match. Fails if the process dies first. */
    public Matcher awaitLog(String regex, long timeoutMs) throws IOException, InterruptedException {
        Pattern p = Pattern.compile(regex, Pattern.MULTILINE);
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            Matcher m = p.matcher(log());
            if (m.find()) {
                return m;
            }
            if (!process.isAlive()) {
                throw new IOException(name + " exited with " + process.exitValue() + " before logging /" + regex + "/:\n" + log());
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IOException(name + " did not log /" + regex + "/ within " + timeoutMs + " ms:\n" + log());
            }
            Thread.sleep(50);
        }
    }

    /** SIGTERM, then waits; SIGKILL if it does not end. Returns the exit status. */
    public int stop(long timeoutMs) throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
        return process.exitValue();
    }

    /** Sends a signal by name (INT, TERM, ...) with kill(1); returns at once. */
    public void signal(String name) throws IOException, InterruptedException {
        Shell.check(List.of("kill", "-" + name, Long.toString(process.pid())));
    }

    /** Sends SIGKILL and waits. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
    }
}
