package org.mqttvpn.tools.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqttvpn.tools.lab.Shell;
import org.mqttvpn.tools.serial.PortOpener;
import org.mqttvpn.tools.sim.PtyPair;

/**
 * The monitor's console path with a real pty and a real lx106 ELF: a "board" writes an ESP8266
 * exception dump whose addresses are functions of that ELF, and the monitor prints their names.
 * The ELF is built here from C with xtensa-lx106-elf-gcc; set -Dmonitor.elf=... to point the same
 * test at another ELF (e.g. firmware/common/build/lx106/core_tests.elf) and its own functions.
 */
class MonitorDecodesCrashTest {
    static final String C_SOURCE = """
            volatile int *bad_pointer;
            int deep_function(int x) { return *bad_pointer + x; }
            int middle_function(int x) { return deep_function(x * 2) + 1; }
            void app_entry(void) { middle_function(3); for (;;) {} }
            """;

    @TempDir
    static Path build;

    static Path elf;
    static Map<String, Long> functions = new HashMap<>();

    @BeforeAll
    static void buildElf() throws Exception {
        String given = System.getProperty("monitor.elf");
        if (given != null) {
            elf = Path.of(given);
        } else {
            Path c = build.resolve("crash.c");
            Files.writeString(c, C_SOURCE);
            elf = build.resolve("crash.elf");
            run("xtensa-lx106-elf-gcc", "-g", "-O0", "-mlongcalls", "-nostdlib", "-Wl,-e,app_entry",
                    "-Wl,-Ttext=0x40201000", "-o", elf.toString(), c.toString());
        }
        for (String line : run("xtensa-lx106-elf-nm", "--defined-only", elf.toString()).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && (f[1].equals("T") || f[1].equals("t"))) {
                long a = Long.parseLong(f[0], 16);
                if (CrashDecoder.isEsp8266Code(a)) {
                    functions.put(f[2], a);
                }
            }
        }
        assertThat(functions).as("code symbols in " + elf).hasSizeGreaterThanOrEqualTo(2);
    }

    static String run(String... cmd) throws IOException, InterruptedException {
        return Shell.check(60, List.of(cmd));
    }

    /** Two functions of the ELF: the faulting one and a caller. */
    static List<String> twoFunctions() {
        if (functions.containsKey("deep_function")) {
            return List.of("deep_function", "middle_function");
        }
        return functions.keySet().stream().sorted().limit(2).toList();
    }

    static String esp8266Dump(long epc1, long caller) {
        return "\r\n--------------- CUT HERE FOR EXCEPTION DECODER ---------------\r\n\r\n"
                + "Exception (28):\r\n"
                + String.format("epc1=0x%08x epc2=0x00000000 epc3=0x00000000 excvaddr=0x00000000 depc=0x00000000%n", epc1 + 4)
                + "\r\n>>>stack>>>\r\n\r\nctx: cont\r\nsp: 3ffffe00 end: 3fffffc0 offset: 0190\r\n"
                + String.format("3fffff90:  3fffdad0 00000000 3ffee52c %08x%n", caller + 8)
                + "3fffffa0:  3fffdad0 00000000 3ffee52c 4000dead\r\n"
                + "<<<stack<<<\r\n\r\n--------------- CUT HERE FOR EXCEPTION DECODER ---------------\r\n";
    }

    static String waitFor(ByteArrayOutputStream screen, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            String s;
            synchronized (screen) {
                s = screen.toString(StandardCharsets.UTF_8);
            }
            if (s.contains(text)) {
                return s;
            }
            Thread.sleep(20);
        }
        synchronized (screen) {
            throw new AssertionError("no '" + text + "' on the screen:\n" + screen.toString(StandardCharsets.UTF_8));
        }
    }

    static LineProcessor processor(OutputStream screen, OutputStream log) {
        Map<String, String> env = new HashMap<>(System.getenv());
        CrashDecoder decoder = new CrashDecoder(new Addr2Line(elf, env), false);
        return new LineProcessor(screen, log, decoder, Clock.fixed(Instant.parse("2026-01-02T03:04:05.678Z"), ZoneId.of("UTC")),
                false);
    }

    @Test
    void decodesAnEsp8266ExceptionDumpArrivingOnThePort(@TempDir Path dir) throws Exception {
        List<String> names = twoFunctions();
        long epc = functions.get(names.get(0));
        long caller = functions.get(names.get(1));
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (PtyPair pty = PtyPair.start(dir);
                MonitorSession session = new MonitorSession(pty.host().toString(), 115200, new PortOpener(),
                        processor(screen, log), false);
                OutputStream board = new FileOutputStream(pty.device().toFile())) {
            session.start();
            board.write("hello from the board\r\n".getBytes(StandardCharsets.US_ASCII));
            board.write(esp8266Dump(epc, caller).getBytes(StandardCharsets.US_ASCII));
            board.flush();
            waitFor(screen, "stack (code addresses");
            String shown = waitFor(screen, names.get(1) + " at ");
            assertThat(shown).contains("hello from the board");
            assertThat(shown).contains("--- Exception 28: LoadProhibited");
            assertThat(shown).containsPattern("--- epc1 0x" + String.format("%08x", epc + 4) + ": " + names.get(0) + " at ");
            assertThat(shown).containsPattern("--- +0x" + String.format("%08x", caller + 8) + ": " + names.get(1) + " at ");
            assertThat(shown).doesNotContain("4000dead:"); // mask ROM: not in the ELF, not decoded
            if (System.getProperty("monitor.elf") == null) {
                assertThat(shown).contains("crash.c:2").contains("crash.c:3");
            }
            Thread.sleep(300); // the dump is complete: nothing more arrives
            assertThat(log.toString(StandardCharsets.UTF_8)).isEqualTo(screen.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void survivesThePortDisappearingAndComingBack(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        Path host = dir.resolve("ttyUSB0");
        Path device = dir.resolve("board");
        LineProcessor p = new LineProcessor(screen, null, null, Clock.systemUTC(), false);
        PtyPair first = PtyPair.start(host, device);
        try (MonitorSession session = new MonitorSession(host.toString(), 115200, new PortOpener(), p, false)) {
            session.start();
            try (OutputStream board = new FileOutputStream(device.toFile())) {
                board.write("before\r\n".getBytes(StandardCharsets.US_ASCII));
                board.flush();
                waitFor(screen, "before");
            }
            first.close(); // unplugged: the pty and its name vanish
            waitFor(screen, "disappeared");
            assertThat(Files.exists(host)).isFalse();
            Thread.sleep(600); // a while away
            try (PtyPair second = PtyPair.start(host, device);
                    OutputStream board = new FileOutputStream(device.toFile())) {
                waitFor(screen, "is back: reconnected");
                board.write("after\r\n".getBytes(StandardCharsets.US_ASCII));
                board.flush();
                String shown = waitFor(screen, "after");
                assertThat(shown.indexOf("disappeared")).isLessThan(shown.indexOf("reconnected"));
                assertThat(shown.indexOf("reconnected")).isLessThan(shown.indexOf("after"));
            }
        } finally {
            first.close();
        }
    }

    @Test
    void timestampsEachLineAndDecodesOnlyWithAnElf() throws Exception {
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        LineProcessor p = new LineProcessor(screen, null, null,
                Clock.fixed(Instant.parse("2026-01-02T03:04:05.678Z"), ZoneId.of("UTC")), true);
        byte[] text = "one\r\ntw".getBytes(StandardCharsets.US_ASCII);
        p.accept(text, 0, text.length);
        byte[] rest = "o\r\nException (28):\r\n".getBytes(StandardCharsets.US_ASCII);
        p.accept(rest, 0, rest.length);
        String stamp = "[" + java.time.LocalTime.of(3, 4, 5, 678_000_000)
                .atDate(java.time.LocalDate.of(2026, 1, 2)).atZone(ZoneId.of("UTC"))
                .withZoneSameInstant(ZoneId.systemDefault()).toLocalTime()
                .format(java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss.SSS")) + "] ";
        assertThat(screen.toString(StandardCharsets.US_ASCII))
                .isEqualTo(stamp + "one\r\n" + stamp + "two\r\n" + stamp + "Exception (28):\r\n");
    }

    @Test
    void saysSoWhenAddr2lineIsMissing() {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", "/nonexistent");
        CrashDecoder d = new CrashDecoder(new Addr2Line(elf, env), false);
        List<String> out = d.onLine("epc1=0x40201004 epc2=0x00000000 epc3=0x00000000 excvaddr=0x00000010 depc=0x00000000");
        assertThat(out).hasSize(2);
        assertThat(out.get(0)).contains("cannot decode", "xtensa-lx106-elf-addr2line is not on PATH");
        assertThat(out.get(1)).contains("excvaddr 0x00000010");
    }

    @Test
    void saysWhyWhenAddr2lineFails(@TempDir Path bin) throws Exception {
        Path tool = bin.resolve("xtensa-lx106-elf-addr2line");
        Files.writeString(tool, "#!/bin/sh\necho \"addr2line: 'broken.elf': not an ELF file\" >&2\nexit 1\n");
        Files.setPosixFilePermissions(tool, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        CrashDecoder d = new CrashDecoder(new Addr2Line(Path.of("broken.elf"), Map.of("PATH", bin.toString())), false);
        assertThat(d.onLine("epc1=0x40201004 epc2=0x00000000 epc3=0x00000000 excvaddr=0x00000000 depc=0x00000000"))
                .first().isEqualTo("epc1 (cannot decode with broken.elf: addr2line: 'broken.elf': not an ELF file)");
    }

    @Test
    void decodesEsp32BacktracesWithTheEsp32Toolchain() {
        List<List<Long>> asked = new java.util.ArrayList<>();
        List<Toolchain> chains = new java.util.ArrayList<>();
        CrashDecoder d = new CrashDecoder((tc, addrs) -> {
            chains.add(tc);
            asked.add(addrs);
            return addrs.stream().map(a -> String.format("0x%08x: f at x.c:1", a)).toList();
        }, false);
        assertThat(d.onLine("Backtrace: 0x400d1234:0x3ffb1230 0x400d5678:0x3ffb1250 |<-CORRUPTED"))
                .containsExactly("backtrace:", "  0x400d1234: f at x.c:1", "  0x400d5678: f at x.c:1");
        assertThat(d.onLine("PC      : 0x400d9abc  PS      : 0x00060030  A0      : 0x800d1234"))
                .containsExactly("PC 0x400d9abc: f at x.c:1");
        assertThat(chains).containsOnly(Toolchain.XTENSA_ESP32);
        CrashDecoder riscv = new CrashDecoder((tc, addrs) -> List.of(tc.name()), true);
        assertThat(riscv.onLine("Backtrace: 0x42001234:0x3fc91230")).contains("  RISCV_ESP");
        assertThat(riscv.onLine("MEPC    : 0x42001234  RA      : 0x42005678  SP      : 0x3fc91230")).containsExactly("RISCV_ESP");
    }

    @Test
    void keysGoToTheBoardExceptQuitAndTheMenu() {
        MonitorKeys k = new MonitorKeys();
        assertThat(k.onKey('a')).isEqualTo(MonitorKeys.Action.SEND);
        assertThat(k.onKey(MonitorKeys.CTRL_T)).isEqualTo(MonitorKeys.Action.MENU);
        assertThat(k.onKey('r')).isEqualTo(MonitorKeys.Action.RESET);
        assertThat(k.onKey('r')).isEqualTo(MonitorKeys.Action.SEND);
        k.onKey(MonitorKeys.CTRL_T);
        assertThat(k.onKey('b')).isEqualTo(MonitorKeys.Action.BOOTLOADER);
        k.onKey(MonitorKeys.CTRL_T);
        assertThat(k.onKey('t')).isEqualTo(MonitorKeys.Action.TOGGLE_TIMESTAMPS);
        k.onKey(MonitorKeys.CTRL_T);
        assertThat(k.onKey('h')).isEqualTo(MonitorKeys.Action.HELP);
        k.onKey(MonitorKeys.CTRL_T);
        assertThat(k.onKey(MonitorKeys.CTRL_T)).isEqualTo(MonitorKeys.Action.SEND);
        assertThat(k.onKey(MonitorKeys.CTRL_RIGHT_BRACKET)).isEqualTo(MonitorKeys.Action.QUIT);
        assertThat(MonitorKeys.bytesFor('\r')).containsExactly('\r', '\n');
    }
}
