package org.mqttvpn.tools.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqttvpn.tools.lab.NetworkLab;
import org.mqttvpn.tools.sim.PtyPair;

/**
 * {@code toolkit monitor} as a separate process whose standard input is not a terminal (as in a
 * script or a service): it prints what the board sends, without any terminal library warning,
 * and SIGTERM ends it with 0.
 */
class MonitorWithoutTerminalTest {
    @Test
    void withStdinFromDevNullItPrintsTheBoardsOutputWithoutWarningsAndSigtermExitsZero(@TempDir Path dir)
            throws Exception {
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        try (PtyPair pty = PtyPair.start(dir)) {
            List<String> cmd = new ArrayList<>(NetworkLab.javaCommand());
            cmd.addAll(List.of("org.mqttvpn.tools.Main", "monitor", "--port", pty.host().toString()));
            Process p = new ProcessBuilder(cmd).redirectInput(new File("/dev/null"))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try {
                awaitText(out, "keys are not read", p);
                try (OutputStream board = new FileOutputStream(pty.device().toFile())) {
                    board.write("hello from the board\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                awaitText(out, "hello from the board", p);
                assertThat(p.isAlive()).as("still monitoring").isTrue();
                p.destroy(); // SIGTERM
                assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as(Files.readString(err)).isZero();
            } finally {
                p.destroyForcibly();
            }
            assertThat(Files.readString(err)).as("stderr").doesNotContain("WARNING").isEmpty();
            assertThat(Files.readString(out)).contains("monitor on " + pty.host(), "stopped");
        }
    }

    private static void awaitText(Path file, String text, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            String s = Files.readString(file);
            if (s.contains(text)) {
                return;
            }
            if (!p.isAlive()) {
                throw new AssertionError("monitor exited with " + p.exitValue() + " before printing '" + text + "':\n" + s);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no '" + text + "' in:\n" + Files.readString(file));
    }
}
