package org.mqttvpn.tools.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mqttvpn.tools.cli.ExitCode;
import org.mqttvpn.tools.lab.CountersLine;
import org.mqttvpn.tools.lab.LabProcess;
import org.mqttvpn.tools.lab.NetworkLab;
import org.mqttvpn.tools.lab.Ping;
import org.mqttvpn.tools.lab.Shell;
import org.mqttvpn.tools.lab.TcpEcho;
import org.mqttvpn.tools.lab.TcpTransfer;
import org.mqttvpn.tools.sim.SimBinary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code toolkit demo}: the whole tunnel on one machine, in network namespaces it creates
 * and removes: an embedded broker, this host's end (a TUN interface, 10.0.1.1) and a
 * virtual device (the firmware core on lwIP, 10.0.1.2); ping, the device's web page, a
 * report. {@code --two-hosts} shows two Linux hosts instead.
 */
@Command(
        name = "demo",
        header = "Show the tunnel working on this machine (namespaces; needs root).",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Show the tunnel working on this machine. In network namespaces created for the",
            "demo: an embedded MQTT broker, a Linux host running the daemon (TUN, 10.0.1.1),",
            "and a virtual device running the ESP firmware's core (10.0.1.2), with an",
            "encrypted tunnel (random key) between them. It pings the device, fetches its web",
            "page through the tunnel, echoes data off it, prints a report, and removes",
            "everything it created. Needs root (namespaces, TUN)."})
public final class DemoCommand implements Callable<Integer> {
    private static final int PORT = 1883;
    /** toolkit ota's result line: bytes, seconds. */
    private static final Pattern UPLOAD = Pattern.compile("upload: (\\d+) bytes in ([0-9.]+) s");

    @Spec
    CommandSpec spec;

    @Option(names = "--two-hosts", description = "Two Linux hosts (two daemons) instead of a host and a virtual device.")
    boolean twoHosts;

    @Option(names = "--size", paramLabel = "MB", defaultValue = "5", description = "Megabytes to send over TCP (default: ${DEFAULT-VALUE}).")
    int megabytes;

    @Option(names = "--pings", paramLabel = "N", defaultValue = "5", description = "Pings to send (default: ${DEFAULT-VALUE}).")
    int pings;

    @Option(names = "--keep-logs", description = "Keep the processes' logs and print where they are.")
    boolean keepLogs;

    private PrintWriter out;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        NetworkLab.requireRoot("toolkit demo (it creates network namespaces and TUN interfaces)");
        if (megabytes < 1 || megabytes > 1000 || pings < 1 || pings > 1000) {
            throw new ParameterException(spec.commandLine(), "--size and --pings must be within 1..1000");
        }
        boolean ok;
        try (NetworkLab lab = NetworkLab.create()) {
            if (keepLogs) {
                lab.keepLogs();
            }
            ok = twoHosts ? twoHosts(lab) : hostAndDevice(lab);
            if (!ok) {
                printLogTails(lab);
            }
            if (keepLogs) {
                line("logs", lab.dir().toString());
            }
        }
        line("cleanup", "namespaces, interfaces and processes removed");
        out.println(ok ? "demo OK" : "demo FAILED: see above");
        out.flush();
        return ok ? ExitCode.OK : ExitCode.FAILURE;
    }

    private boolean hostAndDevice(NetworkLab lab) throws Exception {
        out.println("mqttvpn demo: a Linux host and a virtual ESP device through an embedded MQTT broker");
        NetworkLab.Node host = lab.addNode("host");
        NetworkLab.Node device = lab.addNode("device");
        lab.startEmbeddedBroker(PORT);
        Path key = lab.writeRandomKey("demo.key");
        Path otaPassword = lab.writeRandomKey("demo-ota.password");
        LabProcess vpn = startHost(lab, host, "vpn", "10.0.1.1", "fd00::1", key);
        LabProcess sim = lab.startToolkit(device.ns(), "device", List.of("sim", "--broker", device.brokerUri(PORT),
                "--address", "10.0.1.2", "--address6", "fd00::2", "--key-file", key.toString(),
                "--state-dir", lab.dir().resolve("device-state").toString(), "--ota-password-file", otaPassword.toString()));
        vpn.awaitLog("connected to broker", 20_000);
        sim.awaitLog("connected to broker", 20_000);
        line("broker", "embedded (Moquette) in namespace " + lab.broker());
        line("host", "10.0.1.1 fd00::1 on TUN mq0 (toolkit vpn) in namespace " + host.ns());
        line("device", "10.0.1.2 fd00::2, firmware core on lwIP (toolkit sim) in namespace " + device.ns());
        line("encryption", "classic secretbox (XSalsa20-Poly1305), random 256-bit key");
        out.flush();

        boolean pingsOk = pingBothWays(host, "10.0.1.2", "fd00::2");
        long t0 = System.nanoTime();
        Shell.Result page = host.ns().run(30, "curl", "-sS", "--max-time", "10", "http://10.0.1.2/");
        long pageMs = (System.nanoTime() - t0) / 1_000_000;
        Map<String, String> rows = StatusPage.rows(page.output());
        boolean pageOk = page.ok() && page.output().contains("10.0.1.2");
        line("web page", pageOk ? String.format("http://10.0.1.2/: %d bytes in %d ms, device up %s", page.output().length(),
                pageMs, rows.getOrDefault("uptime", "?")) : "FAILED: " + page.output().strip());
        TcpEcho echo = TcpEcho.run(lab, host.ns(), "10.0.1.2", 7, megabytes * 1_000_000);
        line("tcp echo", String.format("%d MB to port 7 and back in %.2f s, SHA-256 %s", megabytes, echo.millis() / 1000.0,
                echo.intact() ? "equal" : "DIFFERENT"));
        Shell.Result finalPage = host.ns().run(30, "curl", "-sS", "--max-time", "10", "http://10.0.1.2/");
        Map<String, String> deviceRows = StatusPage.rows(finalPage.output());
        boolean updateOk = update(lab, host, otaPassword);
        vpn.stop(10_000);
        sim.stop(10_000);
        line("host", summary(CountersLine.last(vpn.log())));
        line("device", deviceSummary(deviceRows));
        return pingsOk && pageOk && echo.intact() && updateOk;
    }

    /**
     * A firmware update through the tunnel: toolkit ota sends the device its own program again
     * (the image it has is the one the toolkit carries), into its other slot; the device restarts
     * into it, rejoins, and its status page shows the version and the slot it runs.
     */
    private boolean update(NetworkLab lab, NetworkLab.Node host, Path otaPassword) throws Exception {
        Path image = SimBinary.locate();
        LabProcess ota = lab.startToolkit(host.ns(), "ota", List.of("ota", "--address", "10.0.1.2", "--image",
                image.toString(), "--password-file", otaPassword.toString()));
        boolean uploaded = ota.process().waitFor() == 0;
        Matcher upload = UPLOAD.matcher(ota.log());
        // The new image is confirmed once a frame from the VPN has reached it (the status page
        // request is one): then the page shows the slot alone, without "on probation".
        Map<String, String> page = Map.of();
        for (int i = 0; i < 20 && uploaded && !"b".equals(page.get("slot")); i++) {
            page = StatusPage.rows(host.ns().run(30, "curl", "-sS", "--max-time", "10", "http://10.0.1.2/").output());
            Thread.sleep(250);
        }
        boolean ok = uploaded && upload.find() && "b".equals(page.get("slot"));
        line("update", ok ? String.format("%.1f MB through the tunnel in %s s (toolkit ota); the device runs"
                + " version %s from slot %s", Long.parseLong(upload.group(1)) / 1e6, upload.group(2),
                page.get("version"), page.get("slot")) : "FAILED: " + ota.log().strip().lines().reduce((a, b) -> b).orElse(""));
        return ok;
    }

    private boolean twoHosts(NetworkLab lab) throws Exception {
        out.println("mqttvpn demo: two Linux hosts through an embedded MQTT broker");
        NetworkLab.Node a = lab.addNode("host-a");
        NetworkLab.Node b = lab.addNode("host-b");
        lab.startEmbeddedBroker(PORT);
        Path key = lab.writeRandomKey("demo.key");
        LabProcess vpnA = startHost(lab, a, "vpn-a", "10.0.1.1", "fd00::1", key);
        LabProcess vpnB = startHost(lab, b, "vpn-b", "10.0.1.2", "fd00::2", key);
        vpnA.awaitLog("connected to broker", 20_000);
        vpnB.awaitLog("connected to broker", 20_000);
        line("broker", "embedded (Moquette) in namespace " + lab.broker());
        line("host A", "10.0.1.1 fd00::1 on mq0 in namespace " + a.ns());
        line("host B", "10.0.1.2 fd00::2 on mq0 in namespace " + b.ns());
        line("encryption", "classic secretbox (XSalsa20-Poly1305), random 256-bit key");
        out.flush();
        boolean pingsOk = pingBothWays(a, "10.0.1.2", "fd00::2");
        TcpTransfer.Result tcp = TcpTransfer.run(lab, a.ns(), b.ns(), "10.0.1.2", 5001, megabytes * 1_000_000);
        line("tcp", String.format("%d MB A -> B in %.2f s (%.1f MB/s), SHA-256 %s", megabytes, tcp.millis() / 1000.0,
                tcp.megabytesPerSecond(), tcp.intact() ? "equal at both ends" : "DIFFERENT"));
        vpnA.stop(10_000);
        vpnB.stop(10_000);
        line("host A", summary(CountersLine.last(vpnA.log())));
        line("host B", summary(CountersLine.last(vpnB.log())));
        return pingsOk && tcp.intact();
    }

    /** What went wrong is usually in the processes' last lines: show them before they are removed. */
    private void printLogTails(NetworkLab lab) {
        for (LabProcess p : lab.processes()) {
            List<String> lines = p.log().lines().toList();
            out.printf("  --- last lines of %s:%n", p.name());
            lines.subList(Math.max(0, lines.size() - 12), lines.size()).forEach(l -> out.println("    " + l));
        }
        out.flush();
    }

    private static LabProcess startHost(NetworkLab lab, NetworkLab.Node node, String name, String v4, String v6,
            Path key) throws IOException {
        return lab.startVpn(node, name, PORT, List.of("-a", v4, "-6", v6, "--key-file", key.toString()));
    }

    /** Waits for the first reply (subscriptions may still be in flight), then pings over IPv4 and IPv6. */
    private boolean pingBothWays(NetworkLab.Node from, String v4, String v6) throws IOException, InterruptedException {
        Ping.awaitReply(from.ns(), v4, 10);
        Ping.Result p4 = Ping.run(from.ns(), v4, pings, 0.2);
        Ping.Result p6 = Ping.run(from.ns(), v6, pings, 0.2);
        ping("ping v4", p4);
        ping("ping v6", p6);
        return p4.allAnswered() && p6.allAnswered();
    }

    private void ping(String label, Ping.Result p) {
        line(label, String.format("%d/%d replies, rtt min/avg/max %.2f/%.2f/%.2f ms", p.received(), p.transmitted(),
                p.min(), p.avg(), p.max()));
    }

    private void line(String label, String text) {
        out.printf("  %-11s %s%n", label, text);
        out.flush();
    }

    static String summary(Map<String, Long> c) {
        if (c.isEmpty()) {
            return "(no counters logged)";
        }
        long drops = c.entrySet().stream().filter(e -> e.getKey().startsWith("drop_")).mapToLong(Map.Entry::getValue).sum();
        return String.format("tx %d packets %d bytes, rx %d packets %d bytes, %d dropped, %d reconnects",
                c.get("tx_packets"), c.get("tx_bytes"), c.get("rx_packets"), c.get("rx_bytes"), drops, c.get("reconnects"));
    }

    static String deviceSummary(Map<String, String> rows) {
        if (rows.isEmpty()) {
            return "(status page unreadable)";
        }
        long drops = rows.entrySet().stream().filter(e -> e.getKey().contains("_dropped"))
                .mapToLong(e -> parse(e.getValue())).sum();
        return String.format("tx %s packets %s bytes, rx %s packets %s bytes, %d dropped, %s reconnects",
                rows.getOrDefault("tx_packets", "?"), rows.getOrDefault("tx_bytes", "?"),
                rows.getOrDefault("rx_packets", "?"), rows.getOrDefault("rx_bytes", "?"), drops,
                rows.getOrDefault("reconnects", "?"));
    }

    private static long parse(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
