package org.mqttvpn.tools.serial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqttvpn.tools.cli.ExitCode;
import org.mqttvpn.tools.cli.ToolkitException;
import picocli.CommandLine;

class PortsCommandTest {
    @TempDir
    Path dir;

    static final SerialPortInfo CP2102 = new SerialPortInfo("/dev/ttyUSB0", null, 0x10c4, 0xea60, "0001", "CP2102 USB to UART");
    static final SerialPortInfo CH340 = new SerialPortInfo("/dev/ttyUSB1", null, 0x1a86, 0x7523, null, "USB Serial");
    static final SerialPortInfo ARDUINO = new SerialPortInfo("/dev/ttyACM0", null, 0x2341, 0x0043, "ABC", "Arduino Uno");
    static final SerialPortInfo BUILTIN = new SerialPortInfo("/dev/ttyS0", null, -1, -1, null, "Physical Port S0");

    PortScanner scanner(List<SerialPortInfo> ports) throws Exception {
        Path byId = dir.resolve("by-id");
        Path fakeDev = dir.resolve("ttyUSB0");
        if (!Files.exists(byId)) {
            Files.createDirectories(byId);
            Files.createFile(fakeDev);
            Files.createSymbolicLink(byId.resolve("usb-Silicon_Labs_CP2102_0001-if00-port0"), fakeDev);
        }
        List<SerialPortInfo> withPath = ports.stream()
                .map(p -> p == CP2102 ? new SerialPortInfo(fakeDev.toString(), null, p.vendorId(), p.productId(),
                        p.serialNumber(), p.description()) : p)
                .toList();
        return new PortScanner(() -> withPath, byId);
    }

    String run(PortScanner scanner, String... args) {
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new PortsCommand(scanner));
        cl.setOut(new PrintWriter(out, true));
        assertThat(cl.execute(args)).isEqualTo(ExitCode.OK);
        return out.toString();
    }

    @Test
    void marksEspBridgesAndNamesTheDefault() throws Exception {
        String table = run(scanner(List.of(CP2102, ARDUINO, BUILTIN)));
        assertThat(table).contains("usb-Silicon_Labs_CP2102_0001-if00-port0", "10c4:ea60", "ESP bridge: Silicon Labs CP210x",
                "2341:0043", "/dev/ttyS0");
        assertThat(table.lines().filter(l -> l.startsWith("*"))).hasSize(1);
        assertThat(table).contains("flash and monitor use " + dir.resolve("ttyUSB0") + " when --port is not given");
    }

    @Test
    void listsPortsWhenNoneIsAnEspBridge() throws Exception {
        String table = run(scanner(List.of(ARDUINO, BUILTIN)));
        assertThat(table).contains("/dev/ttyACM0", "/dev/ttyS0", "no ESP-looking port: flash and monitor need --port");
        assertThat(run(scanner(List.of()))).contains("No serial port is present.");
    }

    @Test
    void printsJson() throws Exception {
        JsonNode j = new ObjectMapper().readTree(run(scanner(List.of(CP2102, CH340)), "--json"));
        assertThat(j.get("ports")).hasSize(2);
        assertThat(j.get("ports").get(0).get("vid").asText()).isEqualTo("1a86");
        assertThat(j.get("ports").get(0).get("espBridge").asText()).isEqualTo("WCH CH340");
        assertThat(j.get("default").isNull()).isTrue(); // two ESP-looking ports: no default
    }

    @Test
    void theDefaultPortIsTheOnlyEspLookingOne() {
        assertThat(PortSelection.defaultPort(List.of(CH340, ARDUINO, BUILTIN))).isEqualTo(CH340);
        assertThatThrownBy(() -> PortSelection.defaultPort(List.of(ARDUINO, BUILTIN)))
                .isInstanceOfSatisfying(ToolkitException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.PORT_NOT_FOUND);
                    assertThat(e.getMessage()).contains("no ESP board found", "/dev/ttyACM0", "/dev/ttyS0");
                });
        assertThatThrownBy(() -> PortSelection.defaultPort(List.of(CP2102, CH340)))
                .isInstanceOfSatisfying(ToolkitException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                    assertThat(e.getMessage()).contains("several ESP boards", "/dev/ttyUSB0", "/dev/ttyUSB1", "--port");
                });
        assertThat(EspBridge.of(0x303a, 0x1001)).contains(EspBridge.ESPRESSIF_USB_JTAG);
        assertThat(EspBridge.of(0x0403, 0x6015)).contains(EspBridge.FT231X);
        assertThat(EspBridge.of(0x2341, 0x0043)).isEmpty();
    }

    @Test
    void permissionMessageNamesTheGroupAndTheFix() throws Exception {
        Path dev = Files.createFile(dir.resolve("ttyUSB5"));
        ToolkitException e = new PortOpener(scanner(List.of()), new PortHolders()).permission(dev.toString());
        assertThat(e.exitCode()).isEqualTo(ExitCode.PERMISSION);
        assertThat(e.getMessage()).contains("no permission to open serial port " + dev, "sudo usermod -aG", "$USER",
                "log out and in");
    }

    @Test
    void findsTheProcessesHoldingAFile() throws Exception {
        Path f = Files.createFile(dir.resolve("held"));
        Process p = new ProcessBuilder("sh", "-c", "exec 3<'" + f + "'; echo ready; sleep 30").start();
        try {
            assertThat(new String(p.getInputStream().readNBytes(6))).isEqualTo("ready\n");
            List<PortHolders.Holder> holders = new PortHolders().of(f);
            assertThat(holders).extracting(PortHolders.Holder::pid).contains(p.pid());
            assertThat(PortHolders.describe(holders)).contains("Held by: ", "(pid " + p.pid() + ")");
        } finally {
            p.destroy();
            p.waitFor();
        }
    }
}
