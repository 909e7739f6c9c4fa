package org.mqttvpn.tools.vpn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's resident memory follows the classes it loads (toolkit bench: about 8 KiB each,
 * mapped from the class data sharing archive or built at run time). This runs the archive's
 * training run, which goes where {@code toolkit vpn} goes (command line, logging, a key, the
 * TUN binding, a broker session), in a JVM of its own and checks that what was taken off its
 * path stays off: each group here was loaded for nothing, and together they were ~2 MiB.
 */
class VpnClassFootprintTest {
    @TempDir
    Path dir;

    @Test
    void theDaemonsPathLoadsNoneOfWhatItDoesNotNeed() throws Exception {
        List<String> loaded = loadedClasses();
        assertThat(loaded).as("the training run really ran").contains("org.mqttvpn.host.mqtt.BrokerLink",
                "org.mqttvpn.host.tun.LibC", "org.mqttvpn.host.codec.ClassicCodec", "picocli.CommandLine");
        assertThat(loaded).as("picocli's java.sql and java.time converters (Main.withoutUnusedConverters)")
                .noneMatch(c -> c.startsWith("java.sql."))
                .doesNotContain("java.time.MonthDay", "java.time.YearMonth", "java.time.OffsetTime");
        // java.time.format itself cannot be checked here: on this class path the JDK verifies
        // Paho's signed jar and formats dates while doing so (toolkit.jar carries no signatures).
        assertThat(loaded).as("logback's status printer and its date formatting (LogbackProblems)")
                .doesNotContain("ch.qos.logback.core.util.StatusPrinter2");
        assertThat(loaded).as("JNA's ldconfig child process (NativeSearchPath)")
                .doesNotContain("java.lang.ProcessBuilder", "java.lang.ProcessImpl");
        assertThat(loaded).as("String.format in the client id (ClientIds)").doesNotContain("java.util.Formatter");
        assertThat(loaded).as("MessageDigest for the key (Key hashes with libsodium)")
                .doesNotContain("sun.security.provider.SHA5", "sun.security.provider.SHA5$SHA512");
    }

    private List<String> loadedClasses() throws IOException, InterruptedException {
        Path log = dir.resolve("classes.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(DaemonJvm.options());
        command.addAll(List.of("-Xshare:off", "-Xlog:class+load=info:file=" + log, "-cp",
                System.getProperty("java.class.path"), ClassDataTraining.class.getName()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.log").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the training run did not end within 60 s");
        }
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("out.log"))).isZero();
        List<String> classes = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            // [0.010s][info][class,load] java.lang.Object source: shared objects file
            int tag = line.indexOf("[class,load] ");
            if (tag >= 0) {
                String rest = line.substring(tag + 13);
                classes.add(rest.substring(0, rest.indexOf(' ') < 0 ? rest.length() : rest.indexOf(' ')));
            }
        }
        return classes;
    }
}
