package org.mqttvpn.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mqttvpn.tools.cli.ExitCode;

/**
 * Every command that reads the inventory (gen, vpn --config, build, flash, ota) refuses a file
 * it cannot use with file:line:column, what is wrong and what to do, exit 2, and no stack trace:
 * lists nested thousands deep (once a StackOverflowError), UTF-16 and Latin-1 files (once
 * "Input length = 1"), an SSID with a NUL (once written to the firmware as "a\000b").
 */
class InventoryFileProblemsTest {
    static final String INVENTORY = """
            network:
              name: lab
              subnet: 10.0.3.0/24
              broker: tcp://127.0.0.1:1883
              key: none
            hosts:
              - name: laptop
                address: 10.0.3.1
            devices:
              - name: sensor
                platform: esp8266-arduino
                address: auto
                wifi: {ssid: OpenCafe}
            """;

    @TempDir
    Path dir;

    /**
     * The command lines, with FILE for the inventory's path. vpn names a host the inventory does
     * not have: were the inventory accepted, it would fail there rather than start a VPN.
     */
    static Stream<String> commands() {
        return Stream.of(
                "gen FILE -o OUT",
                "vpn --config FILE --host not-in-it",
                "build sensor --inventory FILE",
                "flash sensor --inventory FILE",
                "ota sensor --inventory FILE");
    }

    private CommandRun run(String command, byte[] inventory) throws IOException {
        Path file = Files.write(dir.resolve("network.yaml"), inventory);
        String[] args = Arrays.stream(command.split(" "))
                .map(a -> a.equals("FILE") ? file.toString() : a.equals("OUT") ? dir.resolve("out").toString() : a)
                .toArray(String[]::new);
        CommandRun r = CommandRun.of(args);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).as("no stack trace").doesNotContain("\tat ").doesNotContain("StackOverflowError")
                .doesNotContain("Exception");
        assertThat(dir.resolve("out")).as("nothing written").doesNotExist();
        return r;
    }

    private String file() {
        return dir.resolve("network.yaml").toString();
    }

    @ParameterizedTest
    @MethodSource("commands")
    void listsNestedThousandsDeepAreRefusedWhereTheyGoTooDeep(String command) throws IOException {
        String deep = "network:\n  name: " + "[".repeat(2000) + "\n";
        CommandRun r = run(command, deep.getBytes(StandardCharsets.UTF_8));
        // the mapping under network: is level 2, the first '[' level 3: the 49th '[' is the 51st level
        assertThat(r.err()).contains(file() + ":2:" + ("  name: ".length() + 49) + ": lists and mappings are nested"
                + " more than 50 levels deep here (an inventory needs 4); look for '[' or '{' that are never closed");
    }

    @ParameterizedTest
    @MethodSource("commands")
    void aUtf16InventoryIsNamedByItsEncoding(String command) throws IOException {
        byte[] text = INVENTORY.getBytes(StandardCharsets.UTF_16LE);
        byte[] withMark = new byte[text.length + 2];
        withMark[0] = (byte) 0xFF;
        withMark[1] = (byte) 0xFE;
        System.arraycopy(text, 0, withMark, 2, text.length);
        CommandRun r = run(command, withMark);
        assertThat(r.err()).contains(file() + ":1:1: not UTF-8 (looks like UTF-16 LE, from its byte order mark);"
                + " save it as UTF-8");
    }

    @ParameterizedTest
    @MethodSource("commands")
    void aLatin1ByteIsNamedWithItsLineAndColumn(String command) throws IOException {
        CommandRun r = run(command, INVENTORY.replace("OpenCafe", "Caf\u00e9").getBytes(StandardCharsets.ISO_8859_1));
        assertThat(r.err()).contains(file() + ":13:" + ("    wifi: {ssid: Caf".length() + 1)
                + ": byte 0xE9 is not UTF-8 (Latin-1?); save the file as UTF-8");
    }

    @ParameterizedTest
    @MethodSource("commands")
    void anSsidWithANulIsRefusedWithTheField(String command) throws IOException {
        CommandRun r = run(command, INVENTORY.replace("OpenCafe", "\"Open\\0Cafe\"").getBytes(StandardCharsets.UTF_8));
        assertThat(r.err()).contains(file() + ":13:" + ("    wifi: {ssid: ".length() + 1) + ": 'ssid' of the wifi of"
                + " device 'sensor' holds a control character (U+0000 NUL, character 5)");
    }
}
