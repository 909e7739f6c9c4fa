package org.mqttvpn.tools.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mqttvpn.host.Addresses;
import org.mqttvpn.host.codec.ClassicCodec;
import org.mqttvpn.host.codec.Key;
import org.mqttvpn.tools.lab.LabProcess;
import org.mqttvpn.tools.lab.Shell;
import org.mqttvpn.tools.vpn.LowLatency;

/**
 * The host daemon end to end, as root: real TUN interfaces in namespaces, real mosquitto
 * (or the embedded broker), real ping and TCP.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TunnelSystemTest {
    private static final String KEY = "correct horse battery staple";

    @ParameterizedTest(name = "key={0}")
    @ValueSource(strings = {KEY, ""})
    void twoDaemonsPingBothWaysOverIpv4AndIpv6AndMove20MegabytesIntact(String key) throws Exception {
        try (TunnelLab t = new TunnelLab().withMosquitto()) {
            String[] k = key.isEmpty() ? new String[0] : new String[] {"-k", key};
            Daemon a = t.startA(k);
            Daemon b = t.startB(k);
            TunnelLab.ping(t.a.ns(), "10.0.1.2", 3);
            TunnelLab.ping(t.b.ns(), "10.0.1.1", 3);
            TunnelLab.ping(t.a.ns(), "fd00::2", 3);
            TunnelLab.ping(t.b.ns(), "fd00::1", 3);
            t.transfer(t.a, t.b, "10.0.1.2", 20 * 1024 * 1024);
            a.process.signal("INT");
            assertThat(a.process.process().waitFor(10, TimeUnit.SECONDS)).as("SIGINT ends the daemon").isTrue();
            Map<String, Long> ca = a.lastCounters();
            Map<String, Long> cb = b.stopAndReadCounters();
            for (Daemon d : new Daemon[] {a, b}) {
                assertThat(d.process.log()).contains("interface mq0 removed");
                Shell.Result link = d.node.ns().run(10, "ip", "link", "show", "mq0");
                assertThat(link.exitCode()).as("mq0 is gone after the daemon stopped: %s", link.output()).isNotZero();
            }
            assertThat(t.broker.log()).contains("disconnected.").doesNotContain("closed its connection");
            assertThat(ca.get("tx_packets")).isGreaterThan(10_000);
            assertThat(cb.get("rx_bytes")).isGreaterThan(20L * 1024 * 1024);
            assertThat(ca.get("drop_auth_failed") + cb.get("drop_auth_failed")).isZero();
            // B's TCP acknowledged the 20 MB; the ACKs queued together left as one message
            System.out.printf("B sent %d packets (ACKs) for A's %d, merging %d ACKs%n", cb.get("tx_packets"),
                    ca.get("tx_packets"), cb.get("tx_acks_merged"));
            assertThat(cb.get("tx_acks_merged")).isPositive();
            assertThat(a.process.log()).contains(key.isEmpty() ? "NOT encrypted" : "encrypted (classic secretbox)");
        }
    }

    @Test
    void lowLatencyHoldsThePmQosRequestExactlyWhileTheDaemonRuns() throws Exception {
        int before = LowLatency.currentLimitMicros();
        try (TunnelLab t = new TunnelLab().withMosquitto()) {
            Daemon a = t.startA("--low-latency");
            a.process.awaitLog("--low-latency: CPUs kept out of deep idle states", 5_000);
            assertThat(LowLatency.currentLimitMicros()).as("while running").isZero();
            a.stopAndReadCounters();
            assertThat(LowLatency.currentLimitMicros()).as("after the daemon stopped").isEqualTo(before).isNotZero();
        }
    }

    @Test
    void deletingTheInterfaceEndsTheDaemonWithAMessageThatSaysSo() throws Exception {
        try (TunnelLab t = new TunnelLab().withMosquitto()) {
            Daemon a = t.startA();
            Shell.Result del = t.a.ns().run(10, "ip", "link", "del", "mq0");
            assertThat(del.exitCode()).as(del.output()).isZero();
            assertThat(a.process.process().waitFor(10, TimeUnit.SECONDS)).as("the daemon ends").isTrue();
            assertThat(a.process.process().exitValue()).isEqualTo(1);
            assertThat(a.process.log()).contains("interface mq0 was deleted while the daemon ran (ip link del?):"
                    + " start the daemon again to recreate it");
        }
    }

    @Test
    void aWrongKeyLetsNothingThroughAndCountsAuthenticationFailures() throws Exception {
        try (TunnelLab t = new TunnelLab().withMosquitto()) {
            t.startA("-k", KEY);
            // -d: every dropped frame is logged, and the counters every --stats-interval
            Daemon b = t.startB("-k", "not the same key", "-d", "--stats-interval", "1");
            Shell.Result r = t.a.ns().run(30, "ping", "-c", "5", "-i", "0.2", "-W", "1", "10.0.1.2");
            assertThat(r.exitCode()).as(r.output()).isNotZero();
            assertThat(r.output()).contains("0 received");
            b.process.awaitLog("counters tx_packets=\\d+ .*drop_auth_failed=[1-9]", 5_000);
            assertThat(b.process.log()).contains("dropped a 140-byte frame on mqttip/10.0.1.2: drop_auth_failed");
            // one warning, not one per frame, that names the topic and the likely cause
            assertThat(b.process.log().split("fail authentication \\(drop_auth_failed\\)", -1))
                    .as("one warning in B's log:%n%s", b.process.log()).hasSize(2);
            assertThat(b.process.log()).contains("WARN  vpn: frames on mqttip/10.0.1.2 fail authentication"
                    + " (drop_auth_failed): the node sending them has a different key");
            Map<String, Long> cb = b.stopAndReadCounters();
            assertThat(cb.get("drop_auth_failed")).isGreaterThanOrEqualTo(5);
            assertThat(cb.get("rx_packets")).isZero();
        }
    }

    @Test
    void aRawSubscriberSeesClassicFramesWithFreshNonces() throws Exception {
        try (TunnelLab t = new TunnelLab().withMosquitto()) {
            t.startA("-k", KEY);
            t.startB("-k", KEY);
            int frames = 10_000;
            LabProcess sub = t.lab.start(t.lab.broker(), "raw-subscriber", List.of("mosquitto_sub", "-h", "127.0.0.1",
                    "-p", Integer.toString(TunnelLab.PORT), "-t", "mqttip/10.0.1.2", "-C", Integer.toString(frames), "-F", "%x"));
            Thread.sleep(500); // let the subscription settle before traffic starts
            t.a.ns().exec("ping", "-f", "-c", Integer.toString(frames), "-s", "16", "-W", "1", "10.0.1.2");
            assertThat(sub.process().waitFor(60, TimeUnit.SECONDS)).as("subscriber got all frames").isTrue();
            List<String> lines = sub.log().lines().filter(l -> !l.isBlank()).toList();
            assertThat(lines).hasSize(frames);
            ClassicCodec codec = new ClassicCodec(Key.fromPassword(KEY), 1500);
            byte[] packet = new byte[1500];
            Set<String> nonces = new HashSet<>();
            for (String line : lines) {
                byte[] frame = HexFormat.of().parseHex(line.trim());
                // 20-byte IPv4 header + 8-byte ICMP header + 16 bytes of data, plus 56 bytes of framing
                assertThat(frame).hasSize(44 + ClassicCodec.OVERHEAD);
                assertThat(Arrays.copyOfRange(frame, 24, 40)).containsOnly(0);
                nonces.add(HexFormat.of().formatHex(frame, 0, 24));
                int n = codec.open(frame, frame.length, packet);
                assertThat(n).isEqualTo(44);
                assertThat(Arrays.copyOfRange(packet, 16, 20)).containsExactly(10, 0, 1, 2);
            }
            assertThat(nonces).hasSize(frames);
        }
    }

    @Test
    void garbageOnADaemonsTopicIsDroppedCountedAndTheTunnelStillWorks() throws Exception {
        try (TunnelLab t = new TunnelLab().withMosquitto()) {
            t.startA("-k", KEY);
            Daemon b = t.startB("-k", KEY);
            TunnelLab.ping(t.a.ns(), "10.0.1.2", 1);
            String topic = "mqttip/10.0.1.2";
            SecureRandom random = new SecureRandom();
            ClassicCodec big = new ClassicCodec(Key.fromPassword(KEY), 65535);
            // too short: empty, a few bytes, one byte under 56 + 20
            for (int len : new int[] {0, 1, 10, 55, 56, 75}) {
                byte[] g = new byte[len];
                random.nextBytes(g);
                t.publish(topic, g);
            }
            // failed authentication: random bytes of plausible lengths, and a valid frame cut short
            for (int len : new int[] {76, 100, 1000, 1556}) {
                byte[] g = new byte[len];
                random.nextBytes(g);
                t.publish(topic, g);
            }
            byte[] ip = ipv4Packet(200);
            byte[] frame = new byte[ip.length + 56];
            big.seal(ip, ip.length, frame);
            t.publish(topic, Arrays.copyOf(frame, frame.length - 1));
            // not IP: valid encryption of text, and of an IPv4 header whose length field lies
            byte[] text = "hello, this is not an IP packet; it is text that happens to be long enough".getBytes(StandardCharsets.US_ASCII);
            byte[] f2 = new byte[text.length + 56];
            big.seal(text, text.length, f2);
            t.publish(topic, f2);
            byte[] liar = ipv4Packet(200);
            liar[3] = (byte) 100;
            byte[] f3 = new byte[liar.length + 56];
            big.seal(liar, liar.length, f3);
            t.publish(topic, f3);
            // longer than the MTU: valid encryption of a 1600-byte packet
            byte[] huge = ipv4Packet(1600);
            byte[] f4 = new byte[huge.length + 56];
            big.seal(huge, huge.length, f4);
            t.publish(topic, f4);

            TunnelLab.ping(t.a.ns(), "10.0.1.2", 3);
            assertThat(b.process.isAlive()).isTrue();
            Map<String, Long> c = b.stopAndReadCounters();
            assertThat(c.get("drop_too_short")).isEqualTo(6);
            assertThat(c.get("drop_auth_failed")).isEqualTo(5);
            assertThat(c.get("drop_not_ip")).isEqualTo(2);
            assertThat(c.get("drop_too_long")).isEqualTo(1);
            assertThat(c.get("rx_packets")).isGreaterThanOrEqualTo(4);
        }
    }

    @Test
    void packetsForAddressesThatAreNotTheDaemonsAreDroppedAndCountedUnlessItRoutesForOthers() throws Exception {
        try (TunnelLab t = new TunnelLab().withMosquitto()) {
            ClassicCodec codec = new ClassicCodec(Key.fromPassword(KEY), 1500);
            // on B's own topics, sealed with the network's key: valid in every other respect
            List<String[]> foreign = List.of(
                    new String[] {"mqttip/10.0.1.2", "10.0.1.1", "10.0.1.7"},      // another node
                    new String[] {"mqttip/10.0.1.2", "10.0.1.2", "192.168.9.9"},   // spoofed source: B itself
                    new String[] {"mqttip/255.255.255.255", "10.0.1.1", "10.0.1.8"},
                    new String[] {"mqttip/fd00::2", "fd00::1", "fd00::9"},
                    new String[] {"mqttip/fd00::2", "fd00::2", "2001:db8::1"});
            String[] last = {"mqttip/fd00::2", "fd00::1", "fd00::2"}; // for B: delivered, and marks the end

            Daemon b = t.startB("-k", KEY, "-d");
            for (String[] f : foreign) {
                t.publish(f[0], seal(codec, udp(f[1], f[2])));
            }
            t.publish(last[0], seal(codec, udp(last[1], last[2])));
            b.process.awaitLog("mqtt->tun 48 bytes from mqttip/fd00::2", 10_000);
            assertThat(b.process.log()).contains("dropped a 28-byte packet on mqttip/10.0.1.2: drop_not_for_us")
                    .contains("dropped a 48-byte packet on mqttip/fd00::2: drop_not_for_us");
            Map<String, Long> dropped = b.stopAndReadCounters();
            assertThat(dropped.get("drop_not_for_us")).isEqualTo(foreign.size());
            assertThat(dropped.get("rx_packets")).isEqualTo(1);

            Daemon gateway = t.startDaemon(t.b, "vpn-b-gateway", "10.0.1.2", "fd00::2", "-k", KEY, "-d",
                    "--route-for-others");
            for (String[] f : foreign) {
                t.publish(f[0], seal(codec, udp(f[1], f[2])));
            }
            t.publish(last[0], seal(codec, udp(last[1], last[2])));
            gateway.process.awaitLog("mqtt->tun 48 bytes from mqttip/fd00::2(?s:.*)mqtt->tun 48 bytes from mqttip/fd00::2"
                    + "(?s:.*)mqtt->tun 48 bytes from mqttip/fd00::2", 10_000);
            Map<String, Long> routed = gateway.stopAndReadCounters();
            assertThat(routed.get("drop_not_for_us")).isZero();
            assertThat(routed.get("rx_packets")).isEqualTo(foreign.size() + 1);
        }
    }

    /** A UDP header alone from src to dst, as IPv4 (28 bytes) or IPv6 (48 bytes). */
    static byte[] udp(String src, String dst) {
        boolean v6 = src.contains(":");
        byte[] p = new byte[v6 ? 48 : 28];
        if (v6) {
            p[0] = 0x60;
            p[5] = 8;
            p[6] = 17;
            p[7] = 64;
            System.arraycopy(Addresses.ipv6(src).getAddress(), 0, p, 8, 16);
            System.arraycopy(Addresses.ipv6(dst).getAddress(), 0, p, 24, 16);
        } else {
            p[0] = 0x45;
            p[3] = 28;
            p[8] = 64;
            p[9] = 17;
            System.arraycopy(Addresses.ipv4(src).getAddress(), 0, p, 12, 4);
            System.arraycopy(Addresses.ipv4(dst).getAddress(), 0, p, 16, 4);
        }
        int udp = v6 ? 40 : 20;
        p[udp + 1] = 9; // source port 9
        p[udp + 3] = 9; // destination port 9 (discard)
        p[udp + 5] = 8; // UDP length: the header alone
        return p;
    }

    static byte[] seal(ClassicCodec codec, byte[] packet) {
        byte[] frame = new byte[packet.length + ClassicCodec.OVERHEAD];
        codec.seal(packet, packet.length, frame);
        return frame;
    }

    @Test
    void theDaemonsSurviveABrokerRestartAndPingsResumeWithinFiveSeconds() throws Exception {
        try (TunnelLab t = new TunnelLab().withMosquitto()) {
            Daemon a = t.startA("-k", KEY);
            Daemon b = t.startB("-k", KEY);
            TunnelLab.ping(t.a.ns(), "10.0.1.2", 2);
            LabProcess pinger = t.lab.start(t.a.ns(), "background-ping", List.of("ping", "-i", "0.2", "-w", "20", "10.0.1.2"));
            Thread.sleep(1000);
            t.broker.kill();
            Thread.sleep(5000);
            assertThat(a.process.isAlive()).isTrue();
            assertThat(b.process.isAlive()).isTrue();
            t.broker = t.lab.startMosquitto(TunnelLab.PORT);
            long back = System.nanoTime();
            boolean ok = false;
            while (!ok && System.nanoTime() - back < TimeUnit.SECONDS.toNanos(5)) {
                ok = t.a.ns().run(5, "ping", "-c", "1", "-W", "1", "10.0.1.2").ok();
            }
            long ms = (System.nanoTime() - back) / 1_000_000;
            System.out.println("ping answered again " + ms + " ms after the broker came back");
            assertThat(ok).as("a ping answered within 5 s of the broker's return; logs:\n%s\n%s", a.process.log(), b.process.log()).isTrue();
            pinger.stop(1000);
            assertThat(a.process.log()).contains("connection lost").contains("is back");
            Map<String, Long> ca = a.stopAndReadCounters();
            assertThat(ca.get("reconnects")).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void theEmbeddedBrokerCarriesPingAndA20MegabyteTransfer() throws Exception {
        try (TunnelLab t = new TunnelLab().withEmbeddedBroker()) {
            t.startA("-k", KEY);
            t.startB("-k", KEY);
            TunnelLab.ping(t.a.ns(), "10.0.1.2", 3);
            TunnelLab.ping(t.b.ns(), "fd00::1", 3);
            t.transfer(t.a, t.b, "10.0.1.2", 20 * 1024 * 1024);
        }
    }

    /** A UDP/IPv4 packet from 10.0.1.1 to 10.0.1.2 with a correct total length. */
    static byte[] ipv4Packet(int length) {
        byte[] p = new byte[length];
        p[0] = 0x45;
        p[2] = (byte) (length >> 8);
        p[3] = (byte) length;
        p[8] = 64;
        p[9] = 17;
        p[12] = 10;
        p[15] = 1;
        p[16] = 10;
        p[19] = 2;
        return p;
    }
}
