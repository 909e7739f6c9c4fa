package org.mqttvpn.tools.monitor;

import java.util.List;

/** Which addr2line fits a crash dump: the dump's format and the ELF's machine tell the chip family. */
public enum Toolchain {
    LX106(List.of("xtensa-lx106-elf-addr2line")),
    XTENSA_ESP32(List.of("xtensa-esp32-elf-addr2line", "xtensa-esp32s3-elf-addr2line", "xtensa-esp32s2-elf-addr2line",
            "xtensa-esp-elf-addr2line")),
    RISCV_ESP(List.of("riscv32-esp-elf-addr2line"));

    private final List<String> addr2lineNames;

    Toolchain(List<String> addr2lineNames) {
        this.addr2lineNames = addr2lineNames;
    }

    /** Candidate program names, best first (toolchain generations named them differently). */
    public List<String> addr2lineNames() {
        return addr2lineNames;
    }
}
