package org.mqttvpn.tools.monitor;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Watches console lines for crash reports and returns decoded lines to print after them:
 * ESP8266 ({@code Exception (N):} or {@code Fatal exception N(...)}, the {@code epc1=...} line,
 * and the {@code >>>stack>>>} ... {@code <<<stack<<<} block) and ESP32 family
 * ({@code Backtrace: 0x..:0x.. ...}, {@code PC : 0x..}, RISC-V {@code MEPC}/{@code RA}).
 */
public final class CrashDecoder {
    private static final Pattern EXCEPTION_8266 = Pattern.compile("(?:Exception \\((\\d+)\\):|Fatal exception (\\d+)\\()");
    private static final Pattern REGISTER_8266 = Pattern.compile("(epc1|epc2|epc3|excvaddr|depc)=(0x[0-9a-fA-F]{8})");
    private static final Pattern STACK_LINE = Pattern.compile("^\\s*[0-9a-fA-F]{8}:\\s+((?:[0-9a-fA-F]{8}\\s*){1,4})");
    private static final Pattern WORD = Pattern.compile("[0-9a-fA-F]{8}");
    private static final Pattern BACKTRACE = Pattern.compile("Backtrace:((?:\\s*0x[0-9a-fA-F]{8}:0x[0-9a-fA-F]{8})+)");
    private static final Pattern BACKTRACE_PC = Pattern.compile("(0x[0-9a-fA-F]{8}):0x[0-9a-fA-F]{8}");
    private static final Pattern PC_XTENSA = Pattern.compile("^PC\\s*:\\s*(0x[0-9a-fA-F]{8})");
    private static final Pattern PC_RISCV = Pattern.compile("^MEPC\\s*:\\s*(0x[0-9a-fA-F]{8})\\s+RA\\s*:\\s*(0x[0-9a-fA-F]{8})");

    private final AddressResolver resolver;
    private final boolean riscvElf;
    private boolean inStack;
    private final List<Long> stack = new ArrayList<>();

    /**
     * @param resolver addr2line over the user's ELF
     * @param riscvElf the ELF is RISC-V (ESP32-C3/C6/H2): ESP32-style dumps use riscv32-esp-elf
     */
    public CrashDecoder(AddressResolver resolver, boolean riscvElf) {
        this.resolver = resolver;
        this.riscvElf = riscvElf;
    }

    /** Lines to print after {@code line} (without "--- " prefixes); empty for most lines. */
    public List<String> onLine(String line) {
        List<String> out = new ArrayList<>();
        Matcher m;
        if ((m = EXCEPTION_8266.matcher(line)).find()) {
            int cause = Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2));
            out.add("Exception " + cause + ": " + ExceptionCause.describe(cause));
            return out;
        }
        if (line.contains("epc1=")) {
            m = REGISTER_8266.matcher(line);
            while (m.find()) {
                long addr = Long.decode(m.group(2));
                String reg = m.group(1);
                if (isEsp8266Code(addr)) {
                    for (String r : resolver.resolve(Toolchain.LX106, List.of(addr))) {
                        out.add(reg + " " + r);
                    }
                } else if (reg.equals("excvaddr")) {
                    out.add(reg + String.format(" 0x%08x (the data address that faulted)", addr));
                }
            }
            return out;
        }
        if (line.contains(">>>stack>>>")) {
            inStack = true;
            stack.clear();
            return out;
        }
        if (inStack) {
            if (line.contains("<<<stack<<<")) {
                inStack = false;
                if (!stack.isEmpty()) {
                    out.add("stack (code addresses, innermost first):");
                    for (String r : resolver.resolve(Toolchain.LX106, stack)) {
                        if (!r.contains("?? ??:0")) {
                            out.add("  " + r);
                        }
                    }
                }
                return out;
            }
            m = STACK_LINE.matcher(line);
            if (m.find()) {
                Matcher w = WORD.matcher(m.group(1));
                while (w.find()) {
                    long v = Long.parseLong(w.group(), 16);
                    if (isEsp8266Code(v)) {
                        stack.add(v);
                    }
                }
            }
            return out;
        }
        Toolchain esp32 = riscvElf ? Toolchain.RISCV_ESP : Toolchain.XTENSA_ESP32;
        if ((m = BACKTRACE.matcher(line)).find()) {
            List<Long> pcs = new ArrayList<>();
            Matcher pc = BACKTRACE_PC.matcher(m.group(1));
            while (pc.find()) {
                pcs.add(Long.decode(pc.group(1)));
            }
            out.add("backtrace:");
            for (String r : resolver.resolve(esp32, pcs)) {
                out.add("  " + r);
            }
            return out;
        }
        if ((m = PC_XTENSA.matcher(line)).find()) {
            for (String r : resolver.resolve(esp32, List.of(Long.decode(m.group(1))))) {
                out.add("PC " + r);
            }
            return out;
        }
        if ((m = PC_RISCV.matcher(line)).find()) {
            List<String> r = resolver.resolve(Toolchain.RISCV_ESP, List.of(Long.decode(m.group(1)), Long.decode(m.group(2))));
            for (String s : r) {
                out.add(s);
            }
        }
        return out;
    }

    /** IRAM (0x40100000..) and flash-mapped code (0x40200000..0x402FFFFF) of the ESP8266; the mask ROM is not in the ELF. */
    static boolean isEsp8266Code(long a) {
        return (a >= 0x40100000L && a < 0x40110000L) || (a >= 0x40200000L && a < 0x40300000L);
    }
}
