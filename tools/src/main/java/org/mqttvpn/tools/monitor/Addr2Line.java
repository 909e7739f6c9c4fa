package org.mqttvpn.tools.monitor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.mqttvpn.tools.build.ToolLocator;

/** {@link AddressResolver} with binutils' addr2line of the right cross toolchain, found on PATH. */
public final class Addr2Line implements AddressResolver {
    private final Path elf;
    private final ToolLocator locator;

    public Addr2Line(Path elf, Map<String, String> env) {
        this.elf = elf;
        this.locator = new ToolLocator(env);
    }

    public Path elf() {
        return elf;
    }

    @Override
    public List<String> resolve(Toolchain toolchain, List<Long> addresses) {
        Optional<Path> tool = Optional.empty();
        for (String name : toolchain.addr2lineNames()) {
            tool = locator.onPath(name);
            if (tool.isPresent()) {
                break;
            }
        }
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
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return List.of("(cannot decode: " + tool.get().getFileName() + " did not finish)");
            }
            if (p.exitValue() != 0) {
                return List.of("(cannot decode with " + elf + ": " + out.strip() + ")");
            }
            return out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        } catch (IOException e) {
            return List.of("(cannot decode: " + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of("(decoding interrupted)");
        }
    }

    /** The ELF's machine: 94 Xtensa, 243 RISC-V, or -1 when unreadable. */
    public static int elfMachine(Path elf) {
        try (var in = java.nio.file.Files.newInputStream(elf)) {
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
