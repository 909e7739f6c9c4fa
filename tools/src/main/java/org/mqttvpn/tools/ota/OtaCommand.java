package org.mqttvpn.tools.ota;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.mqttvpn.host.secret.SecretFile;
import org.mqttvpn.host.secret.SecretFileException;
import org.mqttvpn.tools.build.InventoryOptions;
import org.mqttvpn.tools.cli.ExitCode;
import org.mqttvpn.tools.cli.ToolkitException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code toolkit ota}: updates a device's firmware through the VPN with the espota protocol. */
@Command(
        name = "ota",
        header = "Update a device's firmware through the VPN (espota, as the Arduino IDE and espota.py).",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Upload a firmware image to a device through the VPN with the espota protocol of the Arduino IDE,"
                    + " espota.py and ArduinoOTA (firmware/common/OTA-PROTOCOL.md):",
            "  1. an invitation over UDP to the device's OTA port; it answers with a",
            "     challenge;",
            "  2. the response made with the OTA password (for mqttvpn's receivers also",
            "     the image's SHA-256, bound to the password);",
            "  3. the device connects back over TCP and the image streams to it as fast",
            "     as TCP takes it (not chunk by chunk): a progress bar with the rate and",
            "     the time left on a terminal, a line every 5 s otherwise;",
            "  4. the device checks the image (MD5, and SHA-256 on mqttvpn's receivers),",
            "     answers OK and restarts into it.",
            "",
            "With DEVICE, everything comes from the inventory: the device's VPN address, its OTA password"
                    + " (ota_password, its own or the network's: codegen/INVENTORY.md), the image its last toolkit"
                    + " build made and its platform's port:",
            "  esp8266-arduino  <project>/build/<device>.ino.bin, port 8266",
            "  esp32-idf        <project>/build/<device>.bin, port 3232",
            "  host-sim         the toolkit's own virtual device program, port 3232",
            "Without DEVICE, give --address, --image and --password-file (and --port: 3232 unless told, 8266 for"
                    + " an ESP8266). The password never goes on the command line, where ps shows it:"
                    + " --password-file names a regular file of at most 4 KB whose first line is the password.",
            "",
            "mqttvpn's receivers (esp8266-arduino, esp32-idf and host-sim devices) report their version and"
                    + " slot (an ESP8266 has none; its version is the sketch's MD5 unless the sketch sets one): toolkit ota"
                    + " shows them before the upload, then waits (--timeout) until the device answers again and"
                    + " shows the version and slot it came back with. A new image counts only once it has rejoined"
                    + " the VPN (the version queries are the packets that tell it so): esp32-idf and host-sim"
                    + " devices return to the previous image by themselves when it does not within their rollback"
                    + " timeout (120 s), and toolkit ota then reports the OLD version and fails. The ESP8266 has no"
                    + " second slot to return to: an image that cannot rejoin the VPN stays on it until it is"
                    + " flashed by cable (toolkit flash). ArduinoOTA devices report no versions:"
                    + " toolkit ota says that the upload succeeded, and does not wait.",
            ""},
        footer = {
            "",
            "Output: 'device before: version V, slot S', 'upload: N bytes in T s, R KB/s' (1 KB = 1024 bytes,"
                    + " from the device's connection to its OK), 'device after: version V, slot S, back T s after"
                    + " the upload', 'done in T s'.",
            "",
            "Examples:",
            "  toolkit build sensor-1 && toolkit ota sensor-1",
            "  toolkit ota gw --inventory ~/vpn/network.yaml -o ~/vpn/out",
            "  toolkit ota --address 10.0.1.7 --port 8266 --image sketch.ino.bin \\",
            "      --password-file ota.pw",
            "",
            "Exit codes:",
            "  0  updated (or uploaded, where the device reports no version)",
            "  1  another failure",
            "  2  bad flags or inventory",
            "  4  the virtual device program is missing",
            "  20 no answer to the invitation: the device is not reachable through the",
            "     VPN, its firmware has no OTA, or the port is wrong",
            "  21 wrong password",
            "  22 the device refused the image (ERR: ...)",
            "  23 transfer failed: no connection back, connection cut or stalled, or",
            "     ERROR: ... at the end",
            "  24 image missing or unreadable (or not built yet)",
            "  25 no usable password: --password-file, or none in the inventory",
            "  26 the device did not come back within --timeout",
            "  27 it came back with its OLD version (rolled back; an ESP8266: it never restarted)"})
public final class OtaCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DEVICE",
            description = "A device of the network inventory: address, password, image and port come from there.")
    String device;

    @Mixin
    InventoryOptions projects;

    @Option(names = "--address", paramLabel = "IP",
            description = "Without DEVICE: the device's VPN address.")
    String address;

    @Option(names = "--image", paramLabel = "FILE",
            description = "Without DEVICE: the firmware image file to upload.")
    Path image;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "Without DEVICE: a file whose first line is the device's OTA password.")
    Path passwordFile;

    @Option(names = "--port", paramLabel = "N",
            description = "Without DEVICE: the device's OTA port (default: 3232, ESP-IDF's and host-sim's;"
                    + " an ESP8266's is 8266).")
    Integer port;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "150",
            description = "How long to wait for an mqttvpn device to come back after the upload (default:"
                    + " ${DEFAULT-VALUE}, longer than the devices' 120 s rollback timeout).")
    int timeoutSeconds;

    @Option(names = "--no-wait",
            description = "Do not wait for the device to come back. Then something must reach it through the VPN"
                    + " (a ping) within its rollback timeout, or an esp32-idf or host-sim device returns to the"
                    + " previous image.")
    boolean noWait;

    @Option(names = "--answer-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "How long the device has to answer the invitation and the password and to connect back"
                    + " (default: ${DEFAULT-VALUE}, as espota.py).")
    int answerSeconds;

    /** How often a line shows progress where there is no terminal. */
    static final long PROGRESS_LINE_NANOS = TimeUnit.SECONDS.toNanos(5);

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
            throw ToolkitException.usage("--timeout " + timeoutSeconds + ": give 1 to 3600 seconds");
        }
        if (answerSeconds < 1 || answerSeconds > 600) {
            throw ToolkitException.usage("--answer-timeout " + answerSeconds + ": give 1 to 600 seconds");
        }
        OtaTarget target = device != null ? deviceTarget() : givenTarget();
        OtaImage firmware = OtaImage.read(target.image(), target.hint());
        PrintWriter out = spec.commandLine().getOut();
        String at = target.address().getHostAddress() + " port " + target.port();
        out.println("ota: " + (target.platform() == null ? at : target.label() + " at " + at));
        out.println("image: " + firmware.path() + ", " + firmware.size() + " bytes");
        out.flush();

        EspotaUploader.Timing timing = new EspotaUploader.Timing(Duration.ofSeconds(answerSeconds),
                EspotaUploader.Timing.DEFAULT.idle(), EspotaUploader.Timing.DEFAULT.poll());
        EspotaUploader uploader = new EspotaUploader(target.address(), target.port(), timing);
        OtaProgress progress = new OtaProgress(System.console() != null, out, System.out, PROGRESS_LINE_NANOS);
        EspotaUploader.Upload upload = uploader.upload(firmware, target.password(), progress);
        out.println(String.format(Locale.ROOT, "upload: %d bytes in %.2f s, %.1f KB/s", upload.bytes(),
                seconds(upload.transfer()), upload.kilobytesPerSecond()));
        try {
            if (!upload.mqttvpn()) {
                out.println("device after: not waited for: the upload succeeded and the device restarts into the new"
                        + " image; it does not report versions");
                return ExitCode.OK;
            }
            if (noWait) {
                out.println("device after: not waited for (--no-wait): it restarts into the new image, which must"
                        + " receive a packet through the VPN (a ping) within its rollback timeout, or it returns to"
                        + " the previous one");
                return ExitCode.OK;
            }
            out.println("waiting up to " + timeoutSeconds + " s for " + target.label() + " to come back");
            out.flush();
            return comeBack(uploader.awaitComeBack(upload.before(), Duration.ofSeconds(timeoutSeconds)), upload, target,
                    out);
        } finally {
            out.println(String.format(Locale.ROOT, "done in %.1f s", (System.nanoTime() - start) / 1e9));
            out.flush();
        }
    }

    private int comeBack(EspotaUploader.ComeBack back, EspotaUploader.Upload upload, OtaTarget target, PrintWriter out) {
        String after = String.format(Locale.ROOT, "back %.1f s after the upload", seconds(back.after()));
        switch (back.outcome()) {
            case UPDATED -> {
                out.println("device after: " + back.version().describe() + ", " + after);
                return ExitCode.OK;
            }
            case BACK_BEFORE_UNKNOWN -> {
                out.println("device after: " + back.version().describe() + ", " + after + " (what it ran before is"
                        + " unknown: it did not answer the version query then, so a return to the old image cannot be"
                        + " told apart)");
                return ExitCode.OK;
            }
            case SAME_VERSION -> {
                out.println("device after: " + back.version().describe() + ", " + after + " (the version it had: the"
                        + " device has no slots to tell images apart by, and the new image reports the same version;"
                        + " a sketch that sets firmwareVersion must change it to tell its builds apart)");
                return ExitCode.OK;
            }
            case ROLLED_BACK -> {
                if (back.version().slot().isEmpty()) {
                    out.flush();
                    // Without slots (the ESP8266) a same-version answer with no silence first means no restart
                    throw new ToolkitException(ExitCode.OTA_ROLLED_BACK, target.label() + " still runs the version it"
                            + " had (" + back.version().describe() + ") and did not restart within " + timeoutSeconds
                            + " s of the upload: it did not stage the image (see its log: serial console), or it"
                            + " restarts later than that (a longer --timeout waits more)");
                }
                out.println("device after: " + back.version().describe() + ", " + after + ": the OLD version (rolled back)");
                out.flush();
                throw new ToolkitException(ExitCode.OTA_ROLLED_BACK, target.label() + " came back with the OLD version ("
                        + back.version().describe() + ", as before the upload): the new image was written, but it did"
                        + " not rejoin the VPN within the device's rollback timeout (or it failed to start), and the"
                        + " device returned to the previous one; check the new image's settings (Wi-Fi, broker, key)"
                        + " and its log (serial console; host-sim: its output)");
            }
            default -> {
                out.flush();
                throw new ToolkitException(ExitCode.OTA_NOT_BACK, target.label() + " did not answer the version query"
                        + " within " + timeoutSeconds + " s after the upload" + (upload.before() == null ? ""
                        : " (" + upload.before().describe() + " before)") + ": it may still be starting (ping it in a"
                        + " while; a longer --timeout waits more), or neither the"
                        + " new image nor the old one rejoined the VPN; check its log (serial console; host-sim: its"
                        + " output)");
            }
        }
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    /** The device from the inventory; the by-hand options do not mix with it. */
    OtaTarget deviceTarget() {
        if (address != null || image != null || passwordFile != null || port != null) {
            throw ToolkitException.usage("DEVICE names the device's address, image, password and port: leave out"
                    + " --address, --image, --password-file and --port (or leave out DEVICE and give them all)");
        }
        return OtaTarget.ofDevice(projects, device);
    }

    /** The target from --address, --image, --password-file and --port. */
    OtaTarget givenTarget() {
        if (address == null || image == null) {
            throw ToolkitException.usage("name a device of the inventory (toolkit ota DEVICE), or give --address IP"
                    + " and --image FILE (with --password-file FILE)");
        }
        int p = port == null ? OtaTarget.DEFAULT_PORT : port;
        if (p < 1 || p > 65535) {
            throw ToolkitException.usage("--port " + p + ": give 1 to 65535 (8266 for an ESP8266, 3232 for ESP-IDF and"
                    + " host-sim)");
        }
        InetAddress ip;
        try {
            ip = InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw ToolkitException.usage("--address " + address + " is not an IP address (nor a host name this machine"
                    + " knows): give the device's VPN address, like 10.0.1.7");
        }
        return new OtaTarget(ip.getHostAddress(), ip, p, image, null, password(), null);
    }

    /** The password from --password-file, read as every secret file is (never from the command line, where ps shows it). */
    private String password() {
        if (passwordFile == null) {
            throw noPassword("no OTA password given: --password-file FILE, a file whose first line is"
                    + " the device's OTA password (never the password itself on the command line, where ps shows it)");
        }
        String password;
        try {
            password = SecretFile.read(passwordFile);
        } catch (SecretFileException e) {
            throw noPassword("--password-file: " + e.getMessage());
        }
        if (SecretFile.othersCanRead(passwordFile)) {
            PrintWriter warnings = spec.commandLine().getErr();
            warnings.println("warning: --password-file " + passwordFile + " is readable by other users: chmod 600 "
                    + passwordFile);
            warnings.flush();
        }
        return password;
    }

    private static ToolkitException noPassword(String message) {
        return new ToolkitException(ExitCode.OTA_NO_PASSWORD, message);
    }
}
