package org.mqttvpn.tools.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mqttvpn.tools.lab.LabProcess;
import org.mqttvpn.tools.lab.NetworkLab;
import org.mqttvpn.tools.lab.Netns;
import org.mqttvpn.tools.lab.Shell;
import org.mqttvpn.tools.lab.TcpTransfer;

/**
 * Two hosts (namespaces "a" and "b") whose daemons talk through a broker in a third
 * namespace. A = 10.0.1.1 / fd00::1, B = 10.0.1.2 / fd00::2.
 */
final class TunnelLab implements AutoCloseable {
    static final int PORT = 1883;
    final NetworkLab lab;
    final NetworkLab.Node a;
    final NetworkLab.Node b;
    LabProcess broker;

    TunnelLab() throws IOException, InterruptedException {
        lab = NetworkLab.create();
        a = lab.addNode("a");
        b = lab.addNode("b");
    }

    TunnelLab withMosquitto() throws IOException, InterruptedException {
        broker = lab.startMosquitto(PORT);
        return this;
    }

    TunnelLab withEmbeddedBroker() throws IOException, InterruptedException {
        broker = lab.startEmbeddedBroker(PORT);
        return this;
    }

    Daemon startDaemon(NetworkLab.Node node, String name, String v4, String v6, String... extra)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("-a", v4, "-6", v6));
        args.addAll(List.of(extra));
        return new Daemon(node, lab.startVpn(node, name, PORT, args)).awaitConnected();
    }

    Daemon startA(String... extra) throws IOException, InterruptedException {
        return startDaemon(a, "vpn-a", "10.0.1.1", "fd00::1", extra);
    }

    Daemon startB(String... extra) throws IOException, InterruptedException {
        return startDaemon(b, "vpn-b", "10.0.1.2", "fd00::2", extra);
    }

    /** ping from ns to target; returns ping's output, failing the test when nothing came back. */
    static String ping(Netns ns, String target, int count) throws IOException, InterruptedException {
        Shell.Result r = ns.run(30, "ping", "-c", Integer.toString(count), "-i", "0.2", "-W", "3", target);
        assertThat(r.exitCode()).as("ping %s from %s:\n%s", target, ns, r.output()).isZero();
        return r.output();
    }

    /** Sends size random bytes over TCP from {@code from} to {@code to} and compares SHA-256 at both ends. */
    void transfer(NetworkLab.Node from, NetworkLab.Node to, String toAddress, int size) throws Exception {
        TcpTransfer.Result r = TcpTransfer.run(lab, from.ns(), to.ns(), toAddress, 5001, size);
        System.out.printf("transferred %d bytes %s -> %s in %d ms (%.1f MB/s)%n", size, from.ns(), toAddress, r.millis(),
                r.megabytesPerSecond());
        assertThat(r.receivedSha256()).as("SHA-256 of %d bytes after %d ms", size, r.millis()).isEqualTo(r.sentSha256());
    }

    /** Publishes a binary payload from inside the broker namespace (mosquitto_pub). */
    void publish(String topic, byte[] payload) throws IOException, InterruptedException {
        Path f = Files.createTempFile(lab.dir(), "payload", ".bin");
        Files.write(f, payload);
        List<String> cmd = new ArrayList<>(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(PORT), "-t", topic));
        if (payload.length == 0) {
            cmd.add("-n");
        } else {
            cmd.addAll(List.of("-f", f.toString()));
        }
        lab.broker().exec(cmd.toArray(new String[0]));
    }

    @Override
    public void close() {
        lab.close();
    }
}
