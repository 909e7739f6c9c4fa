package org.mqttvpn.tools.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code toolkit broker} started under {@code prlimit} with a low soft open-file limit: it raises
 * its own soft limit to the hard one, says so with the room for clients that leaves, and warns
 * when that is little. HotSpot would raise the limit by itself (-XX:+MaxFDLimit), so the broker
 * runs with -XX:-MaxFDLimit here: what is raised, the broker raised.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class BrokerOpenFileLimitTest {
    private static final Pattern START = Pattern.compile("MQTT broker listening on 127\\.0\\.0\\.1:\\d+; (open-file limit .*)");
    @TempDir
    Path dir;

    @Test
    void theBrokerRaisesItsSoftOpenFileLimitToTheHardOneAndSaysHowManyClientsThatAllows() throws Exception {
        Started b = start("256:4096");
        try {
            assertThat(b.startLine).matches("open-file limit 4096 \\(raised from 256\\): room for about [\\d,]+ clients");
            assertThat(clients(b.startLine)).as("clients: the limit less the broker's own files").isBetween(3800L, 4080L);
            assertThat(softLimitOf(b.process)).as("the broker process's soft limit, read by prlimit").isEqualTo(4096);
            assertThat(b.log()).doesNotContain("WARN");
        } finally {
            b.stop();
        }
    }

    @Test
    void aLowHardLimitIsReportedWithAWarningSayingHowToRaiseIt() throws Exception {
        Started b = start("300:300");
        try {
            assertThat(b.startLine).matches("open-file limit 300: room for about \\d+ clients");
            assertThat(clients(b.startLine)).isBetween(100L, 284L);
            assertThat(b.log()).contains("WARN").contains("lets at most about ").contains("LimitNOFILE").contains("ulimit -Hn");
        } finally {
            b.stop();
        }
    }

    private record Started(Process process, Path logFile, String startLine) {
        String log() throws IOException {
            return Files.readString(logFile, StandardCharsets.UTF_8);
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private Started start(String nofile) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of("prlimit", "--nofile=" + nofile, java, "-XX:-MaxFDLimit", "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), "org.mqttvpn.tools.Main",
                "broker", "--bind", "127.0.0.1", "--port", Integer.toString(port)));
        Path log = dir.resolve("broker-" + nofile.replace(':', '-') + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            Matcher m = START.matcher(Files.readString(log, StandardCharsets.UTF_8));
            if (m.find()) {
                Thread.sleep(200); // the warning follows the start line
                return new Started(p, log, m.group(1).trim());
            }
            if (!p.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        p.destroyForcibly();
        throw new AssertionError("no start line from the broker:\n" + Files.readString(log, StandardCharsets.UTF_8));
    }

    private static long clients(String startLine) {
        Matcher m = Pattern.compile("room for about ([\\d,]+) clients").matcher(startLine);
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1).replace(",", ""));
    }

    private static long softLimitOf(Process p) throws Exception {
        Process q = new ProcessBuilder("prlimit", "--pid", Long.toString(p.pid()), "--nofile", "--output=SOFT", "--noheadings")
                .redirectErrorStream(true).start();
        String out = new String(q.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        q.waitFor();
        return Long.parseLong(out);
    }
}
