package org.mqttvpn.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's --help renders as written: picocli treats description lines as format strings,
 * and a lone '%' ("1% loss") makes it print a WARN and the raw line instead.
 */
class HelpTextTest {
    @Test
    void everyCommandsHelpRendersWithoutAFormatWarning() {
        PrintStream stderr = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
        try {
            CommandLine root = Main.commandLine();
            assertThat(root.getUsageMessage()).contains("Usage:");
            for (Map.Entry<String, CommandLine> sub : root.getSubcommands().entrySet()) {
                assertThat(sub.getValue().getUsageMessage()).as(sub.getKey()).contains("Usage:");
            }
        } finally {
            System.setErr(stderr);
        }
        assertThat(warnings.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
