package org.mqttvpn.tools.serial;

import com.fazecast.jSerialComm.SerialPort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** Lists the serial ports of this machine, with their stable /dev/serial/by-id names. */
public final class PortScanner {
    /** Where udev puts one symlink per USB serial device, named after vendor, product and serial. */
    public static final Path BY_ID_DIR = Path.of("/dev/serial/by-id");

    private final Supplier<List<SerialPortInfo>> source;
    private final Path byIdDir;

    /** The ports jSerialComm sees, named through {@link #BY_ID_DIR}. */
    public PortScanner() {
        this(PortScanner::fromJSerialComm, BY_ID_DIR);
    }

    /** For tests: a fixed list of ports and a by-id directory of symlinks. */
    public PortScanner(Supplier<List<SerialPortInfo>> source, Path byIdDir) {
        this.source = source;
        this.byIdDir = byIdDir;
    }

    /** Every port, sorted by path, each with its by-id name when it has one. */
    public List<SerialPortInfo> scan() {
        Map<Path, String> byId = byIdNames();
        List<SerialPortInfo> out = new ArrayList<>();
        for (SerialPortInfo p : source.get()) {
            String name = p.byIdName() != null ? p.byIdName() : byId.get(realPath(Path.of(p.path())));
            out.add(new SerialPortInfo(p.path(), name, p.vendorId(), p.productId(), p.serialNumber(), p.description()));
        }
        out.sort(Comparator.comparing(SerialPortInfo::path));
        return out;
    }

    private Map<Path, String> byIdNames() {
        Map<Path, String> names = new HashMap<>();
        if (!Files.isDirectory(byIdDir)) {
            return names;
        }
        try (Stream<Path> links = Files.list(byIdDir)) {
            links.forEach(link -> names.put(realPath(link), link.getFileName().toString()));
        } catch (IOException e) {
            // an unreadable by-id directory only costs the stable names
        }
        return names;
    }

    /** The symlink-free path, or the absolute one when it cannot be resolved (a port that went away). */
    static Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    private static List<SerialPortInfo> fromJSerialComm() {
        List<SerialPortInfo> out = new ArrayList<>();
        for (SerialPort p : SerialPort.getCommPorts()) {
            int vid = p.getVendorID();
            int pid = p.getProductID();
            String serial = p.getSerialNumber();
            if (serial != null && (serial.isBlank() || serial.equals("Unknown"))) {
                serial = null;
            }
            String description = p.getPortDescription();
            if (description == null || description.isBlank()) {
                description = p.getDescriptivePortName();
            }
            out.add(new SerialPortInfo(p.getSystemPortPath(), null, vid, pid, serial, description));
        }
        return out;
    }
}
