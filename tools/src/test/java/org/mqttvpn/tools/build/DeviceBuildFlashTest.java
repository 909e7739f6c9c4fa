package org.mqttvpn.tools.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqttvpn.tools.lab.NetworkLab;
import org.mqttvpn.tools.sim.SimChip;
import org.mqttvpn.tools.sim.SimulatedBoard;
import org.mqttvpn.tools.sim.TestImages;
import org.mqttvpn.tools.sim.TestImages.Seg;

/**
 * {@code toolkit build DEVICE} and {@code toolkit flash DEVICE}: a real inventory rendered by
 * gen, and scripts named arduino-cli and idf.py first on PATH that record their arguments and
 * produce what the real tools would (an image, flasher_args.json). The toolkit runs as a child
 * process with that PATH, as a user would run it.
 */
class DeviceBuildFlashTest {
    @TempDir
    Path dir;

    private Path bin;
    private Path log;
    private Path inventory;
    private final Map<String, String> env = new HashMap<>();
    private byte[] esp8266App;

    @BeforeEach
    void aRenderedInventoryAndFakeBuildTools() throws Exception {
        inventory = dir.resolve("network.yaml");
        Files.writeString(dir.resolve("wifi.pw"), "wifi password\n");
        Files.writeString(inventory, String.join("\n",
                "network:",
                "  name: lab",
                "  subnet: 10.0.1.0/24",
                "  broker: mqtt://broker.local",
                "  key: generate",
                "devices:",
                "  - name: sensor",
                "    platform: esp8266-arduino",
                "    address: auto",
                "    wifi: {ssid: lab, password: file:wifi.pw}",
                "    app: webserver",
                "  - name: gw",
                "    platform: esp32-idf",
                "    target: esp32c3",
                "    address: auto",
                "    wifi: {ssid: lab, password: file:wifi.pw}",
                "  - name: virtual",
                "    platform: host-sim",
                "    address: auto",
                ""));
        bin = Files.createDirectories(dir.resolve("bin"));
        log = dir.resolve("calls.log");
        esp8266App = TestImages.image(false, -1, false, new Seg(0x40100000L, TestImages.codeLike(0x3000, 7)),
                new Seg(0x3FFE8000L, TestImages.codeLike(0x400, 8)));
        Path fakeImage = dir.resolve("sketch.bin");
        Files.write(fakeImage, esp8266App);
        Path idfBuild = Files.createDirectories(dir.resolve("idf-output"));
        Files.write(idfBuild.resolve("bootloader.bin"), TestImages.image(true, 5, false,
                new Seg(0x3FCD5820L, TestImages.codeLike(0x2000, 9))));
        Files.write(idfBuild.resolve("partition-table.bin"), TestImages.partitionTable());
        Files.write(idfBuild.resolve("app.bin"), TestImages.image(true, 5, true,
                new Seg(0x3C000020L, TestImages.codeLike(0x4000, 10))));
        script("arduino-cli", String.join("\n",
                "#!/bin/sh",
                "{ for a in \"$@\"; do printf '%s\\n' \"$a\"; done; echo '--'; } >> \"$FAKE_LOG\"",
                "if [ \"$1\" = compile ]; then",
                "  prev=; for a in \"$@\"; do [ \"$prev\" = --output-dir ] && out=\"$a\"; prev=\"$a\"; done",
                "  mkdir -p \"$out\" && cp \"$FAKE_IMAGE\" \"$out/$(basename \"$a\").ino.bin\"",
                "fi"));
        script("idf.py", String.join("\n",
                "#!/bin/sh",
                "{ for a in \"$@\"; do printf '%s\\n' \"$a\"; done; echo '--'; } >> \"$FAKE_LOG\"",
                "if [ \"$3\" = build ]; then",
                "  b=\"$2/build\"; mkdir -p \"$b/bootloader\" \"$b/partition_table\"",
                "  cp \"$FAKE_IDF/bootloader.bin\" \"$b/bootloader/\"; cp \"$FAKE_IDF/partition-table.bin\" \"$b/partition_table/\"",
                "  cp \"$FAKE_IDF/app.bin\" \"$b/gw.bin\"",
                "  printf '{\"flash_files\": {\"0x0\": \"bootloader/bootloader.bin\", \"0x8000\": \"partition_table/partition-table.bin\","
                        + " \"0x10000\": \"gw.bin\"}, \"extra_esptool_args\": {\"chip\": \"esp32c3\"}}' > \"$b/flasher_args.json\"",
                "fi"));
        env.put("PATH", bin + ":/usr/bin:/bin");
        env.put("FAKE_LOG", log.toString());
        env.put("FAKE_IMAGE", fakeImage.toString());
        env.put("FAKE_IDF", idfBuild.toString());
        env.put("XDG_CACHE_HOME", dir.resolve("cache").toString());
        env.put("HOME", dir.toString());
        Result gen = toolkit("gen", inventory.toString());
        assertThat(gen.code()).as(gen.output()).isZero();
    }

    private void script(String name, String body) throws IOException {
        Path p = bin.resolve(name);
        Files.writeString(p, body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    record Result(int code, String output) {
    }

    private Result toolkit(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(NetworkLab.javaCommand());
        cmd.add("org.mqttvpn.tools.Main");
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    /** The recorded calls, each an argument vector. */
    private List<List<String>> calls() throws IOException {
        List<List<String>> calls = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (line.equals("--")) {
                calls.add(current);
                current = new ArrayList<>();
            } else {
                current.add(line);
            }
        }
        return calls;
    }

    private Path project(String device) {
        return dir.resolve("out").resolve(device);
    }

    @Test
    void buildCompilesTheSketchWithTheBoardAndThePackagedLibrary() throws Exception {
        Result r = toolkit("build", "sensor");
        assertThat(r.code()).as(r.output()).isZero();
        Path build = project("sensor").resolve("build");
        assertThat(calls()).containsExactly(List.of("compile", "--fqbn", "esp8266:esp8266:nodemcuv2", "--library",
                build.resolve("library-src/mqtt_vpn_arduino").toString(), "--output-dir", build.toString(),
                project("sensor").toString()));
        assertThat(build.resolve("library-src/mqtt_vpn_arduino/library.properties")).exists();
        assertThat(r.output()).contains("flash it with: toolkit flash sensor");
    }

    @Test
    void buildRunsIdfPyForAnIdfProject() throws Exception {
        Result r = toolkit("build", "gw");
        assertThat(r.code()).as(r.output()).isZero();
        assertThat(calls()).containsExactly(List.of("-C", project("gw").toString(), "build"));
    }

    @Test
    void flashUploadsWithTheToolThatBuiltTheProject() throws Exception {
        assertThat(toolkit("build", "sensor").code()).isZero();
        assertThat(toolkit("build", "gw").code()).isZero();
        try (SimulatedBoard port = SimulatedBoard.start(Files.createDirectories(dir.resolve("pty")), SimChip.ESP8266)) {
            Result a = toolkit("flash", "--port", port.hostPath(), "sensor");
            assertThat(a.code()).as(a.output()).isZero();
            Result b = toolkit("flash", "--port", port.hostPath(), "gw");
            assertThat(b.code()).as(b.output()).isZero();
            List<List<String>> calls = calls();
            assertThat(calls.get(2)).containsExactly("upload", "-p", port.hostPath(), "--fqbn", "esp8266:esp8266:nodemcuv2",
                    "--input-dir", project("sensor").resolve("build").toString(), project("sensor").toString());
            assertThat(calls.get(3)).containsExactly("-C", project("gw").toString(), "-p", port.hostPath(), "-b", "921600",
                    "flash");
        }
    }

    @Test
    void withoutTheBuildToolTheBuiltInLoaderWritesTheDevicesImage() throws Exception {
        assertThat(toolkit("build", "sensor").code()).isZero();
        Files.delete(bin.resolve("arduino-cli"));
        try (SimulatedBoard board = SimulatedBoard.start(Files.createDirectories(dir.resolve("pty")), SimChip.ESP8266)) {
            Result r = toolkit("flash", "--port", board.hostPath(), "sensor");
            assertThat(r.code()).as(r.output()).isZero();
            assertThat(board.flash().read(0, esp8266App.length)).isEqualTo(esp8266App);
        }
    }

    @Test
    void theBuiltInLoaderWritesEveryFileOfAnIdfBuildAtItsOffset() throws Exception {
        assertThat(toolkit("build", "gw").code()).isZero();
        Files.delete(bin.resolve("idf.py"));
        try (SimulatedBoard board = SimulatedBoard.start(Files.createDirectories(dir.resolve("pty")), SimChip.ESP32C3)) {
            Result r = toolkit("flash", "--port", board.hostPath(), "gw");
            assertThat(r.code()).as(r.output()).isZero();
            Path b = project("gw").resolve("build");
            for (Object[] f : new Object[][] {{0x0L, "bootloader/bootloader.bin"}, {0x8000L, "partition_table/partition-table.bin"},
                {0x10000L, "gw.bin"}}) {
                byte[] expected = Files.readAllBytes(b.resolve((String) f[1]));
                assertThat(board.flash().read((Long) f[0], expected.length)).as((String) f[1]).isEqualTo(expected);
            }
        }
    }

    @Test
    void aBoardWithAnotherChipThanTheDevicesIsRefused() throws Exception {
        assertThat(toolkit("build", "gw").code()).isZero();
        Files.delete(bin.resolve("idf.py"));
        try (SimulatedBoard board = SimulatedBoard.start(Files.createDirectories(dir.resolve("pty")), SimChip.ESP8266)) {
            Result r = toolkit("flash", "--port", board.hostPath(), "gw");
            assertThat(r.code()).as(r.output()).isEqualTo(13);
            // refused by the device's chip (an implicit --chip esp32c3), before any FLASH_BEGIN
            assertThat(r.output()).contains("asked for esp32c3", "is an ESP8266");
            assertThat(board.simulator().opcodes()).doesNotContain(0x02, 0x10);
        }
    }

    @Test
    void inventoryAndOutputSayWhereBuildAndFlashLook() throws Exception {
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.move(dir.resolve("out"), elsewhere.resolve("projects"));
        Files.move(inventory, elsewhere.resolve("net.yaml"));
        Files.move(dir.resolve("wifi.pw"), elsewhere.resolve("wifi.pw"));
        Path inv = elsewhere.resolve("net.yaml");
        Result built = toolkit("build", "gw", "--inventory", inv.toString(), "-o", elsewhere.resolve("projects").toString());
        assertThat(built.code()).as(built.output()).isZero();
        assertThat(calls()).containsExactly(List.of("-C", elsewhere.resolve("projects/gw").toString(), "build"));
        Result notThere = toolkit("flash", "--port", "/dev/null", "--inventory", inv.toString(), "gw");
        assertThat(notThere.code()).isEqualTo(2);
        assertThat(notThere.output()).contains("has no project in " + elsewhere.resolve("out"), "toolkit gen " + inv);
        Result noLibrary = toolkit("build", "sensor", "--inventory", inv.toString(), "--output",
                elsewhere.resolve("projects").toString(), "--library", dir.resolve("nope.zip").toString());
        assertThat(noLibrary.code()).isEqualTo(2);
        assertThat(noLibrary.output()).contains("--library " + dir.resolve("nope.zip") + " does not exist");
    }

    @Test
    void mistakesAreNamedWithWhatToDo() throws Exception {
        Result unknown = toolkit("build", "nope");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.output()).contains("device 'nope' is not in").contains("gw, sensor, virtual");
        Result notBuilt = toolkit("flash", "--port", "/dev/null", "gw");
        assertThat(notBuilt.code()).isEqualTo(2);
        assertThat(notBuilt.output()).contains("is not built").contains("toolkit build gw");
        Result virtual = toolkit("build", "virtual");
        assertThat(virtual.code()).isEqualTo(2);
        assertThat(virtual.output()).contains("virtual device").contains("run.sh");
        Result both = toolkit("flash", "--image", "x.bin", "sensor");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.output()).contains("DEVICE names what to flash");
        Files.delete(bin.resolve("idf.py"));
        Result missing = toolkit("build", "gw");
        assertThat(missing.code()).isEqualTo(4);
        assertThat(missing.output()).contains("idf.py");
    }
}
