package org.mqttvpn.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import org.mqttvpn.tools.lab.LabProcess;
import org.mqttvpn.tools.lab.NetworkLab;
import org.mqttvpn.tools.lab.Netns;
import org.mqttvpn.tools.lab.Shell;

/** iperf3 between two lab namespaces; results read from its JSON report. (Public: the system tests measure with it too.) */
public final class Iperf {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Udp(double offeredMbps, double receivedMbps, double lostPercent) {
    }

    private final NetworkLab lab;
    private final Netns server;
    private final Netns client;
    private final String serverAddress;
    private int port = 5300;

    public Iperf(NetworkLab lab, Netns server, Netns client, String serverAddress) {
        this.lab = lab;
        this.server = server;
        this.client = client;
        this.serverAddress = serverAddress;
    }

    private LabProcess startServer() throws IOException, InterruptedException {
        port++;
        LabProcess s = lab.start(server, "iperf3-server-" + port, List.of("iperf3", "-s", "-1", "-p", Integer.toString(port)));
        lab.awaitListening(server, port, s);
        return s;
    }

    /** TCP goodput in Mbit/s; reverse = server sends to client. */
    public double tcp(int seconds, boolean reverse) throws IOException, InterruptedException {
        LabProcess s = startServer();
        List<String> cmd = new java.util.ArrayList<>(List.of("iperf3", "-c", serverAddress, "-p", Integer.toString(port),
                "-t", Integer.toString(seconds), "-J"));
        if (reverse) {
            cmd.add("-R");
        }
        String json = Shell.check(seconds + 60, client.wrap(cmd));
        s.stop(2000);
        JsonNode received = JSON.readTree(json).path("end").path("sum_received").path("bits_per_second");
        if (!received.isNumber()) {
            throw new IOException("no TCP result in iperf3's report:\n" + json);
        }
        return received.asDouble() / 1e6;
    }

    /** One UDP run at the offered rate with 1372-byte datagrams (1400-byte IP packets). */
    Udp udp(double mbps, int seconds) throws IOException, InterruptedException {
        LabProcess s = startServer();
        String json = Shell.check(seconds + 60, client.wrap("iperf3", "-c", serverAddress, "-p", Integer.toString(port),
                "-u", "-b", String.format("%.2fM", mbps), "-l", "1372", "-t", Integer.toString(seconds), "-J"));
        s.stop(2000);
        JsonNode sum = JSON.readTree(json).path("end").path("sum");
        if (!sum.path("bits_per_second").isNumber() || !sum.path("lost_percent").isNumber()) {
            throw new IOException("no UDP result in iperf3's report:\n" + json);
        }
        double lost = sum.path("lost_percent").asDouble();
        return new Udp(mbps, sum.path("bits_per_second").asDouble() / 1e6 * (1 - lost / 100), lost);
    }

    /** The highest offered rate (Mbit/s, within ~10%) that loses under 1%. */
    Udp highestUdpRateUnderOnePercentLoss(double startMbps, int seconds) throws IOException, InterruptedException {
        double low = 0;
        Udp best = null;
        double high = 0;
        double rate = startMbps;
        // Grow until loss appears, then bisect.
        for (int i = 0; i < 8 && high == 0; i++) {
            Udp r = udp(rate, seconds);
            if (r.lostPercent() < 1.0) {
                low = rate;
                best = r;
                rate *= 1.5;
            } else {
                high = rate;
            }
        }
        if (high == 0) {
            return best;
        }
        if (best == null) {
            // even the first rate lost too much: search downwards
            while (best == null && rate > 1) {
                rate /= 2;
                Udp r = udp(rate, seconds);
                if (r.lostPercent() < 1.0) {
                    best = r;
                    low = rate;
                } else {
                    high = rate;
                }
            }
        }
        while (best != null && high - low > 0.1 * low) {
            double mid = (low + high) / 2;
            Udp r = udp(mid, seconds);
            if (r.lostPercent() < 1.0) {
                low = mid;
                best = r;
            } else {
                high = mid;
            }
        }
        return best;
    }
}
