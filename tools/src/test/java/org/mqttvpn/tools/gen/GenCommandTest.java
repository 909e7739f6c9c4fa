package org.mqttvpn.tools.gen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mqttvpn.tools.CommandRun;
import org.mqttvpn.tools.cli.ExitCode;

/** toolkit gen as a user runs it: exit codes, what it prints, what it writes. */
class GenCommandTest {
    static final String INVENTORY = """
            network:
              name: lab
              subnet: 10.0.3.0/24
              ipv6_prefix: fd00:3::/64
              broker: tcp://127.0.0.1:1883
              key: file:lab.key
            hosts:
              - name: laptop
                address: 10.0.3.1
            devices:
              - name: sim-a
                platform: host-sim
                address: auto
                address6: auto
              - name: sensor
                platform: esp8266-arduino
                address: auto
                wifi: {ssid: OpenCafe}
                app: telnet
            """;

    @TempDir
    Path dir;

    Path inventory() throws IOException {
        Files.writeString(dir.resolve("lab.key"), "a long and random pre-shared key\n");
        return Files.writeString(dir.resolve("network.yaml"), INVENTORY);
    }

    @Test
    void genWritesEveryNodeAndSaysWhereAndWhichAddressesItGave() throws IOException {
        Path inv = inventory();
        CommandRun r = CommandRun.of("gen", inv.toString(), "-o", dir.resolve("out").toString());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.OK);
        assertThat(r.out()).contains("wrote 7 files for 3 nodes to " + dir.resolve("out"))
                .contains("gave sim-a the address 10.0.3.2 fd00:3::1 (recorded in network.state.yaml)")
                .contains("gave sensor the address 10.0.3.3");
        assertThat(dir.resolve("out/sim-a/run.sh")).exists();
        assertThat(dir.resolve("out/sensor/sensor.ino")).exists();
        assertThat(dir.resolve("out/laptop/mqttvpn-laptop.service")).content().contains("--host laptop");
        assertThat(dir.resolve("network.state.yaml")).content().contains("sim-a: 10.0.3.2");
    }

    @Test
    void theOutputDefaultsToOutBesideTheInventory() throws IOException {
        CommandRun r = CommandRun.of("gen", inventory().toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(dir.resolve("out/.gitignore")).exists();
    }

    @Test
    void aDryRunListsPathsSizesAndSecretsAndWritesNothing() throws IOException {
        Path inv = inventory();
        CommandRun r = CommandRun.of("gen", inv.toString(), "-o", dir.resolve("out").toString(), "--dry-run");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("would write (--dry-run: nothing was written):")
                .containsPattern(dir.resolve("out/sim-a/mqttvpn.key") + " +33 bytes  secret \\(mode 0600\\)")
                .containsPattern(dir.resolve("out/sim-a/run.sh") + " +\\d+ bytes\n")
                .contains("would give sim-a the address 10.0.3.2");
        assertThat(dir.resolve("out")).doesNotExist();
        assertThat(dir.resolve("network.state.yaml")).doesNotExist();
    }

    @Test
    void everyProblemIsPrintedWithItsPositionAndTheExitCodeIs2() throws IOException {
        Path inv = Files.writeString(dir.resolve("network.yaml"), INVENTORY
                .replace("key: file:lab.key", "key: env:MQTTVPN_TEST_VARIABLE_THAT_IS_NOT_SET")
                .replace("address: 10.0.3.1", "adress: 10.0.3.1"));
        CommandRun r = CommandRun.of("gen", inv.toString(), "-o", dir.resolve("out").toString());
        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("has 3 problems (nothing was written):")
                .contains(inv + ":6:8: key: environment variable MQTTVPN_TEST_VARIABLE_THAT_IS_NOT_SET is not set;")
                .contains(inv + ":8:5: host 'laptop' has no 'address'; add address: auto")
                .contains(inv + ":9:5: unknown key 'adress' in host 'laptop'; did you mean 'address'?");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("network.yaml");
        }
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // reading /dev/zero must not start
    void aKeyFileThatIsADeviceIsAProblemOfTheInventory() throws IOException {
        Path inv = Files.writeString(dir.resolve("network.yaml"), INVENTORY.replace("key: file:lab.key", "key: file:/dev/zero"));
        CommandRun r = CommandRun.of("gen", inv.toString(), "-o", dir.resolve("out").toString());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains(inv + ":6:8: key: /dev/zero is not a regular file (a pipe, a socket or a device);")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void anOutputThatCannotBeWrittenIsNamedWithoutAStackTrace() throws IOException {
        Path inv = inventory();
        Path out = inv.resolve("out");
        CommandRun r = CommandRun.of("gen", inv.toString(), "-o", out.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(r.err()).startsWith("error: gen could not write its files: " + inv + " (")
                .contains("; check that path and its permissions, or write elsewhere with -o DIR")
                .doesNotContain("\tat ");
        assertThat(dir.resolve("network.state.yaml")).doesNotExist();
    }

    @Test
    void aMissingInventorySaysHowToMakeOne() {
        CommandRun r = CommandRun.of("gen", dir.resolve("nope.yaml").toString());
        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("nope.yaml:1:1: the inventory does not exist; check the path, or create one with toolkit init");
    }

    @Test
    void theHelpExplainsTheInventoryAndShowsExamples() {
        CommandRun r = CommandRun.of("gen", "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Usage: toolkit gen").contains("--dry-run").contains("--device=NAME")
                .contains("key (required: generate | none | env:NAME | file:PATH)")
                .contains("toolkit gen network.yaml --device sensor-1");
        assertThat(r.out().lines()).as("fits 80 columns").allMatch(l -> l.length() <= 80);
    }
}
