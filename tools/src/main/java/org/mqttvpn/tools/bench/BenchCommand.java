package org.mqttvpn.tools.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mqttvpn.tools.cli.ExitCode;
import org.mqttvpn.tools.lab.LabProcess;
import org.mqttvpn.tools.lab.NetworkLab;
import org.mqttvpn.tools.lab.Ping;
import org.mqttvpn.tools.lab.TcpDiscard;
import org.mqttvpn.tools.sim.SimBinary;
import org.mqttvpn.tools.vpn.LowLatency;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code toolkit bench}: the tunnel against the raw MQTT path on this machine, in one run,
 * with two hosts in namespaces and mosquitto. Prints one table.
 */
@Command(
        name = "bench",
        header = "Measure the tunnel against the raw MQTT path (needs root).",
        mixinStandardHelpOptions = true,
        description = {
            "Measure the tunnel on this machine (root; about five minutes): the raw MQTT round trip and",
            "message rate through mosquitto, then, with and without a key, tunnel ping RTT, iperf3 TCP",
            "each way, the highest UDP rate under 1%% loss, and the CPU use of daemons and broker.",
            "Round trips are measured twice: as the machine is, and with its CPUs kept out of deep idle",
            "states (what vpn --low-latency asks for), for the raw path and the tunnel alike.",
            "Then, with a virtual device in place of the second host: the one-way TCP rate into it and",
            "the rate of a 4 MB firmware update to it (toolkit ota), medians of 5 alternating rounds, and the one as a share of the other.",
            "The daemons' resident memory (largest VmRSS) during the TCP run, and the time from starting a",
            "daemon to the first answered ping while its peer is up (median of --start-runs). Daemons run",
            "with the JVM options the toolkit launcher gives toolkit vpn.",
            "Then the broker tier: two hosts on one mosquitto against the same at two sites with bridged",
            "mosquittos (per-address bridge, and mirroring everything): RTT and iperf3 TCP across the bridge,",
            "and TCP between two hosts of one site while the bridge is there.",
            "Before each measurement it waits (at most --quiet-wait seconds) until the machine's CPUs are",
            "mostly idle; a measurement taken on a busy machine is marked in a note under the table.",
            "Raw MQTT uses the daemon's own client path. Prints two tables. Run by ci/bench."})
public final class BenchCommand implements Callable<Integer> {
    private static final Pattern KV = Pattern.compile("(\\w+)=([0-9.NaInfity-]+)");
    /** toolkit ota's result line: bytes, seconds. */
    private static final Pattern UPLOAD = Pattern.compile("upload: (\\d+) bytes in ([0-9.]+) s");
    private static final int UPDATE_IMAGE_BYTES = 4_000_000;
    /** Alternating rounds of the TCP transfer and the update into the virtual device (medians are shown). */
    private static final int UPDATE_ROUNDS = 5;
    private static final int PORT = 1883;

    @Spec
    CommandSpec spec;

    @Option(names = "--seconds", defaultValue = "8", description = "Length of each iperf3 TCP run (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--quiet-wait", defaultValue = "30", paramLabel = "SECONDS",
            description = "Wait at most this long before each measurement for a quiet machine (default: ${DEFAULT-VALUE}).")
    int quietWaitSeconds;

    @Option(names = "--start-runs", defaultValue = "5", paramLabel = "N",
            description = "Daemon starts timed to the first answered ping, per column (default: ${DEFAULT-VALUE}).")
    int startRuns;

    /** Rows measured while the CPUs are kept out of deep idle states (what vpn --low-latency asks for). */
    private static final String LOW_LATENCY = ", CPUs kept from deep idle";

    private final Map<String, String[]> rows = new LinkedHashMap<>();
    /** Measurements taken on a busy machine, and how busy it was. */
    private final Map<String, String> busyNotes = new LinkedHashMap<>();
    private QuietMachine quietMachine;
    private double rawMegabytesPerSecond;

    @Override
    public Integer call() throws Exception {
        NetworkLab.requireRoot("toolkit bench (network namespaces, TUN)");
        PrintWriter out = spec.commandLine().getOut();
        quietMachine = new QuietMachine(quietWaitSeconds * 1000L);
        try (NetworkLab lab = NetworkLab.create()) {
            NetworkLab.Node a = lab.addNode("a");
            NetworkLab.Node b = lab.addNode("b");
            LabProcess broker = lab.startMosquitto(PORT);
            progress("raw MQTT round trips");
            raw(lab, a, b);
            for (boolean withKey : new boolean[] {false, true}) {
                progress("tunnel " + (withKey ? "with a key" : "without a key"));
                tunnel(lab, a, b, broker, withKey ? 2 : 1, withKey);
                progress("daemon start to first answered ping " + (withKey ? "with a key" : "without a key"));
                startToFirstPing(lab, a, b, withKey ? 2 : 1, withKey);
            }
        }
        BrokerTierBench tier = new BrokerTierBench(seconds).run();
        print(out);
        tier.print(out);
        return ExitCode.OK;
    }

    private static void progress(String what) {
        System.err.println("bench: " + what + "...");
    }

    private void put(String row, int column, String value) {
        rows.computeIfAbsent(row, k -> new String[] {"", "", ""})[column] = value;
    }

    private void raw(NetworkLab lab, NetworkLab.Node a, NetworkLab.Node b) throws Exception {
        String brokerA = a.brokerUri(PORT);
        String brokerB = b.brokerUri(PORT);
        LabProcess echo = lab.startToolkit(b.ns(), "probe-echo", List.of("mqtt-probe", "echo", "--broker", brokerB,
                "--in", "bench/ping", "--out", "bench/pong"));
        echo.awaitLog("echo ready", 20_000);
        for (int size : new int[] {84, 1400}) {
            quiet("raw MQTT RTT " + size + " B");
            roundTrips(size, "", 0, rawProbe(lab, a, brokerA, size));
        }
        try (LowLatency hold = LowLatency.request()) {
            roundTrips(84, LOW_LATENCY, 0, rawProbe(lab, a, brokerA, 84));
        }
        echo.stop(3000);
        // The highest one-way rate of 1400-byte messages that arrives complete. mosquitto drops
        // QoS 0 messages for a subscriber that falls behind, so: as fast as the source can,
        // and if that loses messages, bisect between 0 and the rate the subscriber managed.
        int count = 60_000;
        double best = 0;
        double low = 0;
        double high = 0;
        for (int attempt = 0; attempt < 8; attempt++) {
            quiet("raw MQTT one-way rate");
            double rate = attempt == 0 ? 0 : (high == 0 ? low * 1.2 : (low + high) / 2);
            Map<String, Double> got = rawRun(lab, a, b, brokerA, brokerB, count, (long) rate, attempt);
            boolean complete = got.get("received") >= count;
            if (attempt == 0) {
                if (complete) {
                    best = got.get("rate");
                    break;
                }
                high = got.get("rate") * 1.1; // what the subscriber took while overrun, plus a margin
                low = 0;
                continue;
            }
            if (complete) {
                low = rate;
                best = Math.max(best, got.get("rate"));
            } else {
                high = rate;
            }
            if (high > 0 && high - low < 0.05 * high) {
                break;
            }
        }
        put("raw MQTT one-way, 1400 B messages, no loss: msg/s (MB/s)", 0,
                String.format("%.0f (%.1f)", best, best * 1400 / 1e6));
        rawMegabytesPerSecond = best * 1400 / 1e6;
    }


    /** Round trips of one kind: {@code count} of them, {@code spacing} seconds apart (0: back to back). */
    private interface RoundTrips {
        /** avg and p99 in ms, as the table shows them. */
        String measure(int count, double spacing) throws IOException, InterruptedException;
    }

    /** The two RTT rows (back to back, 10 ms spacing) of one column. */
    private void roundTrips(int size, String condition, int column, RoundTrips trips) throws IOException, InterruptedException {
        put("RTT " + size + " B, back-to-back" + condition + ": avg / p99 ms", column, trips.measure(3000, 0));
        put("RTT " + size + " B, 10 ms spacing" + condition + ": avg / p99 ms", column, trips.measure(500, 0.01));
    }

    private static RoundTrips rawProbe(NetworkLab lab, NetworkLab.Node a, String brokerA, int size) {
        return (count, spacing) -> {
            Map<String, Double> r = probe(lab, a, "rtt", "--broker", brokerA, "--size", Integer.toString(size),
                    "--count", Integer.toString(count), "--spacing-us", Long.toString(Math.round(spacing * 1e6)));
            return ms(r.get("avg_us")) + " / " + ms(r.get("p99_us"));
        };
    }

    private static RoundTrips tunnelPing(NetworkLab.Node a) {
        return (count, spacing) -> {
            Ping.Result r = Ping.run(a.ns(), "10.0.1.2", count, spacing == 0 ? 0.0001 : spacing);
            return String.format("%.3f / %.3f", r.avg(), r.percentile(99));
        };
    }

    /** One source (A) to sink (B) run of 1400-byte messages at {@code rate} per second (0: unpaced). */
    private static Map<String, Double> rawRun(NetworkLab lab, NetworkLab.Node a, NetworkLab.Node b, String brokerA,
            String brokerB, int count, long rate, int attempt) throws IOException, InterruptedException {
        LabProcess sink = lab.startToolkit(b.ns(), "probe-sink-" + attempt, List.of("mqtt-probe", "sink", "--broker", brokerB,
                "--in", "bench/rate", "--count", Integer.toString(count)));
        sink.awaitLog("sink ready", 20_000);
        probe(lab, a, "source", "--broker", brokerA, "--out", "bench/rate", "--size", "1400",
                "--count", Integer.toString(count), "--rate", Long.toString(rate));
        sink.process().waitFor();
        return parse(sink.log(), "sink ");
    }

    private void tunnel(NetworkLab lab, NetworkLab.Node a, NetworkLab.Node b, LabProcess broker, int column, boolean withKey)
            throws Exception {
        List<String> keyArgs = withKey ? List.of("--key-file", lab.writeRandomKey("bench.key").toString()) : List.of();
        LabProcess vpnA = daemon(lab, a, "10.0.1.1", keyArgs, column);
        LabProcess vpnB = daemon(lab, b, "10.0.1.2", keyArgs, column);
        try {
            Ping.run(a.ns(), "10.0.1.2", 3500, 0.0001); // warm up both JITs, as the raw probe does
            quiet("tunnel RTT" + columnName(column));
            roundTrips(84, "", column, tunnelPing(a));
            try (LowLatency hold = LowLatency.request()) {
                roundTrips(84, LOW_LATENCY, column, tunnelPing(a));
            }

            Iperf ab = new Iperf(lab, b.ns(), a.ns(), "10.0.1.2");
            CpuSampler cpuA = new CpuSampler(vpnA.process().pid());
            CpuSampler cpuB = new CpuSampler(vpnB.process().pid());
            CpuSampler cpuBroker = new CpuSampler(broker.process().pid());
            quiet("iperf3 TCP A->B" + columnName(column));
            double tcpAB;
            String cpu;
            try (RssSampler rssA = new RssSampler(vpnA.process().pid());
                 RssSampler rssB = new RssSampler(vpnB.process().pid())) {
                cpuA.start();
                cpuB.start();
                cpuBroker.start();
                tcpAB = ab.tcp(seconds, false);
                cpu = String.format("%.0f / %.0f / %.0f", cpuA.percent(), cpuB.percent(), cpuBroker.percent());
                putMemory(column, rssA.stopMiB(), rssB.stopMiB());
            }
            quiet("iperf3 TCP B->A" + columnName(column));
            double tcpBA = ab.tcp(seconds, true);
            put("iperf3 TCP A->B: Mbit/s (MB/s)", column, String.format("%.1f (%.1f)", tcpAB, tcpAB / 8));
            put("iperf3 TCP B->A: Mbit/s (MB/s)", column, String.format("%.1f (%.1f)", tcpBA, tcpBA / 8));
            put("CPU % of one core during TCP A->B: daemon A / daemon B / broker", column, cpu);
            put("TCP A->B as % of the raw MQTT one-way rate", column,
                    String.format("%.0f %%", tcpAB / 8 / rawMegabytesPerSecond * 100));
            quiet("UDP A->B" + columnName(column));
            Iperf.Udp udp = ab.highestUdpRateUnderOnePercentLoss(Math.max(10, tcpAB), 3);
            put("UDP A->B, highest rate under 1% loss: Mbit/s (loss)", column,
                    udp == null ? "none" : String.format("%.1f (%.2f %%)", udp.receivedMbps(), udp.lostPercent()));
        } finally {
            vpnA.stop(10_000);
            vpnB.stop(10_000);
        }
        progress("firmware update to a virtual device " + (withKey ? "with a key" : "without a key"));
        update(lab, a, b, column, keyArgs);
    }

    /**
     * A virtual device (toolkit sim with two image slots) in place of B: the one-way TCP rate into
     * it (its discard port) and the rate of a firmware update to it (toolkit ota: a copy of the
     * device's own program, padded to {@link #UPDATE_IMAGE_BYTES} as an ELF file may be, so that
     * the device restarts into a working image).
     */
    private void update(NetworkLab lab, NetworkLab.Node a, NetworkLab.Node b, int column, List<String> keyArgs)
            throws Exception {
        Path password = lab.dir().resolve("bench-ota.password");
        Files.writeString(password, "bench " + System.nanoTime() + "\n");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        Path image = lab.dir().resolve("bench-update.bin");
        byte[] padding = new byte[UPDATE_IMAGE_BYTES - (int) Files.size(SimBinary.locate())];
        new SecureRandom().nextBytes(padding);
        Files.copy(SimBinary.locate(), image, StandardCopyOption.REPLACE_EXISTING);
        Files.write(image, padding, StandardOpenOption.APPEND);

        LabProcess vpnA = daemon(lab, a, "10.0.1.1", keyArgs, 10 + column);
        List<String> sim = new ArrayList<>(List.of("sim", "--broker", b.brokerUri(PORT), "--address", "10.0.1.2",
                "--state-dir", lab.dir().resolve("bench-state-" + column).toString(),
                "--ota-password-file", password.toString()));
        sim.addAll(keyArgs);
        LabProcess device = lab.startToolkit(b.ns(), "bench-device-" + column, sim);
        try {
            device.awaitLog("connected to broker", 20_000);
            Ping.awaitReply(a.ns(), "10.0.1.2", 15);
            TcpDiscard.run(lab, a.ns(), "10.0.1.2", 2_000_000); // warm-up
            // One transfer of each is a fraction of a second: alternate them and take medians, so that
            // a moment of load on the machine does not decide the share.
            double[] tcp = new double[UPDATE_ROUNDS];
            double[] update = new double[UPDATE_ROUNDS];
            for (int round = 0; round < UPDATE_ROUNDS; round++) {
                quiet("virtual device" + columnName(column));
                tcp[round] = TcpDiscard.run(lab, a.ns(), "10.0.1.2", UPDATE_IMAGE_BYTES).megabytesPerSecond();
                update[round] = upload(lab, a, image, password, column, round);
                // The new image is on probation until a frame reaches it: a ping confirms it, so that
                // the next round's upload is not refused as "not confirmed yet".
                if (!Ping.awaitReply(a.ns(), "10.0.1.2", 30)) {
                    throw new IOException("the virtual device did not answer ping after update " + (round + 1)
                            + ":\n" + device.log());
                }
            }
            double tcpMBps = median(tcp);
            double updateMBps = median(update);
            put("virtual device: TCP one-way into it (discard port): MB/s", column, String.format("%.2f", tcpMBps));
            put(String.format("virtual device: firmware update, %.1f MB (toolkit ota): MB/s", UPDATE_IMAGE_BYTES / 1e6),
                    column, String.format("%.2f", updateMBps));
            put("firmware update as % of the TCP rate into the device", column,
                    String.format("%.0f %%", updateMBps / tcpMBps * 100));
        } finally {
            device.stop(10_000);
            vpnA.stop(10_000);
        }
    }

    /** One toolkit ota run against the virtual device; its upload rate in MB/s. */
    private static double upload(NetworkLab lab, NetworkLab.Node a, Path image, Path password, int column, int round)
            throws IOException, InterruptedException {
        List<String> ota = List.of("ota", "--address", "10.0.1.2", "--image", image.toString(),
                "--password-file", password.toString());
        LabProcess uploader = lab.startToolkit(a.ns(), "bench-ota-" + column + "-" + round, ota);
        if (uploader.process().waitFor() != 0) {
            throw new IOException("toolkit ota failed:\n" + uploader.log());
        }
        Matcher m = UPLOAD.matcher(uploader.log());
        if (!m.find()) {
            throw new IOException("no upload line in toolkit ota's output:\n" + uploader.log());
        }
        return Double.parseDouble(m.group(1)) / 1e6 / Double.parseDouble(m.group(2));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** The resident memory row: the largest VmRSS of each daemon during the TCP A->B run. */
    private void putMemory(int column, double miBA, double miBB) {
        put("resident memory during TCP A->B, largest VmRSS: daemon A / B MiB", column,
                String.format("%.1f / %.1f", miBA, miBB));
    }

    /**
     * The start-up row: with B up, A's daemon is started {@link #startRuns} times afresh, each
     * time timed from the start of its process to the first ping from A's namespace that B
     * answers (see {@link StartToPing}).
     */
    private void startToFirstPing(NetworkLab lab, NetworkLab.Node a, NetworkLab.Node b, int column, boolean withKey)
            throws Exception {
        List<String> keyArgs = withKey ? List.of("--key-file", lab.writeRandomKey("bench-start.key").toString()) : List.of();
        LabProcess vpnB = daemon(lab, b, "10.0.1.2", keyArgs, 20 + column);
        List<Double> times = new ArrayList<>();
        try {
            for (int run = 0; run < startRuns; run++) {
                quiet("daemon start to first ping" + columnName(column));
                List<String> args = new ArrayList<>(List.of("-a", "10.0.1.1"));
                args.addAll(keyArgs);
                String name = "vpn-start-" + column + "-" + run;
                LabProcess[] started = new LabProcess[1];
                try {
                    times.add(StartToPing.measure(a.ns(), "10.0.1.2", () -> lab.startVpn(a, name, PORT, args), started));
                } finally {
                    if (started[0] != null) {
                        started[0].stop(10_000); // its interface and broker session go before the next start
                    }
                }
            }
        } finally {
            vpnB.stop(10_000);
        }
        double[] t = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        put("daemon start -> first ping answered, peer up: median s (min-max, runs)", column, String.format("%.2f (%.2f-%.2f, %d)",
                median(t), t[0], t[t.length - 1], t.length));
    }

    /** Waits for a quiet machine before {@code measurement}; notes it when the machine stayed busy. */
    private void quiet(String measurement) throws InterruptedException {
        String busy = quietMachine.await();
        if (busy != null) {
            busyNotes.merge(measurement, busy, (first, later) -> first);
            System.err.println("bench: " + measurement + ": " + busy);
        }
    }

    private static String columnName(int column) {
        return column == 1 ? ", no key" : column == 2 ? ", key" : "";
    }

    private static LabProcess daemon(NetworkLab lab, NetworkLab.Node node, String address, List<String> keyArgs, int run)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("-a", address));
        args.addAll(keyArgs);
        LabProcess p = lab.startVpn(node, "vpn-" + address + "-" + run, PORT, args);
        p.awaitLog("connected to broker", 20_000);
        return p;
    }

    private static Map<String, Double> probe(NetworkLab lab, NetworkLab.Node node, String mode, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("mqtt-probe", mode));
        cmd.addAll(List.of(args));
        LabProcess p = lab.startToolkit(node.ns(), "probe-" + mode + "-" + System.nanoTime(), cmd);
        if (p.process().waitFor() != 0) {
            throw new IOException("mqtt-probe " + mode + " failed:\n" + p.log());
        }
        return parse(p.log(), mode + " ");
    }

    private static Map<String, Double> parse(String log, String prefix) throws IOException {
        String line = log.lines().filter(l -> l.startsWith(prefix)).reduce((x, y) -> y)
                .orElseThrow(() -> new IOException("no '" + prefix + "' result line in:\n" + log));
        Map<String, Double> values = new LinkedHashMap<>();
        Matcher m = KV.matcher(line);
        while (m.find()) {
            values.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return values;
    }

    private static String ms(double micros) {
        return String.format("%.3f", micros / 1000.0);
    }

    private void print(PrintWriter out) {
        int width = rows.keySet().stream().mapToInt(String::length).max().orElse(10);
        String format = "%-" + width + "s | %-22s | %-22s | %-22s%n";
        out.printf(format, "measurement", "raw MQTT", "tunnel, no key", "tunnel, key");
        out.println("-".repeat(width) + "-+-" + "-".repeat(22) + "-+-" + "-".repeat(22) + "-+-" + "-".repeat(22));
        rows.forEach((k, v) -> out.printf(format, k, v[0], v[1], v[2]));
        printBusyNotes(out);
        out.flush();
    }

    /** Under the table: the measurements taken while the machine stayed busy, or that none was. */
    private void printBusyNotes(PrintWriter out) {
        if (busyNotes.isEmpty()) {
            out.printf("machine quiet (under %.0f %% CPU in use) before every measurement%n", QuietMachine.QUIET_BELOW * 100);
        }
        busyNotes.forEach((measurement, note) -> out.println("note: " + measurement + ": " + note));
    }
}
