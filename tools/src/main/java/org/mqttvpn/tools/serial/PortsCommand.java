package org.mqttvpn.tools.serial;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.mqttvpn.tools.cli.ExitCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code toolkit ports}: the serial ports, with the USB-serial bridges of ESP boards marked. */
@Command(
        name = "ports",
        header = "List serial ports, marking the USB-serial bridges of ESP boards.",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "List the serial ports: path, /dev/serial/by-id name, USB VID:PID, serial number and "
                    + "description. Ports whose VID:PID is a USB-serial bridge of ESP boards (CP210x, CH340, "
                    + "CH9102, FTDI, Espressif's built-in USB) are marked with *, and the port that flash and "
                    + "monitor use when --port is omitted is named: exactly one ESP-looking port, else none.",
            ""},
        footer = {"", "Examples:", "  toolkit ports", "  toolkit ports --json | jq -r '.default'"})
public final class PortsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print JSON: {\"ports\": [...], \"default\": path or null}.")
    boolean json;

    private final PortScanner scanner;

    public PortsCommand() {
        this(new PortScanner());
    }

    /** For tests: list the given ports instead of the machine's. */
    public PortsCommand(PortScanner scanner) {
        this.scanner = scanner;
    }

    @Override
    public Integer call() throws Exception {
        List<SerialPortInfo> ports = scanner.scan();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(toJson(ports));
        } else {
            printTable(out, ports);
        }
        out.flush();
        return ExitCode.OK;
    }

    static String toJson(List<SerialPortInfo> ports) throws Exception {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        ArrayNode list = root.putArray("ports");
        for (SerialPortInfo p : ports) {
            ObjectNode o = list.addObject();
            o.put("path", p.path());
            o.put("byId", p.byIdName());
            if (p.isUsb()) {
                o.put("vid", String.format("%04x", p.vendorId()));
                o.put("pid", String.format("%04x", p.productId()));
            } else {
                o.putNull("vid");
                o.putNull("pid");
            }
            o.put("serialNumber", p.serialNumber());
            o.put("description", p.description());
            o.put("espBridge", p.espBridge().map(EspBridge::description).orElse(null));
        }
        List<SerialPortInfo> esp = PortSelection.espPorts(ports);
        root.put("default", esp.size() == 1 ? esp.get(0).path() : null);
        return mapper.writeValueAsString(root);
    }

    private static void printTable(PrintWriter out, List<SerialPortInfo> ports) {
        if (ports.isEmpty()) {
            out.println("No serial port is present.");
        } else {
            String[][] rows = new String[ports.size() + 1][];
            rows[0] = new String[] {"", "PATH", "BY-ID", "VID:PID", "SERIAL", "DESCRIPTION"};
            for (int i = 0; i < ports.size(); i++) {
                SerialPortInfo p = ports.get(i);
                String desc = p.description() == null ? "" : p.description();
                desc += p.espBridge().map(b -> " (ESP bridge: " + b.description() + ")").orElse("");
                rows[i + 1] = new String[] {p.looksLikeEsp() ? "*" : "", p.path(), orDash(p.byIdName()), p.vidPid(),
                    orDash(p.serialNumber()), desc};
            }
            int[] width = {1, 1, 1, 1, 1, 1}; // %-0s is not a format
            for (String[] r : rows) {
                for (int c = 0; c < 5; c++) {
                    width[c] = Math.max(width[c], r[c].length());
                }
            }
            for (String[] r : rows) {
                StringBuilder line = new StringBuilder();
                for (int c = 0; c < 5; c++) {
                    line.append(String.format("%-" + width[c] + "s  ", r[c]));
                }
                out.println(line.append(r[5]).toString().stripTrailing());
            }
        }
        out.println();
        out.println(PortSelection.describeDefault(ports));
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }
}
