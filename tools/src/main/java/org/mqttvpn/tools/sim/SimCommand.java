package org.mqttvpn.tools.sim;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.mqttvpn.tools.cli.ExitCode;
import org.mqttvpn.tools.cli.StopSignals;
import org.mqttvpn.tools.cli.ToolkitException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code toolkit sim}: runs the virtual device, the firmware core on Linux (lwIP +
 * libmosquitto) behaving like an ESP running our firmware. Every argument goes to it.
 */
@Command(
        name = "sim",
        header = "Run a virtual device: the ESP firmware's core on Linux.",
        description = {
            "Run a virtual device: the same C core as the ESP firmware, on Linux (lwIP and",
            "libmosquitto), with ICMP echo, TCP and UDP echo on port 7 and a status page on",
            "port 80 at its VPN address. All arguments are the device's, passed as they are;",
            "'toolkit sim --help' lists them. Needs no root: the device's IP stack is lwIP in",
            "the process. Secrets go by file, not on the command line where ps shows them:",
            "--key-file FILE, and --user NAME --password-file FILE for the broker.",
            "--broker is repeatable (at most 4): the device fails over between them, as toolkit vpn",
            "does, with --broker-order in-order|random and --broker-return SECONDS.",
            "Firmware updates through the VPN (toolkit ota) take --state-dir DIR",
            "(its two program slots), --ota-password-file FILE, and optionally --ota-port N",
            "(3232) and --rollback-timeout SECONDS (120); --version says what it runs."},
        footer = {"", "Examples:", "  toolkit sim --broker tcp://127.0.0.1:1883 --address 10.0.1.2 --key-file net.key",
            "  toolkit sim --broker tcp://127.0.0.1:1883 --address 10.0.1.2 --key-file net.key \\",
            "      --state-dir state --ota-password-file ota.password"})
public final class SimCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "ARG", description = "Arguments for the virtual device.")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Path binary = SimBinary.locate();
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        cmd.addAll(args);
        // The JVM's own SIGTERM/SIGINT handling would exit 143/130 whatever the device did:
        // instead, a stop signal is passed on to the device (SIGTERM: it leaves the broker and
        // exits 0) and its status becomes ours. A second signal kills it (see StopSignals).
        // Installed before the device starts, so no signal finds the JVM's handler in between.
        AtomicReference<Process> device = new AtomicReference<>();
        int code;
        try (StopSignals signals = StopSignals.install(() -> ifStarted(device, Process::destroy),
                () -> ifStarted(device, Process::destroyForcibly))) {
            Process p = new ProcessBuilder(cmd).inheritIO().start();
            device.set(p);
            if (signals.stopRequested()) {
                p.destroy(); // the signal came while it was starting
            }
            // For the other ends of the JVM (SIGHUP, no signal handler): the device goes too.
            Thread hook = new Thread(() -> {
                p.destroy();
                try {
                    p.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                p.destroyForcibly();
            }, "sim-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                code = p.waitFor();
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is already running: it ends the device
                }
            }
        }
        if (code == 127) {
            throw new ToolkitException(ExitCode.UNAVAILABLE, "the virtual device could not start: its libraries are missing"
                    + " (sudo apt-get install liblwip0 libmosquitto1)");
        }
        return code;
    }

    private static void ifStarted(AtomicReference<Process> device, Consumer<Process> action) {
        Process p = device.get();
        if (p != null) {
            action.accept(p);
        }
    }
}
