package org.mqttvpn.tools.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mqttvpn.tools.lab.Shell;

/**
 * The crash decoder with the ELF the firmware module builds: the portable core linked at an
 * ESP8266 sketch's code addresses (firmware/common/build/lx106/core_esp8266_layout.elf). A dump
 * that points into mqttvpn_open, called from mqttvpn_esp8266_layout_entry, is decoded to those
 * names and their source files.
 */
class MonitorDecodesFirmwareElfTest {
    static final Path ELF = Path.of("../firmware/common/build/lx106/core_esp8266_layout.elf").toAbsolutePath().normalize();

    static long address(String function) throws Exception {
        String nm = Shell.check(java.util.List.of("xtensa-lx106-elf-nm", "--defined-only", ELF.toString()));
        return nm.lines().map(l -> l.trim().split("\\s+")).filter(f -> f.length == 3 && f[2].equals(function))
                .mapToLong(f -> Long.parseLong(f[0], 16)).findFirst()
                .orElseThrow(() -> new AssertionError(function + " is not in " + ELF));
    }

    @Test
    void anEsp8266ExceptionDumpIsDecodedIntoTheCoresFunctions() throws Exception {
        assertThat(ELF).as("built by the firmware module (make -C firmware all)").exists();
        long epc = address("mqttvpn_open") + 12;
        long caller = address("mqttvpn_esp8266_layout_entry") + 20;
        String dump = "Exception (28):\r\n"
                + String.format("epc1=0x%08x epc2=0x00000000 epc3=0x00000000 excvaddr=0x00000004 depc=0x00000000%n", epc)
                + ">>>stack>>>\r\nctx: cont\r\nsp: 3ffffe00 end: 3fffffc0 offset: 0190\r\n"
                + String.format("3fffff90:  3fffdad0 00000000 3ffee52c %08x%n", caller)
                + "<<<stack<<<\r\n";
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        Map<String, String> env = new HashMap<>(System.getenv());
        LineProcessor p = new LineProcessor(screen, null, new CrashDecoder(new Addr2Line(ELF, env), false),
                Clock.fixed(Instant.EPOCH, ZoneId.of("UTC")), false);
        byte[] bytes = dump.getBytes(StandardCharsets.US_ASCII);
        p.accept(bytes, 0, bytes.length);
        String shown = screen.toString(StandardCharsets.UTF_8);
        assertThat(shown).contains(String.format("--- epc1 0x%08x: mqttvpn_open at ", epc)).contains("codec.c:");
        assertThat(shown).contains(String.format("0x%08x: mqttvpn_esp8266_layout_entry at ", caller)).contains("esp8266_layout.c:");
    }
}
