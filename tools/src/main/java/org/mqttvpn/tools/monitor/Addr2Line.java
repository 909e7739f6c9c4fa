package org.mqttvpn.tools.monitor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mqttvpn.tools.build.ToolLocator;
import org.mqttvpn.tools.lab.Shell;

/** {@link AddressResolver} with binutils' addr2line of the right cross toolchain, found on PATH. */
public final class Addr2Line implements AddressResolver {
    private static final long TIMEOUT_SECONDS = 10;
    /** e_machine of a RISC-V ELF (ESP32-C3/C6/H2 firmware). */
    public static final int EM_RISCV = 243;

    private final Path elf;
    private final ToolLocator locator;

    public Addr2Line(Path elf, Map<String, String> env) {
        this.elf = elf;
        this.locator = new ToolLocator(env);
    }

    @Override
    public List<String> resolve(Toolchain toolchain, List<Long> addresses) {
        Optional<Path> tool = toolchain.addr2lineNames().stream().map(locator::onPath).flatMap(Optional::stream)
                .findFirst();
        if (tool.isEmpty()) {
            return List.of("(cannot decode: " + toolchain.addr2lineNames().get(0) + " is not on PATH; install the "
                    + (toolchain == Toolchain.LX106 ? "ESP8266 toolchain (Debian: gcc-xtensa-lx106)" : "ESP-IDF toolchain")
                    + " or add its bin directory to PATH)");
        }
        List<String> cmd = new ArrayList<>(List.of(tool.get().toString(), "-p", "-f", "-i", "-a", "-C", "-e", elf.toString()));
        for (long a : addresses) {
            cmd.add(String.format("0x%08x", a));
        }
        try {
            Shell.Result r = Shell.run(TIMEOUT_SECONDS, cmd);
            if (!r.ok()) {
                return List.of("(cannot decode with " + elf + ": " + r.output().strip() + ")");
            }
            return r.output().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        } catch (IOException e) {
            return List.of("(cannot decode: " + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of("(decoding interrupted)");
        }
    }

    /** The ELF's machine: 94 Xtensa, 243 RISC-V, or -1 when unreadable. */
    public static int elfMachine(Path elf) {
        try (InputStream in = Files.newInputStream(elf)) {
            byte[] h = in.readNBytes(20);
            if (h.length < 20 || h[0] != 0x7F || h[1] != 'E' || h[2] != 'L' || h[3] != 'F') {
                return -1;
            }
            return h[5] == 1 ? (h[18] & 0xFF) | (h[19] & 0xFF) << 8 : (h[19] & 0xFF) | (h[18] & 0xFF) << 8;
        } catch (IOException e) {
            return -1;
        }
    }
}
