package org.mqttvpn.codegen.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqttvpn.codegen.Gen;
import org.mqttvpn.codegen.Workspace;
import org.mqttvpn.codegen.address.AddressAllocator;
import org.mqttvpn.codegen.address.AddressState;
import org.mqttvpn.codegen.inventory.Inventory;
import org.mqttvpn.codegen.inventory.InventoryException;
import org.mqttvpn.codegen.inventory.InventoryLoader;

/** How gen's output reaches the disk: modes, .gitignore, determinism, atomicity, dry runs, re-runs. */
class OutputTest {
    @TempDir
    Path tmp;

    static Map<String, byte[]> snapshot(Path root) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        if (!Files.exists(root)) {
            return files;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }

    static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void renderingTwiceGivesByteIdenticalFiles() throws IOException {
        Workspace w = Workspace.of(tmp, "full");
        w.gen();
        Map<String, byte[]> first = snapshot(w.out());
        String state = Files.readString(w.project().resolve("network.state.yaml"));
        w.gen();
        Map<String, byte[]> second = snapshot(w.out());
        assertThat(second.keySet()).containsExactlyElementsOf(first.keySet());
        first.forEach((path, bytes) -> assertThat(second.get(path)).as(path).isEqualTo(bytes));
        assertThat(Files.readString(w.project().resolve("network.state.yaml"))).isEqualTo(state);
    }

    @Test
    void filesHoldingSecretsAreReadableByTheOwnerOnly() throws IOException {
        Workspace w = Workspace.of(tmp, "full");
        w.gen();
        Path out = w.out();
        for (String secret : List.of("esp8266-web/mqtt_vpn_config.h", "esp32-nat/main/mqtt_vpn_config.h",
                "sim-1/mqttvpn.key", "sim-1/broker.password", "laptop/mqttvpn-laptop.env")) {
            assertThat(mode(out.resolve(secret))).as(secret).isEqualTo("rw-------");
        }
        assertThat(mode(out.resolve("sim-1/run.sh"))).isEqualTo("rwxr-xr-x");
        assertThat(mode(out.resolve("esp32-nat/main/main.c"))).isEqualTo("rw-r--r--");
        assertThat(mode(out.resolve("laptop/mqttvpn-laptop.service"))).isEqualTo("rw-r--r--");
    }

    @Test
    void theGitignoreCoversEverySecretFileAndNothingElse() throws IOException {
        Workspace w = Workspace.of(tmp, "full");
        Gen.Result r = w.gen();
        List<String> patterns = Files.readAllLines(w.out().resolve(".gitignore")).stream()
                .filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
        assertThat(patterns).containsExactly("*.env", "*.key", "*.password", "mqtt_vpn_config.h");
        for (RenderedFile f : r.generation().allFiles()) {
            String name = Path.of(f.path()).getFileName().toString();
            boolean ignored = patterns.stream().anyMatch(p -> p.startsWith("*") ? name.endsWith(p.substring(1)) : name.equals(p));
            assertThat(ignored).as("%s ignored iff secret", f.path()).isEqualTo(f.secret());
        }
    }

    @Test
    void aDryRunListsEveryFileWithItsSizeAndWritesNothing() throws IOException {
        Workspace w = Workspace.of(tmp, "full");
        Files.delete(w.project().resolve("home.key"));
        Files.delete(w.project().resolve("network.state.yaml"));
        Map<String, byte[]> before = snapshot(w.root());
        Gen.Result r = Gen.run(w.request(null, true));
        assertThat(snapshot(w.root())).as("nothing written").containsOnlyKeys(before.keySet());
        assertThat(Files.exists(w.out())).isFalse();
        assertThat(r.plan()).extracting(Gen.Planned::path)
                .contains(".gitignore", "sim-1/run.sh", "esp32-web/main/main.c",
                        w.project().resolve("home.key").toString(), w.project().resolve("network.state.yaml").toString());
        assertThat(r.plan()).filteredOn(p -> p.path().equals("sim-1/mqttvpn.key")).singleElement()
                .satisfies(p -> assertThat(p.secret()).isTrue()).satisfies(p -> assertThat(p.bytes()).isEqualTo(65));
        assertThat(r.keyGenerated()).isTrue();
    }

    @Test
    void aFailureWhileWritingLeavesThePreviousOutputUntouched() throws IOException {
        Workspace w = Workspace.of(tmp, "full");
        w.gen();
        Files.writeString(w.out().resolve("esp32-web/notes.txt"), "mine");
        Map<String, byte[]> before = snapshot(w.out());

        Inventory inv = InventoryLoader.load(w.inventory(), Workspace.ENV, InventoryLoader.MissingKey.PROBLEM);
        var assignments = AddressAllocator.assign(inv, AddressState.read(Inventory.stateFileOf(w.inventory())));
        Generation g = new Generator().generate(inv, assignments, "another key", Map.of(), java.util.Set.of(),
                w.component());
        AtomicInteger written = new AtomicInteger();
        OutputWriter.FileSink failing = (file, f) -> {
            if (written.incrementAndGet() == 10) {
                throw new IOException("disk full (simulated)");
            }
            OutputWriter.FILES.write(file, f);
        };
        assertThatThrownBy(() -> OutputWriter.write(w.out(), g, failing)).hasMessageContaining("disk full");

        Map<String, byte[]> after = snapshot(w.out());
        assertThat(after.keySet()).containsExactlyElementsOf(before.keySet());
        before.forEach((path, bytes) -> assertThat(after.get(path)).as(path).isEqualTo(bytes));
        try (Stream<Path> siblings = Files.list(w.project())) {
            assertThat(siblings.map(p -> p.getFileName().toString())).as("no staging directory left")
                    .noneMatch(n -> n.contains(".gen-"));
        }
    }

    @Test
    void reRunningReplacesANodesDirectoryWholeAndLeavesOthersAlone() throws IOException {
        Workspace w = Workspace.of(tmp, "full");
        w.gen();
        Files.writeString(w.out().resolve("esp32-web/stale.txt"), "from an older gen");
        Files.writeString(w.out().resolve("sim-1/stale.txt"), "from an older gen");
        Files.writeString(w.out().resolve("README.md"), "the user's own file");
        Gen.run(w.request("esp32-web", false));
        assertThat(w.out().resolve("esp32-web/stale.txt")).doesNotExist();
        assertThat(w.out().resolve("esp32-web/main/main.c")).exists();
        assertThat(w.out().resolve("sim-1/stale.txt")).as("a node not rendered stays as it was").exists();
        assertThat(w.out().resolve("README.md")).hasContent("the user's own file");
    }

    @Test
    void anUnknownDeviceNameListsTheKnownOnes() {
        Workspace w = Workspace.of(tmp, "full");
        assertThatThrownBy(() -> Gen.run(w.request("esp32-wbe", false)))
                .isInstanceOf(GenerationException.class)
                .hasMessageContaining("--device esp32-wbe: the inventory has no such host or device; it has esp32-blank,");
        assertThat(w.out()).doesNotExist();
    }

    @Test
    void theGeneratedKeyIsWrittenOnceWith256RandomBitsAndReused() throws IOException {
        Workspace w = Workspace.of(tmp, "full");
        Path keyFile = w.project().resolve("home.key");
        Files.delete(keyFile);
        Gen.Result r = w.gen();
        assertThat(r.keyGenerated()).isTrue();
        String key = Files.readString(keyFile);
        assertThat(key).matches("[0-9a-f]{64}\n");
        assertThat(mode(keyFile)).isEqualTo("rw-------");
        assertThat(Files.readString(w.out().resolve("sim-1/mqttvpn.key"))).isEqualTo(key);
        assertThat(Files.readString(w.out().resolve("esp32-web/main/mqtt_vpn_config.h"))).contains("\"" + key.trim() + "\"");
        assertThat(w.gen().keyGenerated()).isFalse();
        assertThat(Files.readString(keyFile)).isEqualTo(key);

        Workspace other = Workspace.of(tmp.resolve("other"), "full");
        Files.delete(other.project().resolve("home.key"));
        other.gen();
        assertThat(Files.readString(other.project().resolve("home.key"))).as("a new network gets a new key").isNotEqualTo(key);
    }

    @Test
    void aSecretTheHostsEnvironmentFileCannotCarryIsNamedAtItsReference() {
        Workspace w = Workspace.of(tmp, "full");
        Map<String, String> env = new HashMap<>(Workspace.ENV);
        env.put("MQTT_PASSWORD", "two\nlines");
        assertThatThrownBy(() -> Gen.run(new Gen.Request(w.inventory(), env, "laptop", w.out(), w.component(), false)))
                .isInstanceOf(InventoryException.class)
                .hasMessage(w.inventory() + ":8:20: 'broker_password' of network: the value behind env:MQTT_PASSWORD"
                        + " holds a control character (U+000A line feed); correct the value it refers to: one line of"
                        + " printable characters");
        assertThat(w.out()).doesNotExist();
    }

    @Test
    void anInventoryWithProblemsWritesNothing() throws IOException {
        Workspace w = Workspace.of(tmp, "full");
        Files.delete(w.project().resolve("home.key"));
        Files.delete(w.project().resolve("network.state.yaml"));
        Map<String, String> env = new HashMap<>(Workspace.ENV);
        env.remove("WIFI_PASSWORD");
        Map<String, byte[]> before = snapshot(w.root());
        assertThatThrownBy(() -> Gen.run(new Gen.Request(w.inventory(), env, null, w.out(), w.component(), false)))
                .hasMessageContaining("environment variable WIFI_PASSWORD is not set");
        assertThat(snapshot(w.root()).keySet()).containsExactlyElementsOf(before.keySet());
    }
}
