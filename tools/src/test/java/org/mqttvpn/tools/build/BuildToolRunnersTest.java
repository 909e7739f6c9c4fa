package org.mqttvpn.tools.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqttvpn.tools.cli.ExitCode;
import org.mqttvpn.tools.cli.ToolkitException;
import org.mqttvpn.tools.flash.FlashTarget;
import org.mqttvpn.tools.flash.ImageSpec;
import org.mqttvpn.tools.flash.UploadMethod;
import org.mqttvpn.tools.flash.UploadMethodSelector;

/**
 * The arduino-cli and idf.py runners, run for real against fake tools: shell scripts first on
 * PATH that record their argument vector (one argument per line) and exit with a chosen status.
 */
class BuildToolRunnersTest {
    @TempDir
    Path tmp;

    Path bin;
    Path calls;
    ByteArrayOutputStream output;
    Map<String, String> env;

    @BeforeEach
    void fakePath() throws IOException {
        bin = Files.createDirectories(tmp.resolve("bin"));
        calls = tmp.resolve("calls");
        output = new ByteArrayOutputStream();
        env = new HashMap<>();
        env.put("PATH", bin + ":/usr/bin:/bin");
        env.put("HOME", tmp.resolve("home").toString());
    }

    /** A fake tool: appends "---" and its arguments to the calls file, says hello, exits with $FAKE_STATUS. */
    Path fake(String name) throws IOException {
        Path script = bin.resolve(name);
        Files.writeString(script, "#!/bin/sh\n"
                + "echo --- >> '" + calls + "'\n"
                + "for a in \"$@\"; do printf '%s\\n' \"$a\" >> '" + calls + "'; done\n"
                + "echo \"" + name + " says hello\"\n"
                + "echo \"to stderr\" >&2\n"
                + "exit ${FAKE_STATUS:-0}\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    List<List<String>> recordedCalls() throws IOException {
        List<List<String>> out = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(calls)) {
            if (line.equals("---")) {
                out.add(new java.util.ArrayList<>());
            } else {
                out.get(out.size() - 1).add(line);
            }
        }
        return out;
    }

    ToolRunner runner() {
        return new ToolRunner(env, new PrintStream(output, true, StandardCharsets.UTF_8));
    }

    @Test
    void compilesWithArduinoCliAndStreamsItsOutput() throws Exception {
        fake("arduino-cli");
        Path lib = Files.createDirectories(tmp.resolve("lib/MqttVpn"));
        Path out = tmp.resolve("out");
        Path sketch = Files.createDirectories(tmp.resolve("sketch"));
        new ArduinoCli(runner()).compile("esp8266:esp8266:nodemcuv2", lib, out, sketch);
        assertThat(recordedCalls()).containsExactly(List.of("compile", "--fqbn", "esp8266:esp8266:nodemcuv2",
                "--library", lib.toString(), "--output-dir", out.toString(), sketch.toString()));
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("arduino-cli says hello", "to stderr");
    }

    @Test
    void unpacksALibraryZipBecauseLibraryTakesAFolder() throws Exception {
        fake("arduino-cli");
        Path zip = tmp.resolve("MqttVpn.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
            z.putNextEntry(new ZipEntry("MqttVpn/library.properties"));
            z.write("name=MqttVpn\n".getBytes(StandardCharsets.UTF_8));
            z.putNextEntry(new ZipEntry("MqttVpn/src/MqttVpn.h"));
            z.write("#pragma once\n".getBytes(StandardCharsets.UTF_8));
        }
        Path out = tmp.resolve("out");
        new ArduinoCli(runner()).compile("esp8266:esp8266:d1_mini", zip, out, tmp);
        List<String> args = recordedCalls().get(0);
        Path unpacked = Path.of(args.get(args.indexOf("--library") + 1));
        assertThat(unpacked.getFileName().toString()).isEqualTo("MqttVpn");
        assertThat(unpacked.resolve("src/MqttVpn.h")).exists();
    }

    @Test
    void aLibraryUnpackedForAnEarlierBuildLeavesNoFilesBehind() throws Exception {
        fake("arduino-cli");
        Path out = tmp.resolve("out");
        Path stale = out.resolve("library-src/MqttVpn/src/removed_since.c");
        Files.createDirectories(stale.getParent());
        Files.writeString(stale, "int old;\n");
        Path zip = tmp.resolve("MqttVpn.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
            z.putNextEntry(new ZipEntry("MqttVpn/library.properties"));
            z.write("name=MqttVpn\n".getBytes(StandardCharsets.UTF_8));
        }
        new ArduinoCli(runner()).compile("esp8266:esp8266:d1_mini", zip, out, tmp);
        assertThat(stale).doesNotExist();
        assertThat(out.resolve("library-src/MqttVpn/library.properties")).exists();
    }

    @Test
    void uploadsWithArduinoCli() throws Exception {
        fake("arduino-cli");
        new ArduinoCli(runner()).upload("/dev/ttyUSB0", "esp8266:esp8266:nodemcuv2", tmp.resolve("out"), tmp.resolve("sk"));
        assertThat(recordedCalls()).containsExactly(List.of("upload", "-p", "/dev/ttyUSB0", "--fqbn",
                "esp8266:esp8266:nodemcuv2", "--input-dir", tmp.resolve("out").toString(), tmp.resolve("sk").toString()));
    }

    @Test
    void aFailingToolIsAnErrorNamingTheToolStatusAndCommand() throws Exception {
        fake("arduino-cli");
        env.put("FAKE_STATUS", "3");
        assertThatThrownBy(() -> new ArduinoCli(runner()).upload("/dev/ttyUSB0", "esp8266:esp8266:generic",
                tmp.resolve("o"), tmp.resolve("my sketch")))
                .isInstanceOfSatisfying(ToolkitException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.TOOL_FAILED);
                    assertThat(e.getMessage()).contains("arduino-cli failed with exit status 3",
                            bin.resolve("arduino-cli") + " upload -p /dev/ttyUSB0 --fqbn esp8266:esp8266:generic",
                            "'" + tmp.resolve("my sketch") + "'");
                });
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("says hello");
    }

    @Test
    void aMissingToolGivesTheInstallStepsAndExitCode4() {
        env.put("PATH", bin.toString());
        assertThatThrownBy(() -> new ArduinoCli(runner()).compile("f:q:bn", tmp, tmp, tmp))
                .isInstanceOfSatisfying(ToolkitException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.UNAVAILABLE);
                    assertThat(e.getMessage()).contains("arduino-cli is not installed", "install.sh", "toolkit setup arduino");
                });
        assertThatThrownBy(() -> new IdfPy(runner()).build(tmp))
                .isInstanceOfSatisfying(ToolkitException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.UNAVAILABLE);
                    assertThat(e.getMessage()).contains("idf.py was not found", "install.sh", "export.sh");
                });
    }

    @Test
    void setupRunsTheDocumentedStepsAndInitsTheConfigOnlyWhenMissing() throws Exception {
        fake("arduino-cli");
        new ArduinoCli(runner()).setupEsp8266();
        List<List<String>> first = recordedCalls();
        assertThat(first).containsExactly(
                List.of("config", "init"),
                List.of("config", "add", "board_manager.additional_urls",
                        "https://arduino.esp8266.com/stable/package_esp8266com_index.json"),
                List.of("core", "update-index"),
                List.of("core", "install", "esp8266:esp8266"),
                List.of("lib", "install", "PubSubClient"));
        Path config = tmp.resolve("home/.arduino15/arduino-cli.yaml");
        Files.createDirectories(config.getParent());
        Files.writeString(config, "board_manager: {}\n");
        Files.delete(calls);
        new ArduinoCli(runner()).setupEsp8266();
        assertThat(recordedCalls()).hasSize(4).first().isEqualTo(first.get(1));
    }

    @Test
    void setupStopsAtTheFirstFailingStep() throws Exception {
        fake("arduino-cli");
        env.put("FAKE_STATUS", "1");
        assertThatThrownBy(() -> new ArduinoCli(runner()).setupEsp8266())
                .isInstanceOfSatisfying(ToolkitException.class, e -> assertThat(e.getMessage()).contains("config init"));
        assertThat(recordedCalls()).hasSize(1);
    }

    @Test
    void buildsAndFlashesWithIdfPy() throws Exception {
        fake("idf.py");
        Path project = tmp.resolve("dev2");
        IdfPy idf = new IdfPy(runner());
        idf.build(project);
        idf.flash(project, "/dev/ttyACM0", 460800);
        idf.flash(project, "/dev/ttyACM0", 0);
        assertThat(recordedCalls()).containsExactly(
                List.of("-C", project.toString(), "build"),
                List.of("-C", project.toString(), "-p", "/dev/ttyACM0", "-b", "460800", "flash"),
                List.of("-C", project.toString(), "-p", "/dev/ttyACM0", "flash"));
    }

    @Test
    void findsIdfPyUnderIdfPathWhenNotOnPath() throws Exception {
        Path idfPath = tmp.resolve("esp-idf");
        Files.createDirectories(idfPath.resolve("tools"));
        Path script = fake("idf.py");
        Files.move(script, idfPath.resolve("tools/idf.py"));
        env.put("IDF_PATH", idfPath.toString());
        new IdfPy(runner()).build(tmp);
        assertThat(recordedCalls()).containsExactly(List.of("-C", tmp.toString(), "build"));
    }

    @Test
    void autoPrefersTheProjectsToolAndFallsBackToTheBuiltInLoader() throws Exception {
        FlashTarget both = new FlashTarget(List.of(ImageSpec.parse("a.bin@0x0")),
                new ArduinoProject(tmp, "esp8266:esp8266:generic", tmp), null);
        ArduinoCli arduino = new ArduinoCli(runner());
        IdfPy idf = new IdfPy(runner());
        assertThat(UploadMethodSelector.select(UploadMethod.AUTO, both, arduino, idf)).isEqualTo(UploadMethod.NATIVE);
        fake("arduino-cli");
        assertThat(UploadMethodSelector.select(UploadMethod.AUTO, both, arduino, idf)).isEqualTo(UploadMethod.ARDUINO_CLI);
        assertThat(UploadMethodSelector.select(UploadMethod.NATIVE, both, arduino, idf)).isEqualTo(UploadMethod.NATIVE);
        FlashTarget idfOnly = new FlashTarget(List.of(), null, new IdfProject(tmp));
        assertThat(UploadMethodSelector.select(UploadMethod.AUTO, idfOnly, arduino, idf)).isEqualTo(UploadMethod.IDF);
        assertThatThrownBy(() -> UploadMethodSelector.select(UploadMethod.NATIVE, idfOnly, arduino, idf))
                .hasMessageContaining("--via native needs images");
        assertThatThrownBy(() -> UploadMethodSelector.select(UploadMethod.ARDUINO_CLI, idfOnly, arduino, idf))
                .hasMessageContaining("--sketch");
    }
}
