package org.mqttvpn.tools.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mqttvpn.tools.lab.LabProcess;
import org.mqttvpn.tools.lab.NetworkLab;
import org.mqttvpn.tools.lab.Ping;
import org.mqttvpn.tools.lab.Shell;
import org.mqttvpn.tools.demo.StatusPage;
import org.mqttvpn.tools.lab.TcpDiscard;
import org.mqttvpn.tools.lab.TcpEcho;

/**
 * The Java host daemon and the virtual device (the firmware core on lwIP, firmware/host-sim)
 * through mosquitto, as root in namespaces: the two implementations of the classic protocol
 * talking to each other.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DeviceSystemTest {
    private static final String KEY = "correct horse battery staple";

    /** A started virtual device. */
    record Device(NetworkLab.Node node, LabProcess process) {
    }

    static Device startDevice(TunnelLab t, NetworkLab.Node node, String name, String v4, String v6, String... extra)
            throws Exception {
        List<String> args = new ArrayList<>(List.of("sim", "--broker", node.brokerUri(TunnelLab.PORT),
                "--address", v4, "--address6", v6));
        args.addAll(List.of(extra));
        LabProcess p = t.lab.startToolkit(node.ns(), name, args);
        p.awaitLog("connected to broker", 20_000);
        return new Device(node, p);
    }

    @ParameterizedTest(name = "key={0}")
    @ValueSource(strings = {KEY, ""})
    void theHostPingsTheDeviceFetchesItsPageAndEchoesFiveMegabytesIntact(String key) throws Exception {
        try (TunnelLab t = new TunnelLab().withMosquitto()) {
            String[] hostKey = key.isEmpty() ? new String[0] : new String[] {"-k", key};
            String[] devKey = key.isEmpty() ? new String[0] : new String[] {"--key", key};
            Daemon host = t.startA(hostKey);
            Device dev = startDevice(t, t.b, "device", "10.0.1.2", "fd00::2", devKey);
            assertThat(Ping.awaitReply(t.a.ns(), "10.0.1.2", 10)).as("the device answers at all").isTrue();

            Ping.Result p4 = Ping.run(t.a.ns(), "10.0.1.2", 5, 0.2);
            assertThat(p4.allAnswered()).as(p4.output()).isTrue();
            Ping.Result p6 = Ping.run(t.a.ns(), "fd00::2", 5, 0.2);
            assertThat(p6.allAnswered()).as(p6.output()).isTrue();
            System.out.printf("key=%s: device ping v4 avg %.3f ms, v6 avg %.3f ms%n", !key.isEmpty(), p4.avg(), p6.avg());

            Shell.Result page = t.a.ns().run(30, "curl", "-sS", "--max-time", "10", "http://10.0.1.2/");
            assertThat(page.exitCode()).as(page.output()).isZero();
            assertThat(page.output()).contains("10.0.1.2").containsIgnoringCase("uptime").containsIgnoringCase("packets");

            int size = 5 * 1024 * 1024;
            TcpEcho echo = TcpEcho.run(t.lab, t.a.ns(), "10.0.1.2", 7, size);
            System.out.printf("key=%s: 5 MB TCP echo through the device in %d ms%n", !key.isEmpty(), echo.millis());
            assertThat(echo.intact()).as("SHA-256 of the echo of %d bytes: %s", size, echo).isTrue();
            // The discard port takes a one-way stream and closes only after the last byte.
            TcpDiscard discard = TcpDiscard.run(t.lab, t.a.ns(), "10.0.1.2", size);
            System.out.printf("key=%s: 5 MB one-way to the discard port in %d ms%n", !key.isEmpty(), discard.millis());
            Shell.Result counters = t.a.ns().run(30, "curl", "-sS", "--max-time", "10", "http://10.0.1.2/");
            assertThat(Long.parseLong(StatusPage.rows(counters.output()).get("rx_bytes")))
                    .as("the device received the stream").isGreaterThan(2L * size);

            assertThat(host.process.isAlive()).isTrue();
            assertThat(dev.process().isAlive()).isTrue();
        }
    }

    @Test
    void aWrongKeyGetsNothingThroughToTheDevice() throws Exception {
        try (TunnelLab t = new TunnelLab().withMosquitto()) {
            Daemon host = t.startA("-k", KEY);
            startDevice(t, t.b, "device", "10.0.1.2", "fd00::2", "--key", "another key");
            Ping.Result p = Ping.run(t.a.ns(), "10.0.1.2", 5, 0.2);
            assertThat(p.received()).as(p.output()).isZero();
            Shell.Result page = t.a.ns().run(30, "curl", "-sS", "--max-time", "3", "http://10.0.1.2/");
            assertThat(page.exitCode()).isNotZero();
            assertThat(host.stopAndReadCounters().get("rx_packets")).isZero();
        }
    }

    @Test
    void twoVirtualDevicesPingEachOtherThroughTheBrokerWithoutAnyHost() throws Exception {
        try (TunnelLab t = new TunnelLab().withMosquitto()) {
            // One pings the other over IPv4, the other pings back over IPv6; both encrypted.
            Device one = startDevice(t, t.a, "device-1", "10.0.1.2", "fd00::2", "--key", KEY,
                    "--ping", "10.0.1.3", "--ping-interval", "200");
            Device two = startDevice(t, t.b, "device-2", "10.0.1.3", "fd00::3", "--key", KEY,
                    "--ping", "fd00::2", "--ping-interval", "200");
            for (Device d : new Device[] {one, two}) {
                // five answered pings in a row is proof enough
                d.process().awaitLog("(?s)(ping \\S+: seq=\\d+ time=[0-9.]+ ms.*){5}", 30_000);
            }
            System.out.println(one.process().log().lines().filter(l -> l.contains("time=")).reduce((a, b) -> b).orElse(""));
            System.out.println(two.process().log().lines().filter(l -> l.contains("time=")).reduce((a, b) -> b).orElse(""));
            assertThat(one.process().log()).contains("ping 10.0.1.3: seq=");
            assertThat(two.process().log()).containsIgnoringCase("ping fd00::2: seq=");
        }
    }
}
