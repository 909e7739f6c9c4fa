package org.mqttvpn.codegen.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqttvpn.codegen.Gen;

/**
 * The host's systemd unit when the inventory and the toolkit live in a directory named
 * {@code x %n $HOME y}: a specifier, a variable and spaces that must reach the service as
 * written. Checked as text, and with systemd's own parser ({@code systemd-analyze verify}, which
 * fails when the command it parsed is not an executable file, and with debug logging prints
 * the command line it parsed).
 */
class HostUnitEscapingTest {
    static final String ODD = "x %n $HOME y";

    @TempDir
    Path tmp;

    Path dir;
    Path unit;

    @BeforeEach
    void genInAnOddDirectory() throws IOException {
        dir = Files.createDirectories(tmp.resolve(ODD));
        Path toolkit = Files.writeString(dir.resolve("toolkit"), "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(toolkit, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path inventory = Files.writeString(dir.resolve("network.yaml"), """
                network:
                  name: home
                  subnet: 10.0.1.0/24
                  broker: mqtt://broker.local
                  key: generate
                hosts:
                  - name: laptop
                    address: auto
                    toolkit_path: "%s"
                """.formatted(toolkit));
        // no ESP-IDF device: no component needed
        Gen.run(new Gen.Request(inventory, Map.of(), null, dir.resolve("out"), null, false));
        unit = dir.resolve("out/laptop/mqttvpn-laptop.service");
    }

    @Test
    void theUnitKeepsSpecifiersVariablesAndSpacesOfPathsLiteral() throws IOException {
        String d = dir.toString();
        String percent = d.replace("%", "%%");
        assertThat(Files.readAllLines(unit)).contains(
                "EnvironmentFile=" + percent + "/mqttvpn-laptop.env",
                "ExecStart=\"" + percent + "/toolkit\" vpn --config \"" + percent.replace("$", "$$")
                        + "/network.yaml\" --host laptop");
    }

    @Test
    void theInstallCommandsInItsCommentAreShellWords() throws IOException {
        String q = "'" + dir + "'";
        assertThat(Files.readAllLines(unit)).contains(
                "#   install -d " + q,
                "#   install -m 0644 network.yaml network.state.yaml '" + dir + "/'",
                "#   install -m 0600 home.key '" + dir + "/home.key'",
                "#   install -m 0600 mqttvpn-laptop.env '" + dir + "/mqttvpn-laptop.env'");
    }

    @Test
    void anInventoryPathTheUnitCannotCarryIsRefusedWithHowToNameAnother() throws IOException {
        Path lines = Files.createDirectories(tmp.resolve("two\nlines"));
        Path inventory = Files.copy(dir.resolve("network.yaml"), lines.resolve("network.yaml"));
        Files.copy(dir.resolve("home.key"), lines.resolve("home.key"));
        assertThatThrownBy(() -> Gen.run(new Gen.Request(inventory, Map.of(), null, lines.resolve("out"), null, false)))
                .isInstanceOf(GenerationException.class)
                .hasMessage("the path of the inventory, " + tmp + "/two?lines/network.yaml, holds a control character,"
                        + " which the host's systemd unit cannot carry; rename the directory or the file, or give host"
                        + " 'laptop' inventory_path: with the path it has on the host");
        assertThat(lines.resolve("out")).doesNotExist();

        Path named = Files.move(inventory, lines.resolve("net\twork.yaml"));
        assertThatThrownBy(() -> Gen.run(new Gen.Request(named, Map.of(), null, lines.resolve("out"), null, false)))
                .isInstanceOf(GenerationException.class)
                .hasMessageStartingWith("the inventory's file name, net?work.yaml, holds a control character");
    }

    @Test
    void systemdParsesTheCommandAndItsArgumentsAsWritten() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of("systemd-analyze", "verify", "--man=no", unit.toString()))
                .redirectErrorStream(true);
        pb.environment().put("SYSTEMD_LOG_LEVEL", "debug");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new AssertionError("systemd-analyze is missing: install systemd (ci/deps lists it)", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).doesNotContain("is not executable");
        assertThat(p.exitValue()).as(out).isZero();
        String d = dir.toString();
        // the dump escapes $ as \$; variables are substituted later, when the service starts ($$ becomes $)
        assertThat(out.lines().map(String::strip).map(l -> l.replace("\\", "")))
                .contains("Command Line: \"" + d + "/toolkit\" vpn --config \"" + d.replace("$", "$$")
                        + "/network.yaml\" --host laptop")
                .contains("EnvironmentFile: " + d + "/mqttvpn-laptop.env");
    }
}
