package org.mqttvpn.tools.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short command to completion and returns its output; fails loudly otherwise. */
public final class Shell {
    private Shell() {
    }

    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    public static Result run(long timeoutSeconds, List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        // Read while waiting, so a chatty command cannot block on a full pipe.
        byte[][] out = new byte[1][];
        Thread reader = new Thread(() -> {
            try {
                out[0] = p.getInputStream().readAllBytes();
            } catch (IOException e) {
                out[0] = new byte[0];
            }
        });
        reader.setDaemon(true);
        reader.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
            reader.join(1000);
            throw new IOException("timed out after " + timeoutSeconds + " s: " + String.join(" ", command));
        }
        reader.join(5000);
        return new Result(p.exitValue(), out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8));
    }

    /** Runs and requires exit status 0. */
    public static String check(long timeoutSeconds, List<String> command) throws IOException, InterruptedException {
        Result r = run(timeoutSeconds, command);
        if (!r.ok()) {
            throw new IOException("'" + String.join(" ", command) + "' exited with " + r.exitCode() + ": " + r.output().strip());
        }
        return r.output();
    }

    public static String check(List<String> command) throws IOException, InterruptedException {
        return check(30, command);
    }
}
