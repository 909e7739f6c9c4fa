package org.mqttvpn.tools.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.mqttvpn.tools.lab.LabProcess;
import org.mqttvpn.tools.lab.NetworkLab;
import org.mqttvpn.tools.lab.Netns;
import org.mqttvpn.tools.lab.Shell;

/**
 * A RabbitMQ cluster of Debian's rabbitmq-server (3.10 in Debian 12) with its MQTT plugin, in
 * a lab's broker namespace: members {@code rabbit1@localhost} .. {@code rabbitN@localhost},
 * member i's MQTT listener on port {@code 1882 + i} (1883, 1884, ...), its AMQP listener on
 * {@code 5671 + i}, its Erlang distribution on {@code 25671 + i}, and one epmd of the
 * namespace's own. Everything they write (Mnesia, logs, the shared Erlang cookie, the
 * configuration) lives in the lab's directory; nothing of the machine's own RabbitMQ (files
 * in /etc/rabbitmq, /var/lib/rabbitmq, the service) is read or touched. The namespace has
 * only its loopback and its veth ends, so the members listen on addresses only the lab reaches.
 * The lab stops all of it on close.
 */
final class RabbitCluster {
    static final Path SERVER = Path.of("/usr/lib/rabbitmq/bin/rabbitmq-server");
    static final Path CTL = Path.of("/usr/lib/rabbitmq/bin/rabbitmqctl");
    /** Erlang's own ~0.2 s of start, the CLI's escript, and a member's boot on a busy 2-core machine. */
    private static final long START_TIMEOUT_MS = 180_000;

    private final NetworkLab lab;
    private final Netns ns;
    private final Path dir;
    private final List<LabProcess> members = new ArrayList<>();
    private final long startMillis;

    private RabbitCluster(NetworkLab lab, int size) throws IOException, InterruptedException {
        this.lab = lab;
        this.ns = lab.broker();
        this.dir = lab.dir().resolve("rabbitmq");
        long t0 = System.nanoTime();
        Files.createDirectories(dir.resolve("home"));
        byte[] cookie = new byte[20];
        new SecureRandom().nextBytes(cookie);
        Path cookieFile = dir.resolve("home/.erlang.cookie"); // Erlang insists on mode 0400
        Files.writeString(cookieFile, HexFormat.of().formatHex(cookie).toUpperCase(), StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(cookieFile, PosixFilePermissions.fromString("r--------"));
        Files.writeString(dir.resolve("enabled_plugins"), "[rabbitmq_mqtt].\n", StandardCharsets.US_ASCII);
        lab.start(ns, "epmd", List.of("epmd")); // in the foreground: the lab stops it
        for (int i = 1; i <= size; i++) {
            members.add(startMember(i));
        }
        for (int i = 1; i <= size; i++) {
            awaitStartup(i);
        }
        for (int i = 2; i <= size; i++) {
            ctl(i, "stop_app");
            ctl(i, "join_cluster", nodeName(1));
            ctl(i, "start_app");
        }
        String status = ctl(1, "cluster_status");
        for (int i = 1; i <= size; i++) {
            if (!status.contains(nodeName(i))) {
                throw new IOException(nodeName(i) + " is not in the cluster:\n" + status);
            }
        }
        startMillis = (System.nanoTime() - t0) / 1_000_000;
    }

    /** Starts {@code size} members in the lab's broker namespace and clusters them; returns when all take MQTT. */
    static RabbitCluster start(NetworkLab lab, int size) throws IOException, InterruptedException {
        if (!Files.isExecutable(SERVER) || !Files.isExecutable(CTL)) {
            throw new IOException("RabbitMQ is not installed (" + SERVER + "): ci/deps installs it"
                    + " (apt-get install rabbitmq-server)");
        }
        return new RabbitCluster(lab, size);
    }

    static String nodeName(int member) {
        return "rabbit" + member + "@localhost";
    }

    static int mqttPort(int member) {
        return 1882 + member;
    }

    /** How long starting and clustering took. */
    long startMillis() {
        return startMillis;
    }

    /** The URI of member {@code member}'s MQTT listener, as {@code node} reaches it. */
    String uri(NetworkLab.Node node, int member) {
        return node.brokerUri(mqttPort(member));
    }

    /** The environment every member and every CLI call shares; the member's own with {@code member > 0}. */
    private List<String> env(int member) {
        List<String> env = new ArrayList<>(List.of("env",
                "HOME=" + dir.resolve("home"),
                "RABBITMQ_ENABLED_PLUGINS_FILE=" + dir.resolve("enabled_plugins"),
                // never the machine's /etc/rabbitmq/rabbitmq-env.conf or advanced.config
                "RABBITMQ_CONF_ENV_FILE=" + dir.resolve("rabbitmq-env.conf"),
                "RABBITMQ_ADVANCED_CONFIG_FILE=" + dir.resolve("advanced.config")));
        if (member > 0) {
            Path m = dir.resolve("member" + member);
            env.addAll(List.of(
                    "RABBITMQ_NODENAME=" + nodeName(member),
                    "RABBITMQ_NODE_PORT=" + (5671 + member),
                    "RABBITMQ_DIST_PORT=" + (25671 + member),
                    "RABBITMQ_MNESIA_BASE=" + m.resolve("mnesia"),
                    "RABBITMQ_LOG_BASE=" + m.resolve("log"),
                    "RABBITMQ_CONFIG_FILE=" + m.resolve("rabbitmq.conf"),
                    // Schedulers that sleep when idle: Erlang's busy waiting would take the
                    // CPU from the daemons under test on a small machine.
                    "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=+sbwt none +sbwtdcpu none +sbwtdio none"));
        }
        return env;
    }

    private LabProcess startMember(int member) throws IOException {
        Path m = dir.resolve("member" + member);
        Files.createDirectories(m);
        Files.writeString(m.resolve("rabbitmq.conf"), String.join("\n",
                "mqtt.listeners.tcp.default = " + mqttPort(member),
                "mqtt.tcp_listen_options.nodelay = true",
                "mqtt.allow_anonymous = true",
                "loopback_users = none", // the nodes connect over the lab's veth links, not loopback
                "log.console = true",
                "log.console.level = warning",
                "log.file.level = info",
                ""), StandardCharsets.US_ASCII);
        List<String> cmd = env(member);
        cmd.add(SERVER.toString());
        return lab.start(ns, "rabbit" + member, cmd);
    }

    private void awaitStartup(int member) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        LabProcess p = members.get(member - 1);
        Shell.Result r;
        do {
            if (!p.isAlive()) {
                throw new IOException(nodeName(member) + " exited with " + p.process().exitValue() + ":\n" + p.log());
            }
            // fails at once until the member's VM has registered with epmd
            r = ctlResult(member, 120, "await_startup", "--timeout", "110");
            if (r.ok()) {
                return;
            }
            Thread.sleep(300);
        } while (System.currentTimeMillis() < deadline);
        throw new IOException(nodeName(member) + " did not start in " + START_TIMEOUT_MS / 1000 + " s: " + r.output()
                + "\n" + p.log());
    }

    /** rabbitmqctl against one member; fails on a non-zero exit. */
    String ctl(int member, String... args) throws IOException, InterruptedException {
        Shell.Result r = ctlResult(member, 120, args);
        if (!r.ok()) {
            throw new IOException("rabbitmqctl -n " + nodeName(member) + " " + String.join(" ", args) + " exited with "
                    + r.exitCode() + ":\n" + r.output());
        }
        return r.output();
    }

    private Shell.Result ctlResult(int member, long timeoutSeconds, String... args) throws IOException, InterruptedException {
        List<String> cmd = env(0);
        cmd.addAll(List.of(CTL.toString(), "-q", "-n", nodeName(member)));
        cmd.addAll(List.of(args));
        return Shell.run(timeoutSeconds, ns.wrap(cmd));
    }

    /** Kills member {@code member}'s Erlang VM (SIGKILL): the member is gone at once, as in a crash. */
    void kill(int member) throws InterruptedException {
        LabProcess p = members.get(member - 1);
        p.process().descendants().forEach(ProcessHandle::destroyForcibly);
        p.kill();
    }

    /** What member {@code member} printed (its console log: warnings and above). */
    String log(int member) {
        return members.get(member - 1).log();
    }
}
