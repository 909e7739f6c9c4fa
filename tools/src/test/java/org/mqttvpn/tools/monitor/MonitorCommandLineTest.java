package org.mqttvpn.tools.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqttvpn.tools.Main;
import org.mqttvpn.tools.cli.ExitCode;
import picocli.CommandLine;

/** {@code toolkit monitor}'s mistakes, through picocli: exit codes and messages, before any port is opened. */
class MonitorCommandLineTest {
    @TempDir
    Path dir;

    final StringWriter err = new StringWriter();

    int run(String... args) {
        err.getBuffer().setLength(0);
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void aLogFileInAMissingDirectoryIsNamedWithWhatToDo() {
        Path logFile = dir.resolve("no/such/dir/boot.log");
        assertThat(run("monitor", "--port", "/dev/null", "--log", logFile.toString())).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("--log " + logFile, "the directory " + dir.resolve("no/such/dir")
                + " does not exist", "create it");
    }

    @Test
    void aPortThatIsADirectoryOrAFileIsABadFlagThatSaysWhatItIs() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.txt"), "x");
        assertThat(run("monitor", "--port", dir.toString())).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("--port " + dir + " is a directory, not a serial port").doesNotContain("Unplug");
        assertThat(run("monitor", "--port", file.toString())).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("--port " + file + " is a regular file, not a serial port");
    }

    @Test
    void badFlagsExitWith2() {
        assertThat(run("monitor", "--port", "/dev/null", "--baud", "12")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("--baud 12 is outside 300..5000000", "toolkit monitor --help");
        Path missing = dir.resolve("missing.elf");
        assertThat(run("monitor", "--port", "/dev/null", "--elf", missing.toString())).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("--elf " + missing + " does not exist");
    }
}
