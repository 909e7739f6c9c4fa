package org.mqttvpn.tools.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mqttvpn.codegen.render.MosquittoBridge;
import org.mqttvpn.tools.lab.BridgedSites;
import org.mqttvpn.tools.lab.LabProcess;
import org.mqttvpn.tools.lab.NetworkLab;
import org.mqttvpn.tools.lab.Ping;
import org.mqttvpn.tools.lab.TcpEcho;
import org.mqttvpn.tools.lab.TcpTransfer;

/**
 * Two sites, each with its own mosquitto, bridged with the configuration {@link MosquittoBridge}
 * renders: host A (10.0.1.1, fd00::1) at the hub's broker; a virtual device (10.0.1.2, fd00::2)
 * and host B (10.0.1.3, fd00::3) at the other site's. Every node reaches every other, every
 * frame reaches each broker it must reach exactly once (counted at both brokers), and frames
 * between two nodes of one site never reach the other site's broker.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class BridgeSystemTest {
    private static final String KEY = "correct horse battery staple";
    private static final int PINGS = 20;
    private static final int PORT = BridgedSites.PORT;

    @Test
    void nodesOnTwoBridgedBrokersReachEachOtherAndEveryFrameArrivesOnceWhereItIsNeeded() throws Exception {
        try (BridgedSites sites = BridgedSites.create()) {
            NetworkLab.Node a = sites.hub().addNode("a");
            NetworkLab.Node dev = sites.site().addNode("dev");
            NetworkLab.Node b = sites.site().addNode("b");
            MosquittoBridge bridge = sites.bridge(ips("10.0.1.1", "fd00::1"), ips("10.0.1.2", "fd00::2", "10.0.1.3", "fd00::3"),
                    "mqttip", MosquittoBridge.Mode.PER_ADDRESS);
            sites.startBrokers(bridge);

            Daemon hostA = new Daemon(a, sites.hub().startVpn(a, "vpn-a", PORT,
                    List.of("-a", "10.0.1.1", "-6", "fd00::1", "-k", KEY))).awaitConnected();
            Daemon hostB = new Daemon(b, sites.site().startVpn(b, "vpn-b", PORT,
                    List.of("-a", "10.0.1.3", "-6", "fd00::3", "-k", KEY))).awaitConnected();
            LabProcess device = sites.site().startToolkit(dev.ns(), "device", List.of("sim", "--broker", dev.brokerUri(PORT),
                    "--address", "10.0.1.2", "--address6", "fd00::2", "--key", KEY));
            device.awaitLog("connected to broker", 20_000);
            for (String target : List.of("10.0.1.3", "fd00::3", "10.0.1.2", "fd00::2")) {
                assertThat(Ping.awaitReply(a.ns(), target, 15)).as("%s answers host A across the bridge", target).isTrue();
            }
            assertThat(Ping.awaitReply(b.ns(), "10.0.1.2", 15)).as("the device answers host B at its site").isTrue();

            // Across the bridge: each request and each reply at both brokers, once.
            pingCountingFrames(sites, a, "10.0.1.3", "10.0.1.1", true);
            pingCountingFrames(sites, a, "fd00::3", "fd00::1", true);
            pingCountingFrames(sites, a, "10.0.1.2", "10.0.1.1", true);
            pingCountingFrames(sites, a, "fd00::2", "fd00::1", true);
            pingCountingFrames(sites, b, "10.0.1.1", "10.0.1.3", true);
            // Within one site: at that site's broker once, at the hub never.
            pingCountingFrames(sites, b, "10.0.1.2", "10.0.1.3", false);
            pingCountingFrames(sites, b, "fd00::2", "fd00::3", false);

            int size = 1_000_000;
            TcpEcho echoA = TcpEcho.run(sites.hub(), a.ns(), "10.0.1.2", 7, size);
            assertThat(echoA.intact()).as("1 MB echoed by the device to host A across the bridge: %s", echoA).isTrue();
            TcpEcho echoB = TcpEcho.run(sites.site(), b.ns(), "10.0.1.2", 7, size);
            assertThat(echoB.intact()).as("1 MB echoed by the device to host B at its site: %s", echoB).isTrue();
            TcpTransfer.Result ab = TcpTransfer.run(sites.site(), a.ns(), b.ns(), "10.0.1.3", 5001, 2 * size);
            assertThat(ab.intact()).as("2 MB host A -> host B across the bridge").isTrue();
            TcpTransfer.Result ba = TcpTransfer.run(sites.hub(), b.ns(), a.ns(), "10.0.1.1", 5002, 2 * size);
            assertThat(ba.intact()).as("2 MB host B -> host A across the bridge").isTrue();
            System.out.printf("bridge: echo A<->device %d ms, B<->device %d ms; 2 MB A->B %d ms, B->A %d ms%n",
                    echoA.millis(), echoB.millis(), ab.millis(), ba.millis());

            assertThat(device.isAlive()).isTrue();
            for (Daemon d : List.of(hostA, hostB)) {
                Map<String, Long> counters = d.stopAndReadCounters();
                assertThat(counters).as("counters of %s", d.process.name()).containsKey("rx_packets");
                counters.forEach((k, v) -> {
                    if (k.startsWith("drop_")) {
                        assertThat(v).as("%s of %s: nothing arrives that was not for it", k, d.process.name()).isZero();
                    }
                });
            }
        }
    }

    /**
     * {@code ping -c PINGS from -> target}: every request answered once (no "DUP!"), and each
     * request (topic of the target) and reply (topic of the source) delivered exactly PINGS times
     * by the site's broker, and by the hub's PINGS times when the pair spans the bridge, never when not.
     */
    private static void pingCountingFrames(BridgedSites sites, NetworkLab.Node from, String target, String source,
            boolean acrossTheBridge) throws Exception {
        String request = "mqttip/" + target;
        String reply = "mqttip/" + source;
        FrameCounter atHub = FrameCounter.start(sites.hub(), PORT, "count-hub-" + source + "-" + target, request, reply);
        FrameCounter atSite = FrameCounter.start(sites.site(), PORT, "count-site-" + source + "-" + target, request, reply);
        Ping.Result r = Ping.run(from.ns(), target, PINGS, 0.05);
        Thread.sleep(1000); // a looping or duplicated frame would arrive within this
        Map<String, Integer> hub = atHub.stop();
        Map<String, Integer> site = atSite.stop();
        System.out.printf("ping %s -> %s: %d/%d replies, avg %.3f ms; frames at hub %s, at site %s%n", source, target,
                r.received(), r.transmitted(), r.avg(), hub, site);
        assertThat(r.output()).as("duplicate replies").doesNotContain("DUP!");
        assertThat(r.received()).as(r.output()).isEqualTo(PINGS);
        assertThat(r.rtts()).as(r.output()).hasSize(PINGS);
        assertThat(site).as("frames delivered by the site's broker").isEqualTo(Map.of(request, PINGS, reply, PINGS));
        assertThat(hub).as("frames delivered by the hub's broker")
                .isEqualTo(acrossTheBridge ? Map.of(request, PINGS, reply, PINGS) : Map.of());
    }

    private static List<InetAddress> ips(String... literals) throws Exception {
        List<InetAddress> out = new ArrayList<>();
        for (String l : literals) {
            out.add(InetAddress.getByName(l));
        }
        return out;
    }
}
