package org.mqttvpn.tools.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mqttvpn.tools.cli.ExitCode;
import org.mqttvpn.tools.demo.StatusPage;
import org.mqttvpn.tools.lab.LabProcess;
import org.mqttvpn.tools.lab.NetworkLab;
import org.mqttvpn.tools.lab.Ping;
import org.mqttvpn.tools.lab.Shell;
import org.mqttvpn.tools.lab.TcpTransfer;

/**
 * Firmware updates through the tunnel (firmware/common/OTA-PROTOCOL.md): the Java host daemon in
 * namespace a, a virtual device with two image slots (toolkit sim --state-dir) in namespace b,
 * mosquitto between them, {@code toolkit ota} (and a second uploader written from the protocol
 * text, {@link EspotaTestUploader}) in namespace a. The images are host-sim's test images
 * (firmware/host-sim/build/ota): v2 (1.5 MB, another version) and nojoin (can never rejoin).
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class OtaSystemTest {
    private static final Path OTA_IMAGES = Path.of("../firmware/host-sim/build/ota").toAbsolutePath().normalize();
    private static final Path V2 = OTA_IMAGES.resolve("mqttvpn-sim-v2");
    private static final Path NOJOIN = OTA_IMAGES.resolve("mqttvpn-sim-nojoin");
    private static final String DEVICE = "10.0.1.2";
    private static final Pattern UPLOAD = Pattern.compile("upload: (\\d+) bytes in ([0-9.]+) s, ([0-9.]+) KB/s");

    /** A lab with the host's daemon up and a virtual device with a state dir and an OTA password. */
    private static final class Lab implements AutoCloseable {
        final TunnelLab t;
        final Path key;
        final Path password;
        final Path stateDir;
        LabProcess device;

        Lab(String... deviceArgs) throws Exception {
            t = new TunnelLab().withMosquitto();
            key = t.lab.writeRandomKey("vpn.key");
            password = secretFile("ota.password", "open sesame, but longer");
            stateDir = t.lab.dir().resolve("device-state");
            t.startA("--key-file", key.toString());
            startDevice(deviceArgs);
        }

        Path secretFile(String name, String text) throws IOException {
            Path f = t.lab.dir().resolve(name);
            Files.writeString(f, text + "\n");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
            return f;
        }

        void startDevice(String... extra) throws Exception {
            List<String> args = new ArrayList<>(List.of("sim", "--broker", t.b.brokerUri(TunnelLab.PORT),
                    "--address", DEVICE, "--address6", "fd00::2", "--key-file", key.toString(),
                    "--state-dir", stateDir.toString(), "--ota-password-file", password.toString()));
            args.addAll(List.of(extra));
            device = t.lab.startToolkit(t.b.ns(), "device", args);
            device.awaitLog("connected to broker", 20_000);
            assertThat(Ping.awaitReply(t.a.ns(), DEVICE, 15)).as("the device answers").isTrue();
        }

        /** {@code toolkit ota --address 10.0.1.2 args...} in namespace a, to the end. */
        Shell.Result ota(long timeoutSeconds, String... args) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(NetworkLab.javaCommand());
            cmd.addAll(List.of("org.mqttvpn.tools.Main", "ota", "--address", DEVICE));
            cmd.addAll(List.of(args));
            Shell.Result r = t.a.ns().run(timeoutSeconds, cmd.toArray(new String[0]));
            System.out.println(r.output().strip().indent(4));
            return r;
        }

        Map<String, String> page() throws IOException, InterruptedException {
            Shell.Result r = t.a.ns().run(30, "curl", "-sS", "--max-time", "10", "http://" + DEVICE + "/");
            assertThat(r.exitCode()).as("the device's status page: %s", r.output()).isZero();
            return StatusPage.rows(r.output());
        }

        /** Polls the status page until its slot row starts with slot (a new image is on probation first). */
        Map<String, String> awaitSlot(char slot, long timeoutMs) throws Exception {
            long end = System.currentTimeMillis() + timeoutMs;
            Map<String, String> rows = Map.of();
            while (System.currentTimeMillis() < end) {
                Shell.Result r = t.a.ns().run(30, "curl", "-sS", "--max-time", "3", "http://" + DEVICE + "/");
                if (r.exitCode() == 0) {
                    rows = StatusPage.rows(r.output());
                    if (rows.getOrDefault("slot", "").equals(String.valueOf(slot))) {
                        return rows;
                    }
                }
                Thread.sleep(300);
            }
            throw new AssertionError("the device did not run slot " + slot + " (confirmed) within " + timeoutMs
                    + " ms; last page: " + rows + "\ndevice log:\n" + device.log());
        }

        @Override
        public void close() {
            t.close();
        }
    }

    /** What an image says it is ({@code mqttvpn-sim --version}: "mqttvpn-sim VERSION"). */
    private static String version(Path image) throws IOException, InterruptedException {
        String[] words = Shell.check(List.of(image.toString(), "--version")).strip().split(" ");
        return words[words.length - 1];
    }

    @Test
    void aMegabyteAndAHalfImageGoesThroughTheTunnelAndTheDeviceComesBackWithIt() throws Exception {
        try (Lab lab = new Lab()) {
            Map<String, String> before = lab.awaitSlot('a', 10_000);
            String v2 = version(V2);
            assertThat(before.get("version")).isNotEqualTo(v2);
            assertThat(Files.size(V2)).isGreaterThanOrEqualTo(1_000_000);

            Shell.Result r = lab.ota(180, "--image", V2.toString(), "--password-file", lab.password.toString());
            assertThat(r.exitCode()).as(r.output()).isZero();
            Matcher m = UPLOAD.matcher(r.output());
            assertThat(m.find()).as(r.output()).isTrue();
            assertThat(Long.parseLong(m.group(1))).isEqualTo(Files.size(V2));
            System.out.printf("OTA of %d bytes through the tunnel: %s s, %s KB/s%n", Files.size(V2), m.group(2), m.group(3));
            assertThat(r.output()).contains("device before: version " + before.get("version") + ", slot a")
                    .contains("device after: version " + v2 + ", slot b");

            Map<String, String> after = lab.awaitSlot('b', 30_000);
            assertThat(after.get("version")).isEqualTo(v2);
            assertThat(TcpTransfer.sha256(lab.stateDir.resolve("slot-b"))).isEqualTo(TcpTransfer.sha256(V2));
            assertThat(lab.device.isAlive()).as("the same process, exec'ed into the new image").isTrue();
            Ping.Result p = Ping.run(lab.t.a.ns(), DEVICE, 3, 0.2);
            assertThat(p.allAnswered()).as(p.output()).isTrue();
        }
    }

    @Test
    void aWrongPasswordIsRefusedAndNothingIsWritten() throws Exception {
        try (Lab lab = new Lab()) {
            Path wrong = lab.secretFile("wrong.password", "not the password");
            Shell.Result r = lab.ota(60, "--image", V2.toString(), "--password-file", wrong.toString());
            assertThat(r.exitCode()).as(r.output()).isEqualTo(ExitCode.OTA_AUTH_FAILED);
            assertThat(lab.stateDir.resolve("slot-b")).doesNotExist();
            Map<String, String> page = lab.page();
            assertThat(page.get("slot")).isEqualTo("a");
            assertThat(page.get("ota_auth_failed")).isEqualTo("1");
            assertThat(page.get("ota_completed")).isEqualTo("0");
            assertThat(Ping.run(lab.t.a.ns(), DEVICE, 3, 0.2).allAnswered()).isTrue();
        }
    }

    @Test
    void anUploaderKilledMidwayLeavesTheOldImageRunningAndALaterUpdateSucceeds() throws Exception {
        try (Lab lab = new Lab()) {
            String v1 = lab.awaitSlot('a', 10_000).get("version");
            // Slow the host's uplink (it carries the image towards the broker) so that the
            // transfer takes seconds and can be cut in the middle.
            lab.t.a.ns().exec("tc", "qdisc", "add", "dev", "uplink", "root", "tbf", "rate", "3mbit", "burst", "32kbit",
                    "latency", "400ms");
            List<String> cmd = new ArrayList<>(List.of("ota", "--address", DEVICE, "--image", V2.toString(),
                    "--password-file", lab.password.toString()));
            LabProcess uploader = lab.t.lab.startToolkit(lab.t.a.ns(), "ota-cut", cmd);
            long received = awaitReceiving(lab, 200_000, 60_000);
            uploader.kill();
            System.out.printf("uploader killed after the device had %d of %d bytes%n", received, Files.size(V2));
            assertThat(received).isLessThan(Files.size(V2));
            lab.t.a.ns().exec("tc", "qdisc", "del", "dev", "uplink", "root");
            Map<String, String> page = awaitIdle(lab, 30_000);
            assertThat(page.get("ota_failed")).isEqualTo("1");
            assertThat(page.get("ota_completed")).isEqualTo("0");
            assertThat(page.get("version")).isEqualTo(v1);
            assertThat(page.get("slot")).isEqualTo("a");
            assertThat(lab.stateDir.resolve("slot-b")).doesNotExist();

            Shell.Result r = lab.ota(180, "--image", V2.toString(), "--password-file", lab.password.toString());
            assertThat(r.exitCode()).as(r.output()).isZero();
            assertThat(lab.awaitSlot('b', 30_000).get("version")).isEqualTo(version(V2));
        }
    }

    @Test
    void aCorruptedImageIsRefusedByTheReceiverAndAnUploaderWrittenFromTheProtocolTextThenSucceeds() throws Exception {
        try (Lab lab = new Lab()) {
            String v1 = lab.awaitSlot('a', 10_000).get("version");
            Shell.Result bad = testUploader(lab, "--wrong-md5");
            assertThat(bad.exitCode()).as(bad.output()).isEqualTo(1);
            assertThat(bad.output()).contains("result: ERROR from the device: ERROR");
            Map<String, String> page = lab.page();
            assertThat(page.get("version")).isEqualTo(v1);
            assertThat(page.get("ota_failed")).isEqualTo("1");
            assertThat(lab.stateDir.resolve("slot-b")).doesNotExist();
            assertThat(Ping.run(lab.t.a.ns(), DEVICE, 3, 0.2).allAnswered()).isTrue();

            Shell.Result good = testUploader(lab);
            assertThat(good.exitCode()).as(good.output()).isZero();
            Map<String, String> after = lab.awaitSlot('b', 30_000);
            assertThat(after.get("version")).isEqualTo(version(V2));
            assertThat(TcpTransfer.sha256(lab.stateDir.resolve("slot-b"))).isEqualTo(TcpTransfer.sha256(V2));
        }
    }

    @Test
    void anImageThatCannotRejoinIsRolledBackWithinTheTimeoutAndTheDeviceAnswersAgain() throws Exception {
        try (Lab lab = new Lab("--rollback-timeout", "10")) {
            String v1 = lab.awaitSlot('a', 10_000).get("version");
            long t0 = System.nanoTime();
            Shell.Result r = lab.ota(120, "--image", NOJOIN.toString(), "--password-file", lab.password.toString(),
                    "--timeout", "60");
            long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
            assertThat(r.exitCode()).as(r.output()).isEqualTo(ExitCode.OTA_ROLLED_BACK);
            assertThat(r.output()).contains("OLD version");
            assertThat(seconds).as("rolled back within the 10 s timeout plus the upload").isLessThan(60);
            assertThat(lab.device.log()).contains("did not rejoin");
            Map<String, String> page = lab.awaitSlot('a', 20_000);
            assertThat(page.get("version")).isEqualTo(v1);
            assertThat(Ping.run(lab.t.a.ns(), DEVICE, 3, 0.2).allAnswered()).isTrue();
        }
    }

    private static Shell.Result testUploader(Lab lab, String... extra) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(NetworkLab.javaCommand());
        cmd.addAll(List.of(EspotaTestUploader.class.getName(), DEVICE, "3232", lab.password.toString(), V2.toString()));
        cmd.addAll(List.of(extra));
        Shell.Result r = lab.t.a.ns().run(120, cmd.toArray(new String[0]));
        System.out.println(r.output().strip().indent(4));
        return r;
    }

    /** Polls the device's page until it is receiving and has more than bytes; returns how many it has. */
    private static long awaitReceiving(Lab lab, long bytes, long timeoutMs) throws Exception {
        long end = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < end) {
            Shell.Result r = lab.t.a.ns().run(10, "curl", "-sS", "--max-time", "2", "http://" + DEVICE + "/");
            Map<String, String> rows = StatusPage.rows(r.output());
            long got = Long.parseLong(rows.getOrDefault("ota_last_received", "0"));
            if (rows.getOrDefault("ota", "").contains("receiving") && got >= bytes) {
                return got;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the device did not start receiving within " + timeoutMs + " ms:\n" + lab.device.log());
    }

    /** Polls the device's page until no transfer is under way. */
    private static Map<String, String> awaitIdle(Lab lab, long timeoutMs) throws Exception {
        long end = System.currentTimeMillis() + timeoutMs;
        Map<String, String> rows = Map.of();
        while (System.currentTimeMillis() < end) {
            Shell.Result r = lab.t.a.ns().run(10, "curl", "-sS", "--max-time", "2", "http://" + DEVICE + "/");
            if (r.exitCode() == 0) {
                rows = StatusPage.rows(r.output());
                if (!rows.getOrDefault("ota", "receiving").contains("receiving")) {
                    return rows;
                }
            }
            Thread.sleep(300);
        }
        throw new AssertionError("the transfer did not end within " + timeoutMs + " ms; last page " + rows);
    }
}
