package org.mqttvpn.tools.flash;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.mqttvpn.tools.build.ArduinoCli;
import org.mqttvpn.codegen.inventory.Platform;
import org.mqttvpn.tools.build.ArduinoProject;
import org.mqttvpn.tools.build.DeviceProject;
import org.mqttvpn.tools.build.IdfPy;
import org.mqttvpn.tools.build.IdfProject;
import org.mqttvpn.tools.build.InventoryOptions;
import org.mqttvpn.tools.build.ToolRunner;
import org.mqttvpn.tools.cli.ExitCode;
import org.mqttvpn.tools.serial.PortOpener;
import org.mqttvpn.tools.serial.SerialLink;
import org.mqttvpn.tools.serial.SerialPortInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code toolkit flash}: write firmware over serial. */
@Command(
        name = "flash",
        header = "Write firmware to a board over serial.",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Write firmware to an ESP8266 / ESP32 / ESP32-S2 / ESP32-S3 / ESP32-C3 over serial.",
            "The built-in loader (--via native) talks to the chip's ROM bootloader directly, no Python: "
                    + "it resets the board into download mode (DTR/RTS), syncs, detects the chip, switches to "
                    + "--baud (falls back to 115200 when that fails), writes each image (compressed on the "
                    + "ESP32 family), checks the MD5 of what landed in flash (not possible on the ESP8266 ROM) "
                    + "and resets the board. Images are checked first (magic, segments, checksum, SHA-256, "
                    + "chip); a file that is neither an image nor a partition table needs --raw.",
            "With --via arduino-cli or idf (or auto, when that tool is installed and a project is given) "
                    + "the project's own tool uploads instead.",
            ""},
        footer = {
            "",
            "Examples:",
            "  toolkit flash --image build/sketch.ino.bin",
            "  toolkit flash --port /dev/ttyUSB0 --chip esp32 \\",
            "      --image bootloader.bin@0x1000 --image partition-table.bin@0x8000 \\",
            "      --image app.bin@0x10000",
            "  toolkit flash --port /dev/ttyUSB0 sensor-1      (a device of network.yaml, after toolkit build)",
            "  toolkit flash --port /dev/ttyUSB0 --via arduino-cli --sketch dev1 \\",
            "      --fqbn esp8266:esp8266:nodemcuv2 --build-dir out",
            "",
            "Without --port the one ESP-looking port is used (see toolkit ports).",
            "Exit codes: 0 done, 2 bad flags or files, 3 no permission on the port",
            "(dialout group), 4 arduino-cli/idf.py missing, 10 port not found,",
            "11 port busy, 12 no answer from the bootloader, 13 wrong chip,",
            "14 bad image, 15 verify failed, 16 bootloader error,",
            "17 arduino-cli/idf.py failed."})
public final class FlashCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT",
            description = "Serial port, e.g. /dev/ttyUSB0 (default: the one ESP-looking port).")
    String port;

    @Option(names = {"-b", "--baud"}, paramLabel = "BAUD", defaultValue = "921600",
            description = "Baud rate for the data after connecting at 115200 (default: ${DEFAULT-VALUE}).")
    int baud;

    @Option(names = "--chip", paramLabel = "CHIP", defaultValue = "auto",
            description = "auto, esp8266, esp32, esp32s2, esp32s3 or esp32c3; anything but auto fails "
                    + "when the board is another chip (default: ${DEFAULT-VALUE}).")
    String chipName;

    @Option(names = {"-i", "--image"}, paramLabel = "FILE[@ADDR]",
            description = "A file and its flash address (hex 0x1000 or decimal; FILE alone = 0x0). Repeatable.")
    List<String> images = new ArrayList<>();

    @Option(names = "--raw", description = "Write the files as plain data, without the firmware-image checks.")
    boolean raw;

    @Option(names = "--flash-mode", paramLabel = "MODE",
            description = "qio, qout, dio or dout: rewrite the bootloader image's header (default: keep).")
    String flashMode;

    @Option(names = "--flash-size", paramLabel = "SIZE",
            description = "e.g. 4MB: rewrite the bootloader image's header and use as flash size (default: keep, detect).")
    String flashSize;

    @Option(names = "--flash-freq", paramLabel = "FREQ",
            description = "80m, 40m, 26m or 20m: rewrite the bootloader image's header (default: keep).")
    String flashFreq;

    @Option(names = "--no-compress", description = "Send uncompressed data even where the ROM can inflate.")
    boolean noCompress;

    @Option(names = "--no-verify", description = "Skip the MD5 check after writing.")
    boolean noVerify;

    @Option(names = "--no-reset", description = "Leave the chip in the bootloader at the end instead of resetting it.")
    boolean noReset;

    @Option(names = "--before", paramLabel = "WHAT", defaultValue = "default-reset",
            description = "default-reset (DTR/RTS into download mode) or no-reset (board already in download mode).")
    String before;

    @Option(names = "--connect-attempts", paramLabel = "N", defaultValue = "7",
            description = "Reset-and-sync rounds before giving up (default: ${DEFAULT-VALUE}).")
    int connectAttempts;

    @Option(names = "--via", paramLabel = "METHOD", defaultValue = "auto",
            description = "native (built-in loader), arduino-cli, idf, or auto (default: ${DEFAULT-VALUE}).")
    String via;

    @Option(names = "--sketch", paramLabel = "DIR", description = "Sketch folder, for --via arduino-cli.")
    Path sketch;

    @Option(names = "--fqbn", paramLabel = "FQBN", description = "Board, e.g. esp8266:esp8266:nodemcuv2, for --via arduino-cli.")
    String fqbn;

    @Option(names = "--build-dir", paramLabel = "DIR", description = "Where the sketch was compiled to, for --via arduino-cli.")
    Path buildDir;

    @Option(names = "--idf-project", paramLabel = "DIR", description = "ESP-IDF project folder, for --via idf.")
    Path idfProject;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DEVICE",
            description = "A device of the network inventory: flashes what toolkit build made for it.")
    String device;

    @Mixin
    InventoryOptions projects;

    @Override
    public Integer call() throws Exception {
        return flash(device != null ? deviceTarget() : target());
    }

    /**
     * The target of a DEVICE: its build tool's project when that tool built it (arduino-cli's
     * image, idf.py's flasher_args.json), and the same images for the built-in loader.
     */
    FlashTarget deviceTarget() {
        if (!images.isEmpty() || sketch != null || fqbn != null || buildDir != null || idfProject != null) {
            throw bad("DEVICE names what to flash: leave out --image, --sketch, --fqbn, --build-dir and --idf-project");
        }
        DeviceProject p = projects.find(device);
        p.requireFirmware("flash");
        if (chipName.equalsIgnoreCase("auto") && Chip.byCliName(p.chip()).isPresent()) {
            chipName = p.chip(); // a board with another chip is then refused before anything is written
        }
        if (p.platform() == Platform.ESP8266_ARDUINO) {
            if (!Files.isRegularFile(p.arduinoImage())) {
                throw bad("device '" + device + "' is not built (no " + p.arduinoImage() + "): toolkit build " + device);
            }
            return new FlashTarget(List.of(new ImageSpec(p.arduinoImage(), 0)),
                    new ArduinoProject(p.projectDir(), p.fqbn(), p.buildDir()), null);
        }
        if (!Files.isRegularFile(p.idfFlasherArgs())) {
            throw bad("device '" + device + "' is not built (no " + p.idfFlasherArgs() + "): toolkit build " + device);
        }
        return new FlashTarget(IdfFlasherArgs.images(p.idfFlasherArgs()), null, new IdfProject(p.projectDir()));
    }

    /** The target from the command-line options. */
    FlashTarget target() {
        List<ImageSpec> specs = new ArrayList<>();
        for (String s : images) {
            try {
                specs.add(ImageSpec.parse(s));
            } catch (IllegalArgumentException e) {
                throw bad("--image " + s + ": " + e.getMessage());
            }
        }
        if (specs.size() > 1 && images.stream().anyMatch(s -> s.lastIndexOf('@') < 0)) {
            throw bad("with several --image files, give each its address: FILE@ADDR");
        }
        ArduinoProject arduino = null;
        if (sketch != null || fqbn != null || buildDir != null) {
            if (sketch == null || fqbn == null || buildDir == null) {
                throw bad("--sketch, --fqbn and --build-dir go together (arduino-cli upload needs all three)");
            }
            arduino = new ArduinoProject(sketch, fqbn, buildDir);
        }
        return new FlashTarget(specs, arduino, idfProject == null ? null : new IdfProject(idfProject));
    }

    /** Flashes {@code target} with the method --via selects; the entry point for other ways to name a target. */
    public int flash(FlashTarget target) throws InterruptedException {
        UploadMethod requested;
        try {
            requested = UploadMethod.parse(via);
        } catch (IllegalArgumentException e) {
            throw bad("--via " + e.getMessage());
        }
        ToolRunner runner = ToolRunner.inheriting();
        ArduinoCli arduino = new ArduinoCli(runner);
        IdfPy idf = new IdfPy(runner);
        UploadMethod method = UploadMethodSelector.select(requested, target, arduino, idf);
        PortOpener opener = new PortOpener();
        switch (method) {
            case ARDUINO_CLI -> {
                ArduinoProject p = target.arduino();
                arduino.upload(opener.resolve(port), p.fqbn(), p.buildDir(), p.sketchDir());
            }
            case IDF -> idf.flash(target.idf().projectDir(), opener.resolve(port), baud);
            default -> flashNative(target.images(), opener);
        }
        return ExitCode.OK;
    }

    private void flashNative(List<ImageSpec> specs, PortOpener opener) throws InterruptedException {
        FlashOptions options = options();
        List<FlashImage> loaded = new ArrayList<>();
        for (ImageSpec s : specs) {
            loaded.add(FlashImage.load(s, raw));
        }
        Flasher.precheck(loaded, options);
        String path = opener.resolve(port);
        SerialPortInfo info = opener.describe(path);
        boolean terminal = System.console() != null;
        ProgressDisplay display = new ProgressDisplay(terminal, spec.commandLine().getOut(),
                spec.commandLine().getErr(), System.out);
        FlashReport report;
        try (SerialLink link = opener.open(path, FlashOptions.ROM_BAUD)) {
            Flasher flasher = new Flasher(link, info.isBuiltInUsb(), options, display);
            flasher.setPortHint(opener.holdersOf(path));
            report = flasher.flash(loaded);
        }
        spec.commandLine().getOut().println(summary(report, path));
        spec.commandLine().getOut().flush();
    }

    static String summary(FlashReport r, String path) {
        long verified = r.files().stream().filter(FlashReport.FileResult::verified).count();
        String verify = r.chip().supportsMd5()
                ? (verified == r.files().size() ? "all MD5-verified" : verified + " of " + r.files().size() + " MD5-verified")
                : "not verified (the " + r.chip().displayName() + " ROM has no MD5 command)";
        double secs = r.totalMillis() / 1000.0;
        return String.format(Locale.ROOT, "Flashed %d file%s, %d bytes, to the %s (MAC %s) on %s at %d baud in %.1f s; %s%s.",
                r.files().size(), r.files().size() == 1 ? "" : "s", r.totalBytes(), r.chip().displayName(), r.mac(), path,
                r.baud(), secs, verify, r.reset() ? "; board reset" : "");
    }

    FlashOptions options() {
        if (baud < 9600 || baud > 5_000_000) {
            throw bad("--baud " + baud + " is outside 9600..5000000");
        }
        if (connectAttempts < 1) {
            throw bad("--connect-attempts must be at least 1");
        }
        Chip chip = null;
        if (!chipName.equalsIgnoreCase("auto")) {
            chip = Chip.byCliName(chipName).orElseThrow(() ->
                    bad("--chip " + chipName + ": use auto, esp8266, esp32, esp32s2, esp32s3 or esp32c3"));
        }
        boolean resetBefore = switch (before) {
            case "default-reset" -> true;
            case "no-reset" -> false;
            default -> throw bad("--before " + before + ": use default-reset or no-reset");
        };
        FlashParams params = new FlashParams(lower(flashMode), flashSize, lower(flashFreq));
        return FlashOptions.defaults().withChip(chip).withBaud(baud).withCompress(!noCompress).withVerify(!noVerify)
                .withResetAfter(!noReset).withResetBefore(resetBefore).withConnectAttempts(connectAttempts)
                .withFlashParams(params);
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    private ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
