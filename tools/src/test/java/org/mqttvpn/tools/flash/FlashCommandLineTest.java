package org.mqttvpn.tools.flash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqttvpn.tools.Main;
import org.mqttvpn.tools.cli.ExitCode;
import org.mqttvpn.tools.serial.PortOpener;
import org.mqttvpn.tools.serial.SerialLink;
import org.mqttvpn.tools.sim.SimChip;
import org.mqttvpn.tools.sim.SimulatedBoard;
import org.mqttvpn.tools.sim.TestImages;
import picocli.CommandLine;

/** {@code toolkit flash} end to end through picocli: exit codes and messages. */
class FlashCommandLineTest {
    @TempDir
    Path dir;

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    Path file(String name, byte[] data) throws Exception {
        return Files.write(dir.resolve(name), data);
    }

    @Test
    void flashesAnEsp8266ImageAndPrintsOneSummaryLine() throws Exception {
        Path img = file("sketch.bin", FlasherSimulatorTest.esp8266Image(30));
        Path sim = Files.createDirectories(dir.resolve("sim"));
        try (SimulatedBoard board = SimulatedBoard.start(sim, SimChip.ESP8266)) {
            int code = run("flash", "--port", board.hostPath(), "--image", img.toString());
            assertThat(code).as(err.toString()).isEqualTo(ExitCode.OK);
            assertThat(board.flash().read(0, (int) Files.size(img))).isEqualTo(Files.readAllBytes(img));
            assertThat(out.toString().strip().lines()).hasSize(1);
            assertThat(out.toString()).contains("Flashed 1 file", "ESP8266", SimChip.ESP8266.mac(), "115200 baud",
                    "not verified (the ESP8266 ROM has no MD5 command)");
            assertThat(err.toString()).contains("could not reset the board", "no DTR/RTS"); // a pty has none
        }
    }

    @Test
    void aPortThatIsADirectoryOrAFileIsABadFlagThatSaysWhatItIs() throws Exception {
        Path img = file("sketch.bin", FlasherSimulatorTest.esp8266Image(30));
        Path notAPort = file("notes.txt", new byte[] {1});
        String[][] cases = {{dir.toString(), "is a directory, not a serial port"},
            {notAPort.toString(), "is a regular file, not a serial port"}};
        for (String[] c : cases) {
            err.getBuffer().setLength(0);
            assertThat(run("flash", "--port", c[0], "--via", "native", "--image", img.toString()))
                    .as(err.toString()).isEqualTo(ExitCode.USAGE);
            assertThat(err.toString()).contains("--port " + c[0] + " " + c[1], "Pick one of these with --port")
                    .doesNotContain("Unplug");
        }
    }

    @Test
    void verifyMismatchExitsWith15() throws Exception {
        Path app = file("app.bin", FlasherSimulatorTest.esp32Image(0, true, 0x4000, 31));
        Path sim = Files.createDirectories(dir.resolve("sim"));
        try (SimulatedBoard board = SimulatedBoard.start(sim, SimChip.ESP32)) {
            board.faults().corruptAfterWriteAt = 0x10010;
            assertThat(run("flash", "-p", board.hostPath(), "--chip", "esp32", "-i", app + "@0x10000"))
                    .isEqualTo(ExitCode.VERIFY_FAILED);
            assertThat(err.toString()).contains("verify failed for " + app + "@0x10000");
        }
    }

    @Test
    void noSyncExitsWith12() throws Exception {
        Path img = file("sketch.bin", FlasherSimulatorTest.esp8266Image(32));
        Path sim = Files.createDirectories(dir.resolve("sim"));
        try (SimulatedBoard board = SimulatedBoard.start(sim, SimChip.ESP8266)) {
            board.faults().silent = true;
            assertThat(run("flash", "-p", board.hostPath(), "--connect-attempts", "1", "-i", img.toString()))
                    .isEqualTo(ExitCode.NO_SYNC);
            assertThat(err.toString()).contains("no answer from the ESP bootloader", "hold BOOT");
        }
    }

    @Test
    void wrongChipExitsWith13() throws Exception {
        Path img = file("a.bin", FlasherSimulatorTest.esp32Image(0, false, 0x1000, 33));
        Path sim = Files.createDirectories(dir.resolve("sim"));
        try (SimulatedBoard board = SimulatedBoard.start(sim, SimChip.ESP8266)) {
            assertThat(run("flash", "-p", board.hostPath(), "--chip", "esp32", "-i", img + "@0x10000"))
                    .isEqualTo(ExitCode.WRONG_CHIP);
            assertThat(err.toString()).contains("asked for esp32", "is an ESP8266");
        }
    }

    @Test
    void aBusyPortExitsWith11() throws Exception {
        Path img = file("a.bin", FlasherSimulatorTest.esp8266Image(34));
        Path sim = Files.createDirectories(dir.resolve("sim"));
        try (SimulatedBoard board = SimulatedBoard.start(sim, SimChip.ESP8266)) {
            // Another process holds the port the way a second toolkit or serial monitor would.
            Process holder = new ProcessBuilder("java", "-cp", System.getProperty("java.class.path"),
                    PortHolderMain.class.getName(), board.hostPath()).redirectErrorStream(true).start();
            try {
                assertThat(new String(holder.getInputStream().readNBytes(5))).isEqualTo("open\n");
                assertThat(run("flash", "-p", board.hostPath(), "-i", img.toString())).isEqualTo(ExitCode.PORT_BUSY);
                assertThat(err.toString()).contains("is in use by another program", "java (pid " + holder.pid() + ")");
            } finally {
                holder.destroy();
                holder.waitFor();
            }
        }
    }

    /** Holds a port open until killed. */
    public static final class PortHolderMain {
        public static void main(String[] args) throws Exception {
            try (SerialLink link = new PortOpener().open(args[0], 115200)) {
                System.out.print("open\n");
                System.out.flush();
                Thread.sleep(60_000);
            }
        }
    }

    @Test
    void aMissingPortExitsWith10AndListsThePorts() throws Exception {
        Path img = file("a.bin", FlasherSimulatorTest.esp8266Image(35));
        assertThat(run("flash", "-p", "/dev/ttyUSB97", "-i", img.toString())).isEqualTo(ExitCode.PORT_NOT_FOUND);
        assertThat(err.toString()).contains("serial port /dev/ttyUSB97 does not exist", "Ports present", "--port");
    }

    @Test
    void badImagesExitWith14NamingFileAndOffset() throws Exception {
        byte[] good = FlasherSimulatorTest.esp32Image(0, false, 0x1000, 36);
        byte[] magic = good.clone();
        magic[0] = 0x00;
        byte[] truncated = java.util.Arrays.copyOf(good, 0x200);
        byte[] checksum = good.clone();
        checksum[40] ^= 1; // a data byte of the first segment (its data starts at 32)
        for (byte[] bad : new byte[][] {magic, truncated, checksum}) {
            Path f = file("bad.bin", bad);
            out.getBuffer().setLength(0);
            err.getBuffer().setLength(0);
            assertThat(run("flash", "-p", "/dev/null", "--chip", "esp32", "-i", f + "@0x10000"))
                    .as(err.toString()).isEqualTo(ExitCode.BAD_IMAGE);
            assertThat(err.toString()).contains(f + ":").contains("--raw");
        }
        assertThat(err.toString()).contains("checksum mismatch");
    }

    @Test
    void rawWritesAFileThatIsNotAnImage() throws Exception {
        Path data = file("fs.bin", TestImages.random(0x3000, 37));
        Path sim = Files.createDirectories(dir.resolve("sim"));
        try (SimulatedBoard board = SimulatedBoard.start(sim, SimChip.ESP32)) {
            assertThat(run("flash", "-p", board.hostPath(), "-i", data + "@0x200000")).isEqualTo(ExitCode.BAD_IMAGE);
            err.getBuffer().setLength(0);
            assertThat(run("flash", "-p", board.hostPath(), "--raw", "-i", data + "@0x200000")).as(err.toString())
                    .isEqualTo(ExitCode.OK);
            assertThat(board.flash().read(0x200000, 0x3000)).isEqualTo(Files.readAllBytes(data));
        }
    }

    @Test
    void badFlagsExitWith2() throws Exception {
        assertThat(run("flash", "--chip", "esp99", "-p", "/dev/null", "-i", "x.bin")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("--chip esp99", "toolkit flash --help");
        assertThat(run("flash", "--baud", "12", "-i", "x.bin")).isEqualTo(ExitCode.USAGE);
        assertThat(run("flash", "-i", "a.bin", "-i", "b.bin@0x1000")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("give each its address");
        assertThat(run("flash", "--via", "carrier-pigeon", "-i", "a.bin")).isEqualTo(ExitCode.USAGE);
        assertThat(run("flash", "-p", "/dev/null", "-i", dir.resolve("missing.bin") + "@0x0")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("missing.bin does not exist");
        assertThat(run("flash")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("nothing to flash");
        assertThat(run("flash", "--sketch", "s")).isEqualTo(ExitCode.USAGE);
        assertThat(run("flash", "-p", "/dev/null", "--chip", "esp32", "--flash-size", "3MB",
                "-i", file("b.bin", FlasherSimulatorTest.esp32Image(0, false, 0x1000, 1)) + "@0x1000"))
                .isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("--flash-size 3MB", "4MB");
        Path a = file("a.bin", TestImages.random(0x2000, 2));
        Path b = file("b.bin", TestImages.random(0x1000, 3));
        assertThat(run("flash", "-p", "/dev/null", "--raw", "-i", a + "@0x0", "-i", b + "@0x1000"))
                .isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains(a + "@0x0 (8192 bytes, to 0x2000) overlaps " + b + "@0x1000",
                "check the addresses");
    }

    @Test
    void everyCommandHasHelpWithAnExample() {
        for (String cmd : new String[] {"ports", "flash", "monitor", "setup", "setup arduino"}) {
            out.getBuffer().setLength(0);
            String[] args = (cmd + " --help").split(" ");
            assertThat(run(args)).isEqualTo(ExitCode.OK);
            assertThat(out.toString()).as(cmd).contains("Example").contains("toolkit " + cmd.split(" ")[0]);
        }
    }
}
