package org.mqttvpn.tools.ota;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mqttvpn.tools.CommandRun;
import org.mqttvpn.tools.cli.ExitCode;
import org.mqttvpn.tools.lab.NetworkLab;

/**
 * {@code toolkit ota} as a user runs it, against {@link EspotaDevice} on loopback: what it
 * prints, its exit codes, the password file's rules, and a DEVICE taken from an inventory
 * (address, port, password and image).
 */
class OtaCommandTest {
    @TempDir
    Path dir;

    private final List<EspotaDevice> devices = new ArrayList<>();

    @AfterEach
    void stopDevices() throws InterruptedException {
        for (EspotaDevice d : devices) {
            d.close();
        }
    }

    private EspotaDevice device(String address, int port) throws IOException {
        EspotaDevice d = new EspotaDevice(new InetSocketAddress(InetAddress.getByName(address), port));
        devices.add(d);
        return d;
    }

    private EspotaDevice device() throws IOException {
        return device("127.0.0.1", 0);
    }

    private Path file(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private Path image(int size) throws IOException {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return file("image-" + size + ".bin", b);
    }

    private Path passwordFile(String text) throws IOException {
        Path p = file("ota-" + text.hashCode() + ".pw", text.getBytes(StandardCharsets.UTF_8));
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        return p;
    }

    /** toolkit ota --address ... for the device, with these extra arguments. */
    private CommandRun ota(EspotaDevice d, Path image, Path password, String... extra) {
        List<String> args = new ArrayList<>(List.of("ota", "--address", d.address().getHostAddress(), "--port",
                Integer.toString(d.port()), "--image", image.toString(), "--password-file", password.toString()));
        args.addAll(Arrays.asList(extra));
        return CommandRun.of(args.toArray(String[]::new));
    }

    @Test
    void helpExplainsTheProtocolTheTwoWaysToNameADeviceRollbackAndEveryExitCode() {
        CommandRun r = CommandRun.of("ota", "--help");
        assertThat(r.exitCode()).isZero();
        String help = r.out().replaceAll("\\s+", " ");
        assertThat(help).contains("espota", "Arduino IDE", "--inventory", "--address", "--image", "--password-file",
                "--port", "--timeout", "--no-wait", "esp8266-arduino <project>/build/<device>.ino.bin, port 8266",
                "esp32-idf <project>/build/<device>.bin, port 3232", "host-sim the toolkit's own virtual device program,"
                        + " port 3232",
                "never goes on the command line", "regular file of at most 4 KB",
                "return to the previous image by themselves", "rollback timeout (120 s)",
                "The ESP8266 has no second slot to return to", "flashed by cable",
                "default: 150", "KB/s");
        for (int code : new int[] {20, 21, 22, 23, 24, 25, 26, 27}) {
            assertThat(help).contains(code + " ");
        }
    }

    @Test
    void anUpdatePrintsWhatTheDeviceRanTheRateAndWhatItCameBackWith() throws Exception {
        EspotaDevice d = device().start();
        Path img = image(200_000);
        CommandRun r = ota(d, img, passwordFile(d.password + "\n"), "--timeout", "10");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.OK);
        assertThat(r.out()).contains("ota: 127.0.0.1 port " + d.port() + "\n",
                "image: " + img + ", 200000 bytes\n", "device before: version 1.0.0, slot a\n",
                "waiting up to 10 s for 127.0.0.1 to come back\n");
        assertThat(r.out()).containsPattern("upload: 200000 bytes in [0-9]+\\.[0-9]{2} s, [0-9]+\\.[0-9] KB/s\n")
                .containsPattern("device after: version 1.1.0, slot b, back [0-9]+\\.[0-9] s after the upload\n")
                .containsPattern("done in [0-9]+\\.[0-9] s\n");
        assertThat(d.received).isEqualTo(Files.readAllBytes(img));
        assertThat(d.sha256Matched).isTrue();
    }

    @Test
    void aRollbackIsReportedWithTheOldVersionAndFails() throws Exception {
        EspotaDevice d = device();
        d.versionAfter = "1.0.0";
        d.slotAfter = "a";
        d.start();
        CommandRun r = ota(d, image(10_000), passwordFile(d.password), "--timeout", "5");
        assertThat(r.exitCode()).isEqualTo(ExitCode.OTA_ROLLED_BACK);
        assertThat(r.out()).containsPattern("device after: version 1.0.0, slot a, back [0-9.]+ s after the upload:"
                + " the OLD version \\(rolled back\\)");
        assertThat(r.err()).contains("came back with the OLD version (version 1.0.0, slot a, as before the upload)");
    }

    @Test
    void anEsp8266ThatRestartsWithTheSameVersionIsUpdatedAndOneThatNeverRestartsFails() throws Exception {
        EspotaDevice same = device();
        same.version = same.versionAfter = "1.0.0";
        same.slot = same.slotAfter = "-";
        // Silent longer than one version query's round (1 s), as a real restart (boot, Wi-Fi, broker) is:
        // with the same version on both sides only the silence tells the restart
        same.restartMillis = 2500;
        same.start();
        CommandRun r = ota(same, image(10_000), passwordFile(same.password), "--timeout", "20");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.OK);
        assertThat(r.out()).containsPattern("device after: version 1.0.0, slot \\(none\\), back [0-9.]+ s after the"
                + " upload \\(the version it had");

        EspotaDevice stuck = device();
        stuck.slot = "-";
        stuck.oldAnswersForMillis = 60_000;
        stuck.start();
        r = ota(stuck, image(10_000), passwordFile(stuck.password), "--timeout", "2");
        assertThat(r.exitCode()).isEqualTo(ExitCode.OTA_ROLLED_BACK);
        assertThat(r.err()).contains("still runs the version it had (version 1.0.0, slot (none)) and did not restart")
                .doesNotContain("rolled back", "previous one");
    }

    @Test
    void aDeviceThatDoesNotComeBackWithinTheTimeoutFails() throws Exception {
        EspotaDevice d = device();
        d.versionAfter = null;
        d.start();
        CommandRun r = ota(d, image(10_000), passwordFile(d.password), "--timeout", "1");
        assertThat(r.exitCode()).isEqualTo(ExitCode.OTA_NOT_BACK);
        assertThat(r.err()).contains("did not answer the version query within 1 s after the upload (version 1.0.0,"
                + " slot a before)");
    }

    @Test
    void withNoWaitItEndsAfterTheUploadAndSaysWhatTheDeviceNeeds() throws Exception {
        EspotaDevice d = device();
        d.versionAfter = null;
        d.start();
        CommandRun r = ota(d, image(10_000), passwordFile(d.password), "--no-wait");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.OK);
        assertThat(r.out()).contains("device after: not waited for (--no-wait)").contains("a ping")
                .doesNotContain("waiting up to");
    }

    @Test
    void aDeviceThatReportsNoVersionsIsUploadedToAndNotWaitedFor() throws Exception {
        EspotaDevice d = device();
        d.mqttvpn = false;
        d.start();
        CommandRun r = ota(d, image(10_000), passwordFile(d.password));
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.OK);
        assertThat(r.out()).contains("device before: does not report versions (not an mqttvpn receiver)",
                "device after: not waited for: the upload succeeded and the device restarts into the new image; it does"
                        + " not report versions").doesNotContain("waiting up to");
    }

    @Test
    void eachFailureOfTheProtocolHasItsExitCode() throws Exception {
        EspotaDevice wrong = device().start();
        assertThat(ota(wrong, image(1000), passwordFile("another password")).exitCode()).isEqualTo(ExitCode.OTA_AUTH_FAILED);

        EspotaDevice full = device();
        full.refuse = "Not Enough Space";
        full.start();
        CommandRun refused = ota(full, image(1000), passwordFile(full.password));
        assertThat(refused.exitCode()).isEqualTo(ExitCode.OTA_REFUSED);
        assertThat(refused.err()).contains("'ERR: Not Enough Space'");

        EspotaDevice cut = device();
        cut.cutAfter = 30_000;
        cut.start();
        assertThat(ota(cut, image(100_000), passwordFile(cut.password)).exitCode()).isEqualTo(ExitCode.OTA_TRANSFER_FAILED);

        EspotaDevice failing = device();
        failing.endError = "checksum";
        failing.start();
        CommandRun end = ota(failing, image(1000), passwordFile(failing.password));
        assertThat(end.exitCode()).isEqualTo(ExitCode.OTA_TRANSFER_FAILED);
        assertThat(end.err()).contains("'ERROR: checksum'");

        int closed;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        CommandRun none = CommandRun.of("ota", "--address", "127.0.0.1", "--port", Integer.toString(closed), "--image",
                image(1000).toString(), "--password-file", passwordFile("pw").toString());
        assertThat(none.exitCode()).isEqualTo(ExitCode.OTA_NO_ANSWER);
        assertThat(none.err()).startsWith("error: nothing listens on UDP port " + closed);
    }

    @Test
    void anImageThatCannotBeReadFailsBeforeAnythingIsSent() throws Exception {
        EspotaDevice d = device().start();
        CommandRun r = ota(d, dir.resolve("missing.bin"), passwordFile(d.password));
        assertThat(r.exitCode()).isEqualTo(ExitCode.OTA_IMAGE_UNREADABLE);
        assertThat(r.err()).contains("the image " + dir.resolve("missing.bin") + " does not exist");
        assertThat(d.datagrams).isEmpty();
    }

    @Test
    @Timeout(60) // a file that blocks when read (a FIFO) must be refused, not read
    void thePasswordIsTheFirstLineOfARegularFileOfAtMost4KB() throws Exception {
        EspotaDevice d = device().start();
        Path img = image(1000);
        // the first line only, CRLF or not; what follows is not part of it
        assertThat(ota(d, img, passwordFile(d.password + "\r\nnot the password\n"), "--no-wait").exitCode())
                .isEqualTo(ExitCode.OK);

        int sent = d.datagrams.size();
        CommandRun missing = CommandRun.of("ota", "--address", "127.0.0.1", "--port", Integer.toString(d.port()),
                "--image", img.toString());
        assertThat(missing.exitCode()).isEqualTo(ExitCode.OTA_NO_PASSWORD);
        assertThat(missing.err()).contains("no OTA password given: --password-file FILE");

        assertPasswordRefused(d, img, dir.resolve("nope.pw"), "does not exist");
        assertPasswordRefused(d, img, Files.createDirectories(dir.resolve("pwdir")), "is a directory");
        assertPasswordRefused(d, img, passwordFile("\nsecond line\n"), "--password-file: the first line of ");
        assertPasswordRefused(d, img, passwordFile("x".repeat(4097)), "is longer than 4096 bytes");
        Path fifo = dir.resolve("pw.fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mkfifo.exitValue()).isZero();
        assertPasswordRefused(d, img, fifo, "is not a regular file");
        assertThat(d.datagrams).as("nothing sent with a refused password file").hasSize(sent);

        Path open = passwordFile(d.password);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        CommandRun warned = ota(d, img, open, "--no-wait");
        assertThat(warned.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(warned.err()).contains("warning: --password-file " + open + " is readable by other users: chmod 600");
    }

    private void assertPasswordRefused(EspotaDevice d, Path img, Path passwordFile, String why) {
        CommandRun r = ota(d, img, passwordFile);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.OTA_NO_PASSWORD);
        assertThat(r.err()).contains(why);
    }

    @Test
    void flagsThatDoNotGoTogetherAreUsageErrors() throws Exception {
        assertThat(CommandRun.of("ota").exitCode()).isEqualTo(ExitCode.USAGE);
        CommandRun both = CommandRun.of("ota", "sensor", "--address", "10.0.1.5");
        assertThat(both.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(both.err()).contains("DEVICE names the device's address, image, password and port");
        Path img = image(10);
        Path pw = passwordFile("pw");
        assertThat(CommandRun.of("ota", "--address", "10.0.1.5", "--image", img.toString(), "--password-file",
                pw.toString(), "--port", "70000").exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(CommandRun.of("ota", "--address", "10.0.1.5", "--image", img.toString(), "--password-file",
                pw.toString(), "--timeout", "0").exitCode()).isEqualTo(ExitCode.USAGE);
    }

    // ---- DEVICE from an inventory

    static final String INVENTORY = """
            network:
              name: lab
              subnet: 127.77.0.0/24
              broker: tcp://127.0.0.1:1883
              key: none
              ota_password: file:ota.pw
            devices:
              - name: sensor
                platform: esp8266-arduino
                address: 127.77.0.10
                wifi: {ssid: lab}
              - name: gw
                platform: esp32-idf
                address: 127.77.0.11
                wifi: {ssid: lab}
                ota_password: generate
              - name: virtual
                platform: host-sim
                address: 127.77.0.12
              - name: quiet
                platform: esp8266-arduino
                address: 127.77.0.13
                wifi: {ssid: lab}
                ota: false
            """;

    /** The inventory rendered by gen, with the ESP-IDF component gen needs standing in as a small zip. */
    private Path renderedInventory(String text) throws IOException {
        Path inv = Files.writeString(dir.resolve("network.yaml"), text);
        Files.writeString(dir.resolve("ota.pw"), "network ota password\n");
        Path component = dir.resolve("mqtt_vpn.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(component))) {
            zip.putNextEntry(new ZipEntry("include/mqtt_vpn.h"));
            zip.write("/* stand-in */\n".getBytes(StandardCharsets.US_ASCII));
            zip.closeEntry();
        }
        CommandRun gen = CommandRun.of("gen", inv.toString(), "--component", component.toString());
        assertThat(gen.exitCode()).as(gen.err()).isZero();
        return inv;
    }

    private Path built(String path, int size) throws IOException {
        Path p = dir.resolve("out").resolve(path);
        Files.createDirectories(p.getParent());
        byte[] b = new byte[size];
        new Random(path.hashCode()).nextBytes(b);
        return Files.write(p, b);
    }

    @Test
    void aDeviceOfTheInventoryGetsItsBuildAtItsVpnAddressOnItsPlatformsPortWithItsPassword() throws Exception {
        Path inv = renderedInventory(INVENTORY);
        Path sketch = built("sensor/build/sensor.ino.bin", 30_000);
        Path app = built("gw/build/gw.bin", 40_000);

        EspotaDevice esp8266 = device("127.77.0.10", 8266);
        esp8266.password = "network ota password";
        // The Arduino library's receiver: no slots ("-"), the running sketch's MD5 as its version
        esp8266.version = "sketch-3f2a9c01d4e7";
        esp8266.slot = "-";
        esp8266.versionAfter = "sketch-0b5d17e2a4c9";
        esp8266.slotAfter = "-";
        esp8266.start();
        CommandRun r = CommandRun.of("ota", "sensor", "--inventory", inv.toString(), "--timeout", "10");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.OK);
        assertThat(r.out()).contains("ota: sensor at 127.77.0.10 port 8266",
                "device after: version sketch-0b5d17e2a4c9, slot (none)");
        assertThat(esp8266.received).isEqualTo(Files.readAllBytes(sketch));
        assertThat(esp8266.sha256Matched).isTrue();

        EspotaDevice esp32 = device("127.77.0.11", 3232);
        esp32.password = Files.readString(dir.resolve("lab.gw.ota-password")).trim();
        esp32.start();
        CommandRun r2 = CommandRun.of("ota", "gw", "--inventory", inv.toString(), "--timeout", "10");
        assertThat(r2.exitCode()).as(r2.err()).isEqualTo(ExitCode.OK);
        assertThat(r2.out()).contains("ota: gw at 127.77.0.11 port 3232", "device after: version 1.1.0, slot b");
        assertThat(esp32.received).isEqualTo(Files.readAllBytes(app));
        assertThat(esp32.sha256Matched).isTrue();
    }

    @Test
    void aDeviceWithoutOtaOrWithoutABuildOrUnknownIsRefusedWithWhatToDo() throws Exception {
        Path inv = renderedInventory(INVENTORY);
        CommandRun off = CommandRun.of("ota", "quiet", "--inventory", inv.toString());
        assertThat(off.exitCode()).isEqualTo(ExitCode.OTA_NO_PASSWORD);
        assertThat(off.err()).contains("device 'quiet' has OTA turned off (ota: false at " + inv + ":24:")
                .contains("toolkit build quiet and toolkit flash quiet once by cable");

        CommandRun notBuilt = CommandRun.of("ota", "sensor", "--inventory", inv.toString());
        assertThat(notBuilt.exitCode()).isEqualTo(ExitCode.OTA_IMAGE_UNREADABLE);
        assertThat(notBuilt.err()).contains("device 'sensor' is not built (no "
                + dir.resolve("out/sensor/build/sensor.ino.bin") + "): build it with toolkit build sensor");

        CommandRun unknown = CommandRun.of("ota", "sensr", "--inventory", inv.toString());
        assertThat(unknown.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(unknown.err()).contains("device 'sensr' is not in");

        Path bare = renderedInventory(INVENTORY.replace("  ota_password: file:ota.pw\n", ""));
        CommandRun none = CommandRun.of("ota", "sensor", "--inventory", bare.toString());
        assertThat(none.exitCode()).isEqualTo(ExitCode.OTA_NO_PASSWORD);
        assertThat(none.err()).contains("device 'sensor' has no OTA password: add ota_password: generate to network:");
    }

    // ---- in child processes: the environment names the virtual device program

    record Result(int code, String output) {
    }

    private Result toolkit(List<String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(NetworkLab.javaCommand());
        cmd.add("org.mqttvpn.tools.Main");
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("XDG_CACHE_HOME", dir.resolve("cache").toString());
        for (int i = 0; i < env.size(); i += 2) {
            pb.environment().put(env.get(i), env.get(i + 1));
        }
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    private Path fakeSim(String body) throws IOException {
        Path sim = Files.writeString(dir.resolve("fake-sim"), "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(sim, PosixFilePermissions.fromString("rwx------"));
        return sim;
    }

    @Test
    void aVirtualDeviceGetsTheToolkitsOwnSimProgram() throws Exception {
        Path inv = renderedInventory(INVENTORY);
        Path sim = fakeSim("echo 'stands for mqttvpn-sim'");
        EspotaDevice virtual = device("127.77.0.12", 3232);
        virtual.password = "network ota password";
        virtual.start();
        Result r = toolkit(List.of("MQTTVPN_SIM", sim.toString()), "ota", "virtual", "--inventory", inv.toString(),
                "--timeout", "10");
        assertThat(r.code()).as(r.output()).isZero();
        assertThat(r.output()).contains("image: " + sim + ", ");
        assertThat(virtual.received).isEqualTo(Files.readAllBytes(sim));
    }

    @Test
    void simPassesTheOtaOptionsToTheVirtualDeviceAsTheyAre() throws Exception {
        Path sim = fakeSim("for a in \"$@\"; do echo \"arg: $a\"; done");
        Result r = toolkit(List.of("MQTTVPN_SIM", sim.toString()), "sim", "--state-dir", "/tmp/s", "--ota-password-file",
                "ota.password", "--ota-port", "4000", "--rollback-timeout", "30", "--version");
        assertThat(r.code()).as(r.output()).isZero();
        assertThat(r.output()).isEqualTo("arg: --state-dir\narg: /tmp/s\narg: --ota-password-file\narg: ota.password\n"
                + "arg: --ota-port\narg: 4000\narg: --rollback-timeout\narg: 30\narg: --version\n");
    }
}
