package org.mqttvpn.tools.monitor;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.NonBlockingReader;
import org.mqttvpn.tools.cli.ExitCode;
import org.mqttvpn.tools.cli.StopSignals;
import org.mqttvpn.tools.cli.Tty;
import org.mqttvpn.tools.cli.ToolkitException;
import org.mqttvpn.tools.serial.PortOpener;
import org.mqttvpn.tools.serial.SerialPortInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code toolkit monitor}: a serial console for a board. */
@Command(
        name = "monitor",
        header = "Serial console that decodes ESP crash dumps.",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "A raw serial console: what the board prints appears as it comes, keys go to the board. "
                    + "Ctrl-] quits. Ctrl-T opens a menu: r reset the board, b reset into the bootloader, "
                    + "t timestamps on/off, h help (Ctrl-T Ctrl-T sends a Ctrl-T).",
            "With --elf, crash reports are decoded into function and file:line: ESP8266 exceptions "
                    + "(Exception (N), epc1..3, the >>>stack>>> block) with xtensa-lx106-elf-addr2line, ESP32 "
                    + "backtraces and PC lines with xtensa-esp32-elf-addr2line or riscv32-esp-elf-addr2line "
                    + "(found on PATH).",
            "When the port disappears (unplugged, USB re-enumeration) it waits and reconnects.",
            "When standard input is not a terminal (a script, a service, < /dev/null), keys are not read:"
                    + " the board's output goes to standard output until Ctrl-C or SIGTERM, which exit 0.",
            ""},
        footer = {
            "",
            "Examples:",
            "  toolkit monitor --port /dev/ttyUSB0 --reset --elf build/sketch.ino.elf",
            "  toolkit monitor --baud 74880 --timestamps --log boot.log",
            "",
            "Exit codes: 0 quit (or stopped by a signal without a terminal), 2 bad flags (a --port",
            "that is not a serial port), 3 no permission on the port,",
            "10 port not found, 11 port busy."})
public final class MonitorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT",
            description = "Serial port, e.g. /dev/ttyUSB0 (default: the one ESP-looking port).")
    String port;

    @Option(names = {"-b", "--baud"}, paramLabel = "BAUD", defaultValue = "115200",
            description = "Baud rate (default: ${DEFAULT-VALUE}; the ESP8266 ROM prints its boot messages at 74880).")
    int baud;

    @Option(names = "--reset", description = "Reset the board (RTS) after opening, to see it start.")
    boolean reset;

    @Option(names = "--timestamps", description = "Start each line with the time it arrived (toggle with Ctrl-T t).")
    boolean timestamps;

    @Option(names = "--log", paramLabel = "FILE", description = "Also append everything shown to FILE.")
    Path log;

    @Option(names = "--elf", paramLabel = "FILE", description = "The firmware's ELF, to decode crash reports.")
    Path elf;

    @Override
    public Integer call() throws Exception {
        if (baud < 300 || baud > 5_000_000) {
            throw new ParameterException(spec.commandLine(), "--baud " + baud + " is outside 300..5000000");
        }
        if (elf != null && !Files.isReadable(elf)) {
            throw new ParameterException(spec.commandLine(), "--elf " + elf + " does not exist or is not readable");
        }
        PortOpener opener = new PortOpener();
        String path = opener.resolve(port);
        SerialPortInfo info = opener.describe(path);
        if (!Tty.stdinIsTerminal()) {
            return readOnly(opener, path, info);
        }
        // dumb(true): where stdout is not a terminal either, a plain terminal without a warning.
        try (OutputStream logStream = openLog();
                Terminal terminal = TerminalBuilder.builder().system(true).dumb(true).build()) {
            LineProcessor processor = new LineProcessor(terminal.output(), logStream, decoder(), Clock.systemDefaultZone(),
                    timestamps);
            try (MonitorSession session = new MonitorSession(path, baud, opener, processor, info.isBuiltInUsb())) {
                session.start();
                processor.note("monitor on " + path + " at " + baud + " baud. " + MonitorKeys.HELP);
                if (reset) {
                    session.reset();
                }
                Attributes saved = terminal.enterRawMode();
                try {
                    keyLoop(terminal, session, processor);
                } finally {
                    terminal.setAttributes(saved);
                }
            }
        } catch (IOException e) {
            throw new ToolkitException(ExitCode.FAILURE, "monitor on " + path + " stopped: the terminal"
                    + (log == null ? "" : " or --log " + log) + " failed (" + e + ")");
        }
        return ExitCode.OK;
    }

    /**
     * Standard input is not a terminal (a service, a script, {@code < /dev/null}): no keys to
     * read, so no terminal at all; what the board prints goes to standard output as it comes,
     * until SIGINT or SIGTERM, which end it with 0.
     */
    private int readOnly(PortOpener opener, String path, SerialPortInfo info) throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        OutputStream screen = new FileOutputStream(FileDescriptor.out);
        try (OutputStream logStream = openLog();
                StopSignals signals = StopSignals.install(stop::countDown, () -> { })) {
            LineProcessor processor = new LineProcessor(screen, logStream, decoder(), Clock.systemDefaultZone(), timestamps);
            try (MonitorSession session = new MonitorSession(path, baud, opener, processor, info.isBuiltInUsb())) {
                session.start();
                processor.note("monitor on " + path + " at " + baud + " baud; standard input is not a terminal, so"
                        + " keys are not read: Ctrl-C or SIGTERM ends it.");
                if (reset) {
                    session.reset();
                }
                stop.await();
                processor.note("stopped");
            }
        } catch (IOException e) {
            throw new ToolkitException(ExitCode.FAILURE, "monitor on " + path + " stopped: standard output"
                    + (log == null ? "" : " or --log " + log) + " failed (" + e + ")");
        }
        return ExitCode.OK;
    }

    /** The --log file, opened for appending, or null without --log. */
    private OutputStream openLog() {
        if (log == null) {
            return null;
        }
        try {
            return Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (NoSuchFileException e) {
            throw ToolkitException.usage("--log " + log + ": the directory " + log.toAbsolutePath().getParent()
                    + " does not exist; create it or choose another file");
        } catch (AccessDeniedException e) {
            throw new ToolkitException(ExitCode.PERMISSION, "--log " + log + ": no permission to write it;"
                    + " choose a file in a directory you can write to");
        } catch (IOException e) {
            throw ToolkitException.usage("--log " + log + " cannot be opened for appending (" + e + ")");
        }
    }

    private CrashDecoder decoder() {
        if (elf == null) {
            return null;
        }
        return new CrashDecoder(new Addr2Line(elf, System.getenv()), Addr2Line.elfMachine(elf) == Addr2Line.EM_RISCV);
    }

    private static void keyLoop(Terminal terminal, MonitorSession session, LineProcessor processor)
            throws IOException, InterruptedException {
        NonBlockingReader keys = terminal.reader();
        MonitorKeys map = new MonitorKeys();
        while (true) {
            int c = keys.read(200);
            if (c == NonBlockingReader.READ_EXPIRED) {
                continue;
            }
            if (c < 0) {
                return; // stdin closed
            }
            switch (map.onKey(c)) {
                case SEND -> session.send(MonitorKeys.bytesFor(c));
                case QUIT -> {
                    processor.note("quit");
                    return;
                }
                case MENU -> {
                }
                case RESET -> {
                    processor.note("reset");
                    session.reset();
                }
                case BOOTLOADER -> {
                    processor.note("reset into the bootloader");
                    session.resetIntoBootloader();
                }
                case TOGGLE_TIMESTAMPS -> {
                    processor.setTimestamps(!processor.timestamps());
                    processor.note("timestamps " + (processor.timestamps() ? "on" : "off"));
                }
                default -> processor.note(MonitorKeys.HELP);
            }
        }
    }
}
