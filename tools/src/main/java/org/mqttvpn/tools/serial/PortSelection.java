package org.mqttvpn.tools.serial;

import java.util.List;
import java.util.stream.Collectors;
import org.mqttvpn.tools.cli.ExitCode;
import org.mqttvpn.tools.cli.ToolkitException;

/**
 * Which port flash and monitor use when --port is omitted: exactly one ESP-looking port (a known
 * USB-serial bridge of ESP boards) is picked; none or several is an error that lists the ports.
 * {@code toolkit ports} shows the same choice.
 */
public final class PortSelection {
    private PortSelection() {
    }

    /** The single ESP-looking port, or an exception saying why there is no default. */
    public static SerialPortInfo defaultPort(List<SerialPortInfo> ports) {
        List<SerialPortInfo> esp = espPorts(ports);
        if (esp.size() == 1) {
            return esp.get(0);
        }
        if (esp.isEmpty()) {
            throw new ToolkitException(ExitCode.PORT_NOT_FOUND,
                    "no ESP board found: no port has a known USB-serial bridge of ESP boards ("
                            + "CP210x, CH340, CH9102, FTDI, Espressif USB)." + listing("Ports present", ports)
                            + "\nPlug the board in (a data cable, not a charge-only one), or give --port.");
        }
        throw new ToolkitException(ExitCode.USAGE, "several ESP boards are plugged in; choose one with --port."
                + listing("ESP-looking ports", esp));
    }

    /** The same rule as a message for {@code toolkit ports}: which port would be used, or why none. */
    public static String describeDefault(List<SerialPortInfo> ports) {
        List<SerialPortInfo> esp = espPorts(ports);
        if (esp.size() == 1) {
            return "flash and monitor use " + esp.get(0).path() + " when --port is not given.";
        }
        if (esp.isEmpty()) {
            return "no ESP-looking port: flash and monitor need --port.";
        }
        return esp.size() + " ESP-looking ports: flash and monitor need --port to choose.";
    }

    public static List<SerialPortInfo> espPorts(List<SerialPortInfo> ports) {
        return ports.stream().filter(SerialPortInfo::looksLikeEsp).collect(Collectors.toList());
    }

    /** "\nPorts present:\n  /dev/ttyUSB0 (...)" or "\nNo serial port is present." */
    public static String listing(String title, List<SerialPortInfo> ports) {
        if (ports.isEmpty()) {
            return "\nNo serial port is present.";
        }
        StringBuilder s = new StringBuilder("\n").append(title).append(':');
        for (SerialPortInfo p : ports) {
            s.append("\n  ").append(p.summary());
        }
        return s.toString();
    }
}
