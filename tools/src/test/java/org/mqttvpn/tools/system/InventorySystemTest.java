package org.mqttvpn.tools.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mqttvpn.tools.CommandRun;
import org.mqttvpn.tools.lab.LabProcess;
import org.mqttvpn.tools.lab.NetworkLab;
import org.mqttvpn.tools.lab.Ping;

/**
 * The inventory end to end, as root: one host and two virtual devices described in one
 * network.yaml; toolkit gen renders it; the host runs {@code toolkit vpn --config --host} in
 * one namespace, each device runs its rendered run.sh (toolkit sim) in another, all through
 * mosquitto in a fourth; the host pings both devices over the tunnel.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class InventorySystemTest {
    static final int PORT = 1883;

    @TempDir
    Path dir;

    @Test
    void aHostAndTwoVirtualDevicesFromOneInventoryPingEachOther() throws Exception {
        try (NetworkLab lab = NetworkLab.create()) {
            NetworkLab.Node host = lab.addNode("host");
            NetworkLab.Node devA = lab.addNode("sim-a");
            NetworkLab.Node devB = lab.addNode("sim-b");
            // One broker address for the whole inventory: the devices reach the host's side of the
            // broker namespace through their own link.
            for (NetworkLab.Node d : List.of(devA, devB)) {
                d.ns().ip("route", "add", host.brokerAddress() + "/32", "via", d.brokerAddress());
            }
            lab.startMosquitto(PORT);

            Path inventory = Files.writeString(dir.resolve("network.yaml"), """
                    network:
                      name: e2e
                      subnet: 10.0.9.0/24
                      broker: tcp://%s:%d
                      key: generate
                    hosts:
                      - name: gateway
                        address: 10.0.9.1
                        interface: mq0
                    devices:
                      - {name: sim-a, platform: host-sim, address: auto}
                      - {name: sim-b, platform: host-sim, address: auto}
                    """.formatted(host.brokerAddress(), PORT));
            Path out = dir.resolve("out");
            CommandRun gen = CommandRun.of("gen", inventory.toString(), "-o", out.toString());
            assertThat(gen.exitCode()).as(gen.err()).isZero();
            assertThat(gen.out()).contains("gave sim-a the address 10.0.9.2").contains("gave sim-b the address 10.0.9.3");

            LabProcess daemon = lab.startToolkit(host.ns(), "vpn-gateway",
                    List.of("vpn", "--config", inventory.toString(), "--host", "gateway"));
            daemon.awaitLog("connected to broker", 20_000);
            assertThat(daemon.log()).contains("encrypted (classic secretbox)");

            Path toolkit = toolkitLauncher();
            List<LabProcess> devices = List.of(
                    startDevice(lab, devA, out.resolve("sim-a/run.sh"), toolkit),
                    startDevice(lab, devB, out.resolve("sim-b/run.sh"), toolkit));

            for (String device : List.of("10.0.9.2", "10.0.9.3")) {
                Ping.Result r = pingUntilAnswered(host, device, devices);
                assertThat(r.allAnswered()).as("ping %s from the host:\n%s\nlogs: %s", device, r.output(), logs(lab)).isTrue();
            }
        }
    }

    /** A launcher for run.sh's TOOLKIT: this build's toolkit (same JVM and class path). */
    private Path toolkitLauncher() throws Exception {
        List<String> java = NetworkLab.javaCommand();
        StringBuilder script = new StringBuilder("#!/bin/sh\nexec");
        for (String part : java) {
            script.append(" '").append(part.replace("'", "'\\''")).append('\'');
        }
        script.append(" org.mqttvpn.tools.Main \"$@\"\n");
        Path launcher = dir.resolve("toolkit");
        Files.writeString(launcher, script);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        return launcher;
    }

    /** Runs the device's rendered run.sh as it is, in the device's namespace. */
    private static LabProcess startDevice(NetworkLab lab, NetworkLab.Node node, Path runSh, Path toolkit) throws Exception {
        assertThat(Files.isExecutable(runSh)).as("%s is executable", runSh).isTrue();
        List<String> cmd = new ArrayList<>(List.of("env", "TOOLKIT=" + toolkit, runSh.toString()));
        return lab.start(node.ns(), runSh.getParent().getFileName().toString(), cmd);
    }

    /** Pings until answered (the devices connect in their own time); a device that exited fails at once. */
    private static Ping.Result pingUntilAnswered(NetworkLab.Node from, String target, List<LabProcess> devices)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        Ping.Result r;
        do {
            for (LabProcess d : devices) {
                assertThat(d.isAlive()).as("device %s is running; it exited with %s:\n%s", d.name(),
                        d.isAlive() ? "-" : d.process().exitValue(), d.log()).isTrue();
            }
            r = Ping.run(from.ns(), target, 3, 0.3);
        } while (!r.allAnswered() && System.nanoTime() < deadline);
        return r;
    }

    private static String logs(NetworkLab lab) throws Exception {
        StringBuilder b = new StringBuilder();
        try (var files = Files.list(lab.dir())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                b.append("\n--- ").append(f.getFileName()).append(" ---\n").append(Files.readString(f));
            }
        }
        return b.toString();
    }
}
