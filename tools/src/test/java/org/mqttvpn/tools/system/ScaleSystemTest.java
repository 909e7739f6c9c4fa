package org.mqttvpn.tools.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mqttvpn.tools.lab.LabProcess;
import org.mqttvpn.tools.lab.NetworkLab;
import org.mqttvpn.tools.lab.Shell;
import org.mqttvpn.tools.sim.SimBinary;

/**
 * Several hundred virtual devices (the firmware core on lwIP, one small process each) on one
 * mosquitto with one Linux host, all answering the host's ping. Prints how long they took to
 * come up and their memory (PSS). {@code -Dscale.devices=1000} measures a larger network once
 * (the README's figures); CI runs 300.
 */
class ScaleSystemTest {
    private static final int DEVICES = Integer.getInteger("scale.devices", 300);
    private static final int PORT = 1883;
    private static final Pattern PSS = Pattern.compile("^Pss:\\s+(\\d+) kB", Pattern.MULTILINE);

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void severalHundredVirtualDevicesOnOneBrokerAllAnswerTheHostsPing() throws Exception {
        try (NetworkLab lab = NetworkLab.create()) {
            NetworkLab.Node host = lab.addNode("host");
            NetworkLab.Node devices = lab.addNode("devices");
            LabProcess broker = lab.startMosquitto(PORT);
            Path key = lab.writeRandomKey("scale.key");
            new Daemon(host, lab.startVpn(host, "vpn-host", PORT, List.of("-a", "10.0.0.1", "-m", "255.255.0.0",
                    "--key-file", key.toString()))).awaitConnected();

            // One shell starts them all, as a user's script would: process start-up through this
            // JVM and ip-netns-exec, one at a time, would be what is measured, not the devices.
            Path sim = SimBinary.locate();
            List<String> addresses = new ArrayList<>();
            StringBuilder script = new StringBuilder("#!/bin/sh\n");
            for (int i = 0; i < DEVICES; i++) {
                String address = "10.0." + (1 + i / 250) + "." + (2 + i % 250);
                addresses.add(address);
                script.append(String.format("'%s' --broker %s --address %s --netmask 255.255.0.0 --key-file '%s' >'%s' 2>&1 &%n",
                        sim, devices.brokerUri(PORT), address, key, log(lab, address)));
            }
            script.append("wait\n");
            Path launcher = lab.dir().resolve("start-devices.sh");
            Files.writeString(launcher, script);
            long t0 = System.nanoTime();
            LabProcess shell = lab.start(devices.ns(), "start-devices", List.of("sh", launcher.toString()));
            awaitAllConnected(lab, addresses, 60_000);
            double connectedSeconds = seconds(t0);

            Path targets = lab.dir().resolve("targets.txt");
            Files.write(targets, addresses);
            // -r 5 -t 500: a device whose subscription the broker has not yet processed gets more tries
            Shell.Result fping = host.ns().run(60, "fping", "-a", "-q", "-r", "5", "-t", "500", "-i", "1", "-f", targets.toString());
            double answeredSeconds = seconds(t0);
            Set<String> alive = new LinkedHashSet<>(fping.output().lines().map(String::trim).filter(l -> !l.isEmpty()).toList());
            Set<String> silent = new LinkedHashSet<>(addresses);
            silent.removeAll(alive);

            List<Long> pids = new ArrayList<>();
            for (String pid : Shell.check(List.of("ip", "netns", "pids", devices.ns().name())).split("\\s+")) {
                if (!pid.isBlank() && Long.parseLong(pid.trim()) != shell.process().pid()) {
                    pids.add(Long.parseLong(pid.trim()));
                }
            }
            long pssKb = 0;
            for (long pid : pids) {
                pssKb += pssKb(pid);
            }
            System.out.printf("scale: %d virtual devices: all connected %.1f s after the start of the first, all answered"
                            + " the host's ping after %.1f s; PSS %.2f MiB per device, broker PSS %.1f MiB%n",
                    DEVICES, connectedSeconds, answeredSeconds, pssKb / 1024.0 / DEVICES, pssKb(broker.process().pid()) / 1024.0);
            assertThat(silent).as("devices that did not answer the host's ping (fping: %s)", fping.output().lines()
                    .filter(l -> !alive.contains(l.trim())).limit(5).toList()).isEmpty();
            assertThat(pids).as("device processes still running").hasSize(DEVICES);
        }
    }

    private static Path log(NetworkLab lab, String address) {
        return lab.dir().resolve("dev-" + address + ".log");
    }

    private static void awaitAllConnected(NetworkLab lab, List<String> addresses, long timeoutMs)
            throws IOException, InterruptedException {
        List<String> pending = new ArrayList<>(addresses);
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!pending.isEmpty()) {
            pending.removeIf(a -> {
                try {
                    return Files.readString(log(lab, a)).contains("connected to broker");
                } catch (IOException notYetWritten) {
                    return false;
                }
            });
            if (System.currentTimeMillis() > deadline) {
                Path first = log(lab, pending.get(0));
                throw new IOException(pending.size() + " of " + addresses.size() + " devices did not connect within " + timeoutMs
                        + " ms; " + first + ":\n" + (Files.exists(first) ? Files.readString(first) : "(no log)"));
            }
            Thread.sleep(100);
        }
    }

    private static long pssKb(long pid) throws IOException {
        Matcher m = PSS.matcher(Files.readString(Path.of("/proc/" + pid + "/smaps_rollup")));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
