package org.mqttvpn.tools.demo;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.mqttvpn.tools.cli.ExitCode;
import org.mqttvpn.tools.lab.CountersLine;
import org.mqttvpn.tools.lab.LabProcess;
import org.mqttvpn.tools.lab.NetworkLab;
import org.mqttvpn.tools.lab.Ping;
import org.mqttvpn.tools.lab.TcpTransfer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code toolkit demo}: the whole tunnel on one machine, in network namespaces it creates
 * and removes: an embedded broker, two hosts running the daemon, a ping and a TCP transfer
 * between them, and a short report.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Show the tunnel working on this machine: an embedded MQTT broker and two hosts,",
            "each in a network namespace created for the demo, with an encrypted tunnel",
            "(random key) between 10.0.1.1 and 10.0.1.2; then ping, a TCP transfer, and a",
            "report. Everything created is removed afterwards. Needs root (namespaces, TUN)."})
public final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--size", paramLabel = "MB", defaultValue = "5", description = "Megabytes to send over TCP (default: ${DEFAULT-VALUE}).")
    int megabytes;

    @Option(names = "--pings", paramLabel = "N", defaultValue = "5", description = "Pings to send (default: ${DEFAULT-VALUE}).")
    int pings;

    @Option(names = "--keep-logs", description = "Keep the processes' logs and print where they are.")
    boolean keepLogs;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        NetworkLab.requireRoot("toolkit demo (it creates network namespaces and TUN interfaces)");
        if (megabytes < 1 || megabytes > 1000 || pings < 1 || pings > 1000) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--size and --pings must be within 1..1000");
        }
        boolean ok;
        try (NetworkLab lab = NetworkLab.create()) {
            if (keepLogs) {
                lab.keepLogs();
            }
            out.println("mqttvpn demo: two hosts through an embedded MQTT broker");
            NetworkLab.Node a = lab.addNode("host-a");
            NetworkLab.Node b = lab.addNode("host-b");
            LabProcess broker = lab.startToolkit(lab.broker(), "broker", List.of("broker", "--bind", "0.0.0.0", "--port", "1883"));
            lab.awaitListening(lab.broker(), 1883, broker);
            Path keyFile = lab.dir().resolve("demo.key");
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Files.writeString(keyFile, HexFormat.of().formatHex(key) + "\n");
            Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
            LabProcess vpnA = startHost(lab, a, "10.0.1.1", "fd00::1", keyFile);
            LabProcess vpnB = startHost(lab, b, "10.0.1.2", "fd00::2", keyFile);
            vpnA.awaitLog("connected to broker", 20_000);
            vpnB.awaitLog("connected to broker", 20_000);
            out.printf("  broker      embedded (Moquette), 172.30.x.1:1883 in namespace %s%n", lab.broker());
            out.printf("  host A      10.0.1.1 fd00::1 on mq0 in namespace %s%n", a.ns());
            out.printf("  host B      10.0.1.2 fd00::2 on mq0 in namespace %s%n", b.ns());
            out.printf("  encryption  classic secretbox (XSalsa20-Poly1305), random 256-bit key%n");
            out.flush();

            Ping.Result p4 = Ping.run(a.ns(), "10.0.1.2", pings, 0.2);
            Ping.Result p6 = Ping.run(a.ns(), "fd00::2", pings, 0.2);
            out.printf("  ping v4     %d/%d replies, rtt min/avg/max %.2f/%.2f/%.2f ms%n", p4.received(), p4.transmitted(),
                    p4.min(), p4.avg(), p4.max());
            out.printf("  ping v6     %d/%d replies, rtt min/avg/max %.2f/%.2f/%.2f ms%n", p6.received(), p6.transmitted(),
                    p6.min(), p6.avg(), p6.max());
            out.flush();
            TcpTransfer.Result tcp = TcpTransfer.run(lab, a.ns(), b.ns(), "10.0.1.2", 5001, megabytes * 1_000_000);
            out.printf("  tcp         %d MB A -> B in %.2f s (%.1f MB/s), SHA-256 %s%n", megabytes, tcp.millis() / 1000.0,
                    tcp.megabytesPerSecond(), tcp.intact() ? "equal at both ends" : "DIFFERENT");
            vpnA.stop(10_000);
            vpnB.stop(10_000);
            out.printf("  counters A  %s%n", summary(CountersLine.last(vpnA.log())));
            out.printf("  counters B  %s%n", summary(CountersLine.last(vpnB.log())));
            ok = p4.allAnswered() && p6.allAnswered() && tcp.intact();
            if (keepLogs) {
                out.printf("  logs        %s%n", lab.dir());
            }
        }
        out.printf("  cleanup     namespaces, interfaces and processes removed%n");
        out.println(ok ? "demo OK" : "demo FAILED: see above");
        out.flush();
        return ok ? ExitCode.OK : ExitCode.FAILURE;
    }

    private static LabProcess startHost(NetworkLab lab, NetworkLab.Node node, String v4, String v6, Path keyFile)
            throws java.io.IOException {
        return lab.startToolkit(node.ns(), "vpn-" + v4, List.of("vpn", "-i", "mq0", "-a", v4, "-6", v6,
                "-b", "tcp://" + node.brokerAddress() + ":1883", "--key-file", keyFile.toString()));
    }

    static String summary(Map<String, Long> c) {
        if (c.isEmpty()) {
            return "(none logged)";
        }
        long drops = c.entrySet().stream().filter(e -> e.getKey().startsWith("drop_")).mapToLong(Map.Entry::getValue).sum();
        return String.format("tx %d packets %d bytes, rx %d packets %d bytes, %d dropped, %d reconnects",
                c.get("tx_packets"), c.get("tx_bytes"), c.get("rx_packets"), c.get("rx_bytes"), drops, c.get("reconnects"));
    }
}
