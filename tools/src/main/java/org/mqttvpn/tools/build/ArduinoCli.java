package org.mqttvpn.tools.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.mqttvpn.codegen.render.OutputWriter;
import org.mqttvpn.tools.cli.ExitCode;
import org.mqttvpn.tools.cli.ToolkitException;

/**
 * The arduino-cli steps the toolkit needs for ESP8266 devices. Argument forms follow the
 * arduino-cli command reference: compile takes {@code --fqbn}, {@code --library} (one library's
 * root folder) and {@code --output-dir}; upload takes {@code -p}, {@code --fqbn} and
 * {@code --input-dir}; the sketch directory comes last. Paths are passed absolute, since
 * arduino-cli resolved relative --library paths wrongly in some versions.
 */
public final class ArduinoCli {
    public static final String TOOL = "arduino-cli";
    public static final String ESP8266_INDEX_URL = "https://arduino.esp8266.com/stable/package_esp8266com_index.json";
    public static final String ESP8266_CORE = "esp8266:esp8266";
    public static final String MQTT_LIBRARY = "PubSubClient";

    static final String INSTALL_STEPS = "arduino-cli is not installed (not found on PATH). Install it:\n"
            + "  curl -fsSL https://raw.githubusercontent.com/arduino/arduino-cli/master/install.sh | BINDIR=$HOME/.local/bin sh\n"
            + "  (or download a release from https://arduino.github.io/arduino-cli/latest/installation/)\n"
            + "then make sure its directory is on PATH and run: toolkit setup arduino";

    private final ToolRunner runner;

    public ArduinoCli(ToolRunner runner) {
        this.runner = runner;
    }

    public boolean isInstalled() {
        return runner.locator().onPath(TOOL).isPresent();
    }

    private Path executable() {
        return runner.locator().onPath(TOOL).orElseThrow(() -> new ToolkitException(ExitCode.UNAVAILABLE, INSTALL_STEPS));
    }

    /**
     * {@code arduino-cli compile --fqbn FQBN --library LIB --output-dir OUT SKETCH}. A .zip library
     * is unpacked under OUT first, because --library takes a folder.
     */
    public void compile(String fqbn, Path libraryPath, Path outputDir, Path sketchDir) throws InterruptedException {
        Path exe = executable();
        Path library = Files.isRegularFile(libraryPath) && libraryPath.toString().endsWith(".zip")
                ? unzipLibrary(libraryPath, outputDir.resolve("library-src"))
                : libraryPath;
        runner.run(TOOL, exe, List.of("compile", "--fqbn", fqbn, "--library", ToolRunner.abs(library), "--output-dir",
                ToolRunner.abs(outputDir), ToolRunner.abs(sketchDir)));
    }

    /** {@code arduino-cli upload -p PORT --fqbn FQBN --input-dir DIR SKETCH}. */
    public void upload(String port, String fqbn, Path inputDir, Path sketchDir) throws InterruptedException {
        runner.run(TOOL, executable(), List.of("upload", "-p", port, "--fqbn", fqbn,
                "--input-dir", ToolRunner.abs(inputDir), ToolRunner.abs(sketchDir)));
    }

    /** The documented one-time setup for ESP8266 sketches, skipping {@code config init} when a config exists. */
    public void setupEsp8266() throws InterruptedException {
        Path exe = executable();
        for (List<String> step : setupSteps(configExists())) {
            runner.run(TOOL, exe, step);
        }
    }

    static List<List<String>> setupSteps(boolean configExists) {
        List<List<String>> steps = new ArrayList<>();
        if (!configExists) {
            steps.add(List.of("config", "init"));
        }
        steps.add(List.of("config", "add", "board_manager.additional_urls", ESP8266_INDEX_URL));
        steps.add(List.of("core", "update-index"));
        steps.add(List.of("core", "install", ESP8266_CORE));
        steps.add(List.of("lib", "install", MQTT_LIBRARY));
        return steps;
    }

    /** $ARDUINO_CONFIG_FILE, else arduino-cli's default place on Linux: ~/.arduino15/arduino-cli.yaml. */
    boolean configExists() {
        String explicit = runner.env().get("ARDUINO_CONFIG_FILE");
        if (explicit != null && !explicit.isEmpty()) {
            return Files.isRegularFile(Path.of(explicit));
        }
        String home = runner.env().get("HOME");
        return home != null && Files.isRegularFile(Path.of(home, ".arduino15", "arduino-cli.yaml"));
    }

    /** Unpacks a library zip; returns the library's root (the zip's single top folder, if it has one). */
    static Path unzipLibrary(Path zip, Path into) {
        try {
            // An earlier build's files must not be compiled with this library.
            OutputWriter.deleteTree(into);
            Files.createDirectories(into);
            Path root = into.toRealPath();
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
                ZipEntry e;
                while ((e = in.getNextEntry()) != null) {
                    Path target = root.resolve(e.getName()).normalize();
                    if (!target.startsWith(root)) {
                        throw ToolkitException.usage("library zip " + zip + " has an entry outside its folder: " + e.getName());
                    }
                    if (e.isDirectory()) {
                        Files.createDirectories(target);
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            try (Stream<Path> top = Files.list(root)) {
                List<Path> entries = top.toList();
                return entries.size() == 1 && Files.isDirectory(entries.get(0)) ? entries.get(0) : root;
            }
        } catch (IOException e) {
            throw ToolkitException.usage("cannot unpack library zip " + zip + ": " + e.getMessage());
        }
    }

}
