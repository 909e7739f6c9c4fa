package org.mqttvpn.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No secret of the full inventory reaches a command line gen writes, where {@code ps} would
 * show it to every user: every script is run with a stand-in toolkit that records the
 * arguments it gets, and every unit's ExecStart= is read (it must not name a variable either:
 * the unit's EnvironmentFile holds secrets). The secrets go by file instead.
 */
class NoSecretOnACommandLineTest {
    @TempDir
    Path tmp;

    @Test
    void noSecretOfTheFullInventoryIsOnAnyGeneratedCommandLine() throws Exception {
        Workspace w = Workspace.of(tmp, "full");
        w.gen();
        List<String> secrets = new ArrayList<>(Workspace.ENV.values());
        secrets.add(firstLine(w.project().resolve("home.key")));
        secrets.add(firstLine(w.project().resolve("web-ota.pw")));

        List<Path> scripts = files(w.out(), ".sh");
        List<Path> units = files(w.out(), ".service");
        assertThat(scripts).contains(w.out().resolve("sim-1/run.sh"));
        assertThat(units).contains(w.out().resolve("laptop/mqttvpn-laptop.service"));
        for (Path script : scripts) {
            List<String> args = run(script);
            assertThat(args).as("%s ran the toolkit", script).first().isEqualTo("sim");
            for (String secret : secrets) {
                assertThat(args).as(script.toString()).noneMatch(a -> a.contains(secret));
            }
            // the broker password reaches the device, from a file
            int i = args.indexOf("--password-file");
            assertThat(i).as("%s gives the broker password by file", script).isGreaterThan(0);
            assertThat(firstLine(Path.of(args.get(i + 1)))).isEqualTo(Workspace.ENV.get("MQTT_PASSWORD"));
        }
        for (Path unit : units) {
            List<String> exec = Files.readAllLines(unit).stream().filter(l -> l.startsWith("ExecStart")).toList();
            assertThat(exec).as(unit.toString()).isNotEmpty();
            for (String line : exec) {
                for (String secret : secrets) {
                    assertThat(line).doesNotContain(secret);
                }
                assertThat(line.replace("$$", "")).as("%s names no variable", line).doesNotContain("$");
            }
        }
    }

    /** The arguments the script gives the toolkit, recorded by a stand-in for it. */
    private List<String> run(Path script) throws Exception {
        Path recorder = tmp.resolve("toolkit-recorder");
        Path recorded = tmp.resolve("args");
        Files.writeString(recorder, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > \"$RECORDED\"\n");
        Files.setPosixFilePermissions(recorder, PosixFilePermissions.fromString("rwx------"));
        Files.deleteIfExists(recorded);
        ProcessBuilder pb = new ProcessBuilder("sh", script.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("TOOLKIT", recorder.toString());
        pb.environment().put("RECORDED", recorded.toString());
        Process p = pb.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s exit code", script).isZero();
        return Files.readAllLines(recorded);
    }

    private static List<Path> files(Path root, String suffix) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    private static String firstLine(Path file) throws IOException {
        return Files.readAllLines(file).get(0);
    }
}
