package org.mqttvpn.tools.ota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqttvpn.tools.cli.ExitCode;
import org.mqttvpn.tools.cli.ToolkitException;

/**
 * The uploader against a device's end of espota written from OTA-PROTOCOL.md
 * ({@link EspotaDevice}), on loopback: both kinds of device, every way an upload can end, and
 * what the device comes back with.
 */
class EspotaUploaderTest {
    static final EspotaUploader.Timing FAST = new EspotaUploader.Timing(Duration.ofMillis(1500), Duration.ofSeconds(3),
            Duration.ofMillis(100));

    @TempDir
    Path dir;

    private final List<EspotaDevice> devices = new ArrayList<>();

    @AfterEach
    void stopDevices() throws InterruptedException {
        for (EspotaDevice d : devices) {
            d.close();
        }
    }

    private EspotaDevice device() throws IOException {
        EspotaDevice d = new EspotaDevice();
        devices.add(d);
        return d;
    }

    private OtaImage image(int size) throws IOException {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        Path file = dir.resolve("image-" + size + ".bin");
        Files.write(file, data);
        return OtaImage.read(file, null);
    }

    private static EspotaUploader uploaderFor(EspotaDevice d) {
        return new EspotaUploader(d.address(), d.port(), FAST);
    }

    /** Records what the uploader shows. */
    static final class Recorder implements EspotaUploader.Listener {
        boolean mqttvpn;
        DeviceVersion before;
        long started = -1;
        long lastSent;
        boolean ended;

        @Override
        public void authenticated(boolean mqttvpn, DeviceVersion before) {
            this.mqttvpn = mqttvpn;
            this.before = before;
        }

        @Override
        public void transferStarted(long size) {
            started = size;
        }

        @Override
        public void sent(long bytes) {
            lastSent = bytes;
        }

        @Override
        public void transferEnded() {
            ended = true;
        }
    }

    private static ToolkitException failure(ThrowingRunnable r) {
        try {
            r.run();
        } catch (ToolkitException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError("expected a ToolkitException, got " + e, e);
        }
        throw new AssertionError("the upload succeeded");
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void anMqttvpnDeviceGetsTheImageWithItsSha256BoundToThePasswordAndSaysWhatItRan() throws Exception {
        EspotaDevice d = device().start();
        OtaImage img = image(300_000);
        Recorder r = new Recorder();
        EspotaUploader.Upload u = uploaderFor(d).upload(img, d.password, r);

        assertThat(d.received).isEqualTo(img.data());
        assertThat(d.md5Matched).as("the device's MD5 of what it got").isTrue();
        assertThat(d.sha256Given).isEqualTo(EspotaDevice.hex("SHA-256", img.data()));
        assertThat(d.sha256Matched).as("the device's SHA-256 of what it got").isTrue();
        assertThat(u.mqttvpn()).isTrue();
        assertThat(u.before()).isEqualTo(new DeviceVersion("1.0.0", "a"));
        assertThat(u.bytes()).isEqualTo(300_000);
        assertThat(u.kilobytesPerSecond()).isPositive();
        assertThat(r.mqttvpn).isTrue();
        assertThat(r.before).isEqualTo(u.before());
        assertThat(r.started).isEqualTo(300_000);
        assertThat(r.lastSent).isEqualTo(300_000);
        assertThat(r.ended).isTrue();
        // the version query first, then the invitation exactly as the protocol writes it
        assertThat(d.datagrams.get(0)).isEqualTo("300\n");
        assertThat(d.datagrams.get(1)).matches("0 [0-9]+ 300000 " + EspotaDevice.hex("MD5", img.data()) + "\n");
        assertThat(d.connectedFrom).isEqualTo(d.address());
    }

    @Test
    void aConnectionFromAnotherAddressGetsNothingAndTheDevicesStillComes() throws Exception {
        EspotaDevice d = device();
        d.impostor = InetAddress.getByName("127.0.0.2");
        d.start();
        OtaImage img = image(50_000);
        uploaderFor(d).upload(img, d.password, EspotaUploader.Listener.SILENT);
        assertThat(d.impostorGot).as("what the other address got").isEmpty();
        assertThat(d.received).isEqualTo(img.data());
    }

    @Test
    void anArduinoOtaDeviceGetsTheImageWithoutTheExtensionsAndReportsNoVersion() throws Exception {
        EspotaDevice d = device();
        d.mqttvpn = false;
        d.start();
        OtaImage img = image(100_000);
        Recorder r = new Recorder();
        EspotaUploader.Upload u = uploaderFor(d).upload(img, d.password, r);

        assertThat(d.received).isEqualTo(img.data());
        assertThat(d.md5Matched).isTrue();
        assertThat(d.sha256Given).as("no SHA-256 for a device that did not say mqttvpn/1").isNull();
        String auth = d.datagrams.stream().filter(x -> x.startsWith("200 ")).findFirst().orElseThrow();
        assertThat(auth).matches("200 [0-9a-f]{32} [0-9a-f]{32}\n");
        assertThat(u.mqttvpn()).isFalse();
        assertThat(u.before()).isNull();
        assertThat(r.mqttvpn).isFalse();
    }

    @Test
    void aDeviceWithoutAPasswordIsUpdatedWithoutTheChallenge() throws Exception {
        EspotaDevice d = device();
        d.mqttvpn = false;
        d.noPassword = true;
        d.start();
        OtaImage img = image(5000);
        uploaderFor(d).upload(img, "unused", EspotaUploader.Listener.SILENT);
        assertThat(d.received).isEqualTo(img.data());
        assertThat(d.datagrams).noneMatch(x -> x.startsWith("200 "));
    }

    @Test
    void aWrongPasswordIsAnAuthenticationFailureAndNothingIsSent() throws Exception {
        EspotaDevice d = device().start();
        ToolkitException e = failure(() -> uploaderFor(d).upload(image(1000), "not the password",
                EspotaUploader.Listener.SILENT));
        assertThat(e.exitCode()).isEqualTo(ExitCode.OTA_AUTH_FAILED);
        assertThat(e.getMessage()).contains("refused the password (Authentication Failed)").contains("--password-file");
        assertThat(d.received).isNull();
    }

    @Test
    void aRefusalShowsWhatTheDeviceSaid() throws Exception {
        EspotaDevice d = device();
        d.refuse = "Not Enough Space";
        d.start();
        ToolkitException e = failure(() -> uploaderFor(d).upload(image(1000), d.password, EspotaUploader.Listener.SILENT));
        assertThat(e.exitCode()).isEqualTo(ExitCode.OTA_REFUSED);
        assertThat(e.getMessage()).contains("refused the image: 'ERR: Not Enough Space'");
    }

    @Test
    void aConnectionCutMidwayIsATransferFailureThatSaysHowFarItGot() throws Exception {
        EspotaDevice d = device();
        d.cutAfter = 100_000;
        d.start();
        Recorder r = new Recorder();
        ToolkitException e = failure(() -> uploaderFor(d).upload(image(400_000), d.password, r));
        assertThat(e.exitCode()).isEqualTo(ExitCode.OTA_TRANSFER_FAILED);
        assertThat(e.getMessage()).contains("was cut after").contains("of 400000 bytes").contains("keeps its running image");
        assertThat(d.received).hasSize(100_000);
        assertThat(r.ended).isTrue();
    }

    @Test
    void aDeviceThatClosesTheConnectionMidwayIsATransferFailure() throws Exception {
        EspotaDevice d = device();
        d.cutAfter = 100_000;
        d.cutByReset = false; // a plain close, as a receiver that gives up does
        d.start();
        ToolkitException e = failure(() -> uploaderFor(d).upload(image(400_000), d.password, EspotaUploader.Listener.SILENT));
        assertThat(e.exitCode()).isEqualTo(ExitCode.OTA_TRANSFER_FAILED);
        assertThat(e.getMessage()).contains("was cut after").contains("of 400000 bytes");
    }

    @Test
    void anErrorAtTheEndShowsWhatTheDeviceSaid() throws Exception {
        EspotaDevice d = device();
        d.endError = "flash write failed";
        d.start();
        ToolkitException e = failure(() -> uploaderFor(d).upload(image(50_000), d.password, EspotaUploader.Listener.SILENT));
        assertThat(e.exitCode()).isEqualTo(ExitCode.OTA_TRANSFER_FAILED);
        assertThat(e.getMessage()).contains("reported an error after 50000 of 50000 bytes: 'ERROR: flash write failed'");
    }

    @Test
    void aDeviceThatNeverAnswersTheInvitationIsNoAnswer() throws Exception {
        EspotaDevice d = device();
        d.ignoreInvitations = true;
        d.start();
        ToolkitException e = failure(() -> uploaderFor(d).upload(image(1000), d.password, EspotaUploader.Listener.SILENT));
        assertThat(e.exitCode()).isEqualTo(ExitCode.OTA_NO_ANSWER);
        assertThat(e.getMessage()).contains("no answer from").contains("within 1 s")
                .contains("reachable through the VPN").contains("8266 on an ESP8266, 3232 on ESP-IDF and host-sim");
    }

    @Test
    void aPortNobodyListensOnIsNoAnswerAtOnce() throws Exception {
        int closed;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        long start = System.nanoTime();
        ToolkitException e = failure(() -> new EspotaUploader(InetAddress.getLoopbackAddress(), closed, FAST)
                .upload(image(1000), "pw", EspotaUploader.Listener.SILENT));
        assertThat(e.exitCode()).isEqualTo(ExitCode.OTA_NO_ANSWER);
        assertThat(e.getMessage()).contains("nothing listens on UDP port " + closed);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FAST.answer());
    }

    @Test
    void theImageStreamsWithoutWaitingForTheDevicesCounts() throws Exception {
        // The device sends no count before the whole image is in: an uploader that waits for
        // one per chunk (espota.py's lock step) stalls and fails after FAST.idle().
        EspotaDevice d = device();
        d.countsOnlyAtTheEnd = true;
        d.start();
        OtaImage img = image(1_000_000);
        uploaderFor(d).upload(img, d.password, EspotaUploader.Listener.SILENT);
        assertThat(d.received).isEqualTo(img.data());
    }

    @Test
    void theVersionTheDeviceCameBackWithIsReported() throws Exception {
        EspotaDevice d = device().start();
        EspotaUploader up = uploaderFor(d);
        EspotaUploader.Upload u = up.upload(image(20_000), d.password, EspotaUploader.Listener.SILENT);
        EspotaUploader.ComeBack back = up.awaitComeBack(u.before(), Duration.ofSeconds(5));
        assertThat(back.outcome()).isEqualTo(EspotaUploader.Outcome.UPDATED);
        assertThat(back.version()).isEqualTo(new DeviceVersion("1.1.0", "b"));
        assertThat(back.after()).isGreaterThanOrEqualTo(Duration.ofMillis(250));
    }

    @Test
    void aReturnToTheOldImageIsARollback() throws Exception {
        EspotaDevice d = device();
        d.versionAfter = "1.0.0";
        d.slotAfter = "a";
        d.start();
        EspotaUploader up = uploaderFor(d);
        EspotaUploader.Upload u = up.upload(image(20_000), d.password, EspotaUploader.Listener.SILENT);
        EspotaUploader.ComeBack back = up.awaitComeBack(u.before(), Duration.ofSeconds(5));
        assertThat(back.outcome()).isEqualTo(EspotaUploader.Outcome.ROLLED_BACK);
        assertThat(back.version()).isEqualTo(new DeviceVersion("1.0.0", "a"));
        assertThat(back.after()).as("decided once it came back, not at the timeout").isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void theOldImageAnsweringJustBeforeItsRestartIsNotTakenForARollback() throws Exception {
        EspotaDevice d = device();
        d.oldAnswersForMillis = 400;
        d.start();
        EspotaUploader up = uploaderFor(d);
        EspotaUploader.Upload u = up.upload(image(20_000), d.password, EspotaUploader.Listener.SILENT);
        EspotaUploader.ComeBack back = up.awaitComeBack(u.before(), Duration.ofSeconds(5));
        assertThat(back.outcome()).isEqualTo(EspotaUploader.Outcome.UPDATED);
        assertThat(back.version().slot()).isEqualTo("b");
    }

    @Test
    void aDeviceThatNeverComesBackIsReportedAfterTheTimeout() throws Exception {
        EspotaDevice d = device();
        d.versionAfter = null;
        d.start();
        EspotaUploader up = uploaderFor(d);
        EspotaUploader.Upload u = up.upload(image(20_000), d.password, EspotaUploader.Listener.SILENT);
        EspotaUploader.ComeBack back = up.awaitComeBack(u.before(), Duration.ofMillis(1200));
        assertThat(back.outcome()).isEqualTo(EspotaUploader.Outcome.NOT_BACK);
        assertThat(back.after()).isGreaterThanOrEqualTo(Duration.ofMillis(1200));
    }

    @Test
    void theOldImageAnsweringJustBeforeARestartItNeverComesBackFromIsNotBack() throws Exception {
        EspotaDevice d = device();
        d.oldAnswersForMillis = 300;
        d.versionAfter = null;
        d.start();
        EspotaUploader up = uploaderFor(d);
        EspotaUploader.Upload u = up.upload(image(20_000), d.password, EspotaUploader.Listener.SILENT);
        assertThat(up.awaitComeBack(u.before(), Duration.ofMillis(1200)).outcome()).isEqualTo(EspotaUploader.Outcome.NOT_BACK);
    }

    @Test
    void aDeviceThatNeverLeavesItsOldImageIsARollbackAtTheEnd() throws Exception {
        EspotaDevice d = device();
        d.oldAnswersForMillis = 60_000;
        d.start();
        EspotaUploader up = uploaderFor(d);
        EspotaUploader.Upload u = up.upload(image(20_000), d.password, EspotaUploader.Listener.SILENT);
        EspotaUploader.ComeBack back = up.awaitComeBack(u.before(), Duration.ofMillis(800));
        assertThat(back.outcome()).isEqualTo(EspotaUploader.Outcome.ROLLED_BACK);
        assertThat(back.version()).isEqualTo(new DeviceVersion("1.0.0", "a"));
        assertThat(back.after()).isGreaterThanOrEqualTo(Duration.ofMillis(800));
    }

    @Test
    void aDeviceWithoutSlotsThatRestartsWithItsVersionRanTheNewImage() throws Exception {
        EspotaDevice d = device();
        d.slot = "-";
        d.slotAfter = "-";
        d.versionAfter = d.version;
        d.restartMillis = 2500; // longer than a query round: only the silence tells this restart
        d.start();
        EspotaUploader up = uploaderFor(d);
        EspotaUploader.Upload u = up.upload(image(20_000), d.password, EspotaUploader.Listener.SILENT);
        EspotaUploader.ComeBack back = up.awaitComeBack(u.before(), Duration.ofSeconds(10));
        assertThat(back.outcome()).isEqualTo(EspotaUploader.Outcome.SAME_VERSION);
        assertThat(back.after()).as("decided once it came back").isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aDeviceWithoutSlotsThatNeverRestartsIsNoSuccess() throws Exception {
        EspotaDevice d = device();
        d.slot = "-";
        d.oldAnswersForMillis = 60_000;
        d.start();
        EspotaUploader up = uploaderFor(d);
        EspotaUploader.Upload u = up.upload(image(20_000), d.password, EspotaUploader.Listener.SILENT);
        EspotaUploader.ComeBack back = up.awaitComeBack(u.before(), Duration.ofMillis(800));
        assertThat(back.outcome()).isEqualTo(EspotaUploader.Outcome.ROLLED_BACK);
    }

    @Test
    void aSlotDecidesARollbackWhereThereIsOneAndTheVersionWhereNot() {
        DeviceVersion before = DeviceVersion.parse("VERSION 1.0.0 beta a\n");
        assertThat(before).isEqualTo(new DeviceVersion("1.0.0 beta", "a"));
        assertThat(before.sameImageAs(new DeviceVersion("1.0.0 beta", "b"))).as("same text, other slot").isFalse();
        assertThat(before.sameImageAs(new DeviceVersion("2.0.0", "a"))).isTrue();
        DeviceVersion noSlot = DeviceVersion.parse("VERSION 1.0.0 \n");
        assertThat(noSlot).isEqualTo(new DeviceVersion("1.0.0", ""));
        assertThat(noSlot.sameImageAs(new DeviceVersion("1.0.0", ""))).isTrue();
        assertThat(noSlot.sameImageAs(new DeviceVersion("1.0.1", ""))).isFalse();
        // An ESP8266 has no slots and says "-": its version decides, a new sketch is no rollback.
        DeviceVersion esp8266 = DeviceVersion.parse("VERSION sketch-3f2a9c01d4e7 -\n");
        assertThat(esp8266).isEqualTo(new DeviceVersion("sketch-3f2a9c01d4e7", ""));
        assertThat(esp8266.sameImageAs(DeviceVersion.parse("VERSION sketch-0b5d17e2a4c9 -\n"))).isFalse();
        assertThat(esp8266.sameImageAs(DeviceVersion.parse("VERSION sketch-3f2a9c01d4e7 -\n"))).isTrue();
        assertThat(DeviceVersion.parse("VERSION - -\n").describe()).isEqualTo("version (none), slot (none)");
    }

    @Test
    void anImageThatIsMissingEmptyOrADirectoryIsUnreadable() throws IOException {
        assertThatThrownBy(() -> OtaImage.read(dir.resolve("none.bin"), "build it with toolkit build x"))
                .isInstanceOfSatisfying(ToolkitException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.OTA_IMAGE_UNREADABLE))
                .hasMessageContaining("does not exist: build it with toolkit build x");
        Files.write(dir.resolve("empty.bin"), new byte[0]);
        assertThatThrownBy(() -> OtaImage.read(dir.resolve("empty.bin"), null)).hasMessageContaining("is empty");
        assertThatThrownBy(() -> OtaImage.read(dir, null)).hasMessageContaining("is a directory");
    }
}
