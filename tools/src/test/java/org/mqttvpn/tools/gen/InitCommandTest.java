package org.mqttvpn.tools.gen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqttvpn.tools.CommandRun;
import org.mqttvpn.tools.cli.ExitCode;

/** toolkit init: the example appears, and is never written over by accident. */
class InitCommandTest {
    @TempDir
    Path dir;

    static String example() throws IOException {
        try (InputStream in = InitCommandTest.class.getResourceAsStream(InitCommand.EXAMPLE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void initWritesTheCommentedExample() throws IOException {
        CommandRun r = CommandRun.of("init", dir.resolve("vpn").toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(dir.resolve("vpn/network.yaml")).hasContent(example());
        assertThat(r.out()).contains("wrote " + dir.resolve("vpn/network.yaml"));
    }

    @Test
    void initRefusesToReplaceAnInventoryUnlessForced() throws IOException {
        Path file = Files.writeString(dir.resolve("network.yaml"), "mine\n");
        CommandRun r = CommandRun.of("init", dir.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains(file + " already exists: edit it, or pass --force");
        assertThat(file).hasContent("mine");
        assertThat(CommandRun.of("init", dir.toString(), "--force").exitCode()).isZero();
        assertThat(file).hasContent(example());
    }

    @Test
    void theHelpNamesTheVariablesTheExampleNeeds() {
        CommandRun r = CommandRun.of("init", "--help");
        assertThat(r.out()).contains("(MQTT_PASSWORD, WIFI_PASSWORD, AP_PASSWORD)").contains("--force");
    }
}
