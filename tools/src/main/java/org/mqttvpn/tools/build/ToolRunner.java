package org.mqttvpn.tools.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mqttvpn.tools.cli.ExitCode;
import org.mqttvpn.tools.cli.ToolkitException;

/**
 * Runs an external build tool with its output streamed through as it comes, and turns a
 * non-zero exit into a {@link ToolkitException} naming the tool, the status and the command line.
 */
public final class ToolRunner {
    private final Map<String, String> env;
    private final PrintStream out;

    /**
     * @param env the child's whole environment (PATH decides which tool runs: tests put fakes first)
     * @param out where the tool's stdout and stderr go, merged
     */
    public ToolRunner(Map<String, String> env, PrintStream out) {
        this.env = env;
        this.out = out;
    }

    public static ToolRunner inheriting() {
        return new ToolRunner(System.getenv(), System.out);
    }

    public Map<String, String> env() {
        return env;
    }

    public ToolLocator locator() {
        return new ToolLocator(env);
    }

    /** Runs {@code executable args...}; returns normally only on exit status 0. */
    public void run(String toolName, Path executable, List<String> args) throws InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            if (!Files.isExecutable(executable)) {
                throw new ToolkitException(ExitCode.PERMISSION, executable + " is not executable: chmod +x " + executable);
            }
            throw new ToolkitException(ExitCode.UNAVAILABLE, "cannot start " + toolName + " (" + executable + "): "
                    + e.getMessage() + ". Check that it runs from a shell (a script's interpreter may be missing).");
        }
        try (InputStream in = p.getInputStream()) {
            copy(in, out);
        } catch (IOException e) {
            // the child closed its output early; its exit status still says how it went
        }
        int status = p.waitFor();
        out.flush();
        if (status != 0) {
            throw new ToolkitException(ExitCode.TOOL_FAILED, toolName + " failed with exit status " + status
                    + " (its output is above). Command: " + commandLine(command));
        }
    }

    private static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
            out.flush();
        }
    }

    /** A path as build tools get it: absolute and normalized (they resolve relative paths each their own way). */
    static String abs(Path p) {
        return p.toAbsolutePath().normalize().toString();
    }

    /** A shell-readable rendering of a command, single-quoting words with special characters. */
    public static String commandLine(List<String> command) {
        StringBuilder s = new StringBuilder();
        for (String w : command) {
            if (s.length() > 0) {
                s.append(' ');
            }
            s.append(w.matches("[A-Za-z0-9_./:=@%+,-]+") ? w : "'" + w.replace("'", "'\\''") + "'");
        }
        return s.toString();
    }
}
