package org.mqttvpn.tools.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mqttvpn.codegen.render.MosquittoBridge;
import org.mqttvpn.tools.lab.BridgedSites;
import org.mqttvpn.tools.lab.LabProcess;
import org.mqttvpn.tools.lab.NetworkLab;
import org.mqttvpn.tools.lab.Ping;

/**
 * The bench's broker-tier table: two hosts on one mosquitto, against the same two hosts at two
 * sites whose mosquittos are bridged (the bridge {@link MosquittoBridge} renders, per address
 * or mirroring everything), and the throughput of a pair of hosts within one site while the
 * bridge is there, which mirroring copies to the other site. Host A is 10.0.1.1 (at the hub),
 * B 10.0.1.2 and C 10.0.1.3 (at the other site; on the one broker for the first column).
 */
final class BrokerTierBench {
    private static final int PORT = BridgedSites.PORT;
    private static final String[] COLUMNS = {"one broker", "bridged, per address", "bridged, mirror"};
    private final int seconds;
    private final Map<String, String[]> rows = new LinkedHashMap<>();

    BrokerTierBench(int seconds) {
        this.seconds = seconds;
    }

    BrokerTierBench run() throws Exception {
        System.err.println("bench: broker tier: one broker...");
        try (NetworkLab lab = NetworkLab.create()) {
            NetworkLab.Node a = lab.addNode("a");
            NetworkLab.Node b = lab.addNode("b");
            NetworkLab.Node c = lab.addNode("c");
            lab.startMosquitto(PORT);
            measure(0, lab, a, lab, b, lab, c);
        }
        MosquittoBridge.Mode[] modes = {MosquittoBridge.Mode.PER_ADDRESS, MosquittoBridge.Mode.MIRROR};
        for (int i = 0; i < modes.length; i++) {
            System.err.println("bench: broker tier: " + COLUMNS[i + 1] + "...");
            try (BridgedSites sites = BridgedSites.create()) {
                NetworkLab.Node a = sites.hub().addNode("a");
                NetworkLab.Node b = sites.site().addNode("b");
                NetworkLab.Node c = sites.site().addNode("c");
                sites.startBrokers(sites.bridge(List.of(InetAddress.getByName("10.0.1.1")),
                        List.of(InetAddress.getByName("10.0.1.2"), InetAddress.getByName("10.0.1.3")), "mqttip", modes[i]));
                measure(i + 1, sites.hub(), a, sites.site(), b, sites.site(), c);
            }
        }
        return this;
    }

    /** Host A in labA, B in labB, C in labC (the lab that starts processes in each node's namespace). */
    private void measure(int column, NetworkLab labA, NetworkLab.Node a, NetworkLab labB, NetworkLab.Node b, NetworkLab labC,
            NetworkLab.Node c) throws Exception {
        List<LabProcess> daemons = new ArrayList<>();
        try {
            daemons.add(daemon(labA, a, "10.0.1.1"));
            daemons.add(daemon(labB, b, "10.0.1.2"));
            daemons.add(daemon(labC, c, "10.0.1.3"));
            if (!Ping.awaitReply(a.ns(), "10.0.1.2", 15) || !Ping.awaitReply(c.ns(), "10.0.1.2", 15)) {
                throw new IOException("host B does not answer A or C: broker tier column " + COLUMNS[column]);
            }
            Ping.run(a.ns(), "10.0.1.2", 2000, 0.0001); // warm up the daemons' JITs, as the main table does
            Ping.Result rtt = Ping.run(a.ns(), "10.0.1.2", 500, 0.01);
            put("RTT A->B (across the bridge when bridged), 84 B, 10 ms spacing: avg / p99 ms", column,
                    String.format("%.3f / %.3f", rtt.avg(), rtt.percentile(99)));
            double ab = new Iperf(labB, b.ns(), a.ns(), "10.0.1.2").tcp(seconds, false);
            put("iperf3 TCP A->B (across the bridge when bridged): Mbit/s", column, String.format("%.1f", ab));
            double cb = new Iperf(labB, b.ns(), c.ns(), "10.0.1.2").tcp(seconds, false);
            put("iperf3 TCP C->B (both at one site; bridge there when bridged): Mbit/s", column, String.format("%.1f", cb));
        } finally {
            for (LabProcess d : daemons) {
                d.stop(10_000);
            }
        }
    }

    private static LabProcess daemon(NetworkLab lab, NetworkLab.Node node, String address) throws IOException, InterruptedException {
        LabProcess p = lab.startVpn(node, "tier-vpn-" + address, PORT, List.of("-a", address));
        p.awaitLog("connected to broker", 20_000);
        return p;
    }

    private void put(String row, int column, String value) {
        rows.computeIfAbsent(row, k -> new String[] {"", "", ""})[column] = value;
    }

    void print(PrintWriter out) {
        int width = rows.keySet().stream().mapToInt(String::length).max().orElse(10);
        String format = "%-" + width + "s | %-22s | %-22s | %-22s%n";
        out.println();
        out.printf(format, "broker tier (no key)", COLUMNS[0], COLUMNS[1], COLUMNS[2]);
        out.println("-".repeat(width) + "-+-" + "-".repeat(22) + "-+-" + "-".repeat(22) + "-+-" + "-".repeat(22));
        rows.forEach((k, v) -> out.printf(format, k, v[0], v[1], v[2]));
        out.flush();
    }
}
