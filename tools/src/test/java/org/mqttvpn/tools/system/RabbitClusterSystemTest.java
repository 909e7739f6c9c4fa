package org.mqttvpn.tools.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mqttvpn.tools.bench.Iperf;
import org.mqttvpn.tools.lab.LabProcess;
import org.mqttvpn.tools.lab.NetworkLab;
import org.mqttvpn.tools.lab.Ping;
import org.mqttvpn.tools.lab.TcpEcho;

/**
 * Nodes on different members of a RabbitMQ cluster (Debian's rabbitmq-server and its MQTT
 * plugin, three members in the lab's broker namespace: {@link RabbitCluster}). That plugin
 * delivers a frame published to {@code mqttip/10.0.1.2} on {@code mqttip/10/0/1/2}; the host
 * and the device take that alias as their topic, so IPv4 works as IPv6 does.
 *
 * <p>Three members, not two: the plugin of RabbitMQ 3.10 tracks client ids in a Raft cluster
 * of all members, which takes new connections only while a majority is up, so a member may
 * fail only in a cluster of three or more.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class RabbitClusterSystemTest {
    private static final String KEY = "correct horse battery staple";
    private static final Pattern ALIAS_WARNING = Pattern.compile("the broker turns the '\\.' of topics into '/'");

    private static Daemon startHost(TunnelLab t, NetworkLab.Node node, String name, int member, String v4, String v6,
            String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("-a", v4, "-6", v6, "-k", KEY));
        args.addAll(List.of(extra));
        return new Daemon(node, t.lab.startVpn(node, name, RabbitCluster.mqttPort(member), args)).awaitConnected();
    }

    private static LabProcess startDevice(TunnelLab t, RabbitCluster cluster, NetworkLab.Node node, int member, String v4,
            String v6) throws Exception {
        LabProcess p = t.lab.startToolkit(node.ns(), "device", List.of("sim", "--broker", cluster.uri(node, member),
                "--address", v4, "--address6", v6, "--key", KEY));
        p.awaitLog("connected to broker", 20_000);
        return p;
    }

    private static Ping.Result ping(NetworkLab.Node from, String to) throws Exception {
        assertThat(Ping.awaitReply(from.ns(), to, 20)).as("%s answers %s at all", to, from.ns()).isTrue();
        Ping.Result r = Ping.run(from.ns(), to, 10, 0.2);
        assertThat(r.allAnswered()).as(r.output()).isTrue();
        return r;
    }

    private static long count(Pattern p, String log) {
        return p.matcher(log).results().count();
    }

    @Test
    void nodesOnDifferentMembersReachEachOtherOverIpv4AndIpv6() throws Exception {
        try (TunnelLab t = new TunnelLab()) {
            RabbitCluster cluster = RabbitCluster.start(t.lab, 3);
            System.out.printf("RabbitMQ cluster of 3 started and joined in %.1f s%n", cluster.startMillis() / 1000.0);
            NetworkLab.Node c = t.lab.addNode("c");
            NetworkLab.Node dev = t.lab.addNode("dev");
            Daemon a = startHost(t, t.a, "vpn-a", 1, "10.0.1.1", "fd00::1");
            Daemon b = startHost(t, t.b, "vpn-b", 2, "10.0.1.2", "fd00::2");
            Daemon sameMember = startHost(t, c, "vpn-c", 1, "10.0.1.4", "fd00::4");
            LabProcess device = startDevice(t, cluster, dev, 3, "10.0.1.3", "fd00::3");

            Ping.Result cross4 = ping(t.a, "10.0.1.2");
            Ping.Result cross6 = ping(t.a, "fd00::2");
            Ping.Result same4 = ping(t.a, "10.0.1.4");
            Ping.Result same6 = ping(t.a, "fd00::4");
            Ping.Result device4 = ping(t.a, "10.0.1.3");
            Ping.Result device6 = ping(t.a, "fd00::3");
            ping(t.b, "10.0.1.3");
            ping(t.b, "fd00::3");

            TcpEcho echo = TcpEcho.run(t.lab, t.a.ns(), "10.0.1.3", 7, 2 * 1024 * 1024);
            assertThat(echo.intact()).as("2 MB echoed by the device on member 3: %s", echo).isTrue();
            double tcpCross4 = new Iperf(t.lab, t.b.ns(), t.a.ns(), "10.0.1.2").tcp(5, false);
            double tcpCross6 = new Iperf(t.lab, t.b.ns(), t.a.ns(), "fd00::2").tcp(5, false);
            double tcpSame4 = new Iperf(t.lab, c.ns(), t.a.ns(), "10.0.1.4").tcp(5, false);
            double tcpSame6 = new Iperf(t.lab, c.ns(), t.a.ns(), "fd00::4").tcp(5, false);
            System.out.printf("ping avg ms  A->B (members 1->2): v4 %.2f, v6 %.2f; A->C (both on member 1): v4 %.2f, v6 %.2f;"
                    + " A->device (1->3): v4 %.2f, v6 %.2f%n", cross4.avg(), cross6.avg(), same4.avg(), same6.avg(),
                    device4.avg(), device6.avg());
            System.out.printf("iperf3 TCP Mbit/s  A->B (members 1->2): v4 %.1f, v6 %.1f; A->C (both on member 1): v4 %.1f,"
                    + " v6 %.1f; 2 MB echo through the device (1->3->1) in %d ms%n", tcpCross4, tcpCross6, tcpSame4, tcpSame6,
                    echo.millis());

            // IPv4 came on the broker's alias of each topic: said once by each node, nothing dropped for it
            for (Daemon d : List.of(a, b, sameMember)) {
                assertThat(count(ALIAS_WARNING, d.process.log())).as(d.process.name()).isEqualTo(1);
                Map<String, Long> counters = d.stopAndReadCounters();
                assertThat(counters.get("drop_unexpected_topic")).as(d.process.name()).isZero();
            }
            assertThat(count(ALIAS_WARNING, device.log())).as("device").isEqualTo(1);
        }
    }

    /** A host given every member (`toolkit vpn -b` repeated) moves on when its member dies. */
    @Test
    void killingTheMemberAHostIsOnMovesItToTheNextMemberAndTrafficResumes() throws Exception {
        try (TunnelLab t = new TunnelLab()) {
            RabbitCluster cluster = RabbitCluster.start(t.lab, 3);
            NetworkLab.Node dev = t.lab.addNode("dev");
            // startVpn gives -b member 1 first; member 2 is the next
            startHost(t, t.a, "vpn-a", 1, "10.0.1.1", "fd00::1", "-b", cluster.uri(t.a, 2));
            startDevice(t, cluster, dev, 3, "10.0.1.3", "fd00::3");
            ping(t.a, "10.0.1.3");
            assertThat(brokerPorts(t.a)).containsExactly(RabbitCluster.mqttPort(1));

            long t0 = System.nanoTime();
            cluster.kill(1);
            assertThat(Ping.awaitReply(t.a.ns(), "10.0.1.3", 60)).as("traffic resumes after member 1 died").isTrue();
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("member 1 killed: the host answered through member 2 after %.1f s%n", seconds);
            assertThat(seconds).as("the host moves within the failover time").isLessThan(30);
            assertThat(brokerPorts(t.a)).containsExactly(RabbitCluster.mqttPort(2));
            ping(t.a, "10.0.1.3");
            ping(t.a, "fd00::3");
        }
    }

    /** The broker ports the node's established TCP connections go to. */
    private static List<Integer> brokerPorts(NetworkLab.Node node) throws Exception {
        String out = node.ns().exec("ss", "-Htn", "state", "established", "dst", node.brokerAddress());
        List<Integer> ports = new ArrayList<>();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4) {
                String peer = f[f.length - 1];
                ports.add(Integer.parseInt(peer.substring(peer.lastIndexOf(':') + 1)));
            }
        }
        return ports;
    }
}
