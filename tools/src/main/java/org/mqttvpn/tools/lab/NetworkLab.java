package org.mqttvpn.tools.lab;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mqttvpn.codegen.render.OutputWriter;
import org.mqttvpn.tools.cli.ExitCode;
import org.mqttvpn.tools.cli.ToolkitException;
import org.mqttvpn.tools.ota.UploaderJvm;
import org.mqttvpn.tools.vpn.DaemonJvm;

/**
 * A small network on one machine, for tests, the demo and the benchmark: a broker namespace
 * and node namespaces, each node joined to the broker by its own veth pair
 * (broker side 172.30.N.1/30, node side 172.30.N.2/30). Nothing is added to the machine's
 * own namespace. {@link #close} stops every process started here and deletes every
 * namespace, also after a failure; namespaces left by a crashed run are removed by the next.
 */
public final class NetworkLab implements Closeable {
    public static final String PREFIX = "mvpn-";
    private static final Pattern OURS = Pattern.compile(Pattern.quote(PREFIX) + "(\\d+)-\\d+-.*");
    private static final AtomicInteger LABS = new AtomicInteger();

    private final String id;
    private final Path dir;
    private final List<Netns> namespaces = new ArrayList<>();
    private final List<LabProcess> processes = new ArrayList<>();
    private final Netns broker;
    private int links;
    private boolean keepDir;

    /** A node namespace and the address at which it reaches the broker namespace. */
    public record Node(Netns ns, String brokerAddress, String address) {
        /** {@code tcp://<broker address>:<port>}, as the node reaches a broker in the broker namespace. */
        public String brokerUri(int port) {
            return "tcp://" + brokerAddress + ":" + port;
        }
    }

    private NetworkLab(Path dir) throws IOException, InterruptedException {
        this.id = ProcessHandle.current().pid() + "-" + LABS.incrementAndGet();
        this.dir = dir;
        this.broker = addNamespace("broker");
    }

    /** Creates a lab; needs root (network namespaces). */
    public static NetworkLab create() throws IOException, InterruptedException {
        requireRoot("creating network namespaces");
        removeStale();
        NetworkLab lab = new NetworkLab(Files.createTempDirectory("mqttvpn-lab-"));
        Runtime.getRuntime().addShutdownHook(new Thread(lab::closeQuietly, "lab-cleanup"));
        return lab;
    }

    public static void requireRoot(String what) {
        requireRoot(what, isRoot());
    }

    static void requireRoot(String what, boolean root) {
        if (!root) {
            throw new ToolkitException(ExitCode.PERMISSION, what + " needs root: run it with sudo");
        }
    }

    public static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Deletes namespaces of ours whose creating process is gone. */
    static void removeStale() throws IOException, InterruptedException {
        Shell.Result list = Shell.run(10, List.of("ip", "netns", "list"));
        for (String line : list.output().split("\n")) {
            String name = line.split("\\s+")[0];
            Matcher m = OURS.matcher(name);
            if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
                killAllIn(name);
                Shell.run(10, List.of("ip", "netns", "del", name));
            }
        }
    }

    private static void killAllIn(String ns) throws IOException, InterruptedException {
        Shell.Result pids = Shell.run(10, List.of("ip", "netns", "pids", ns));
        for (String pid : pids.output().split("\\s+")) {
            if (!pid.isBlank()) {
                ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    public Path dir() {
        return dir;
    }

    public Netns broker() {
        return broker;
    }

    /** The processes started so far, in order. */
    public synchronized List<LabProcess> processes() {
        return List.copyOf(processes);
    }

    /** Keep the log directory after close (for a user who wants to read it). */
    public void keepLogs() {
        keepDir = true;
    }

    private Netns addNamespace(String role) throws IOException, InterruptedException {
        Netns ns = new Netns(PREFIX + id + "-" + role);
        Shell.check(List.of("ip", "netns", "add", ns.name()));
        namespaces.add(ns);
        ns.ip("link", "set", "lo", "up");
        return ns;
    }

    /** A new namespace joined to the broker namespace by a veth pair. */
    public Node addNode(String role) throws IOException, InterruptedException {
        Netns ns = addNamespace(role);
        int n = ++links;
        String brokerSide = "172.30." + n + ".1";
        String nodeSide = "172.30." + n + ".2";
        String brokerIf = "to-" + role.substring(0, Math.min(role.length(), 10));
        broker.ip("link", "add", brokerIf, "type", "veth", "peer", "name", "uplink", "netns", ns.name());
        broker.ip("addr", "add", brokerSide + "/30", "dev", brokerIf);
        broker.ip("link", "set", brokerIf, "up");
        ns.ip("addr", "add", nodeSide + "/30", "dev", "uplink");
        ns.ip("link", "set", "uplink", "up");
        return new Node(ns, brokerSide, nodeSide);
    }

    /**
     * Joins this lab's broker namespace to {@code other}'s by a veth pair, as two sites' brokers
     * reach each other: 172.31.0.1/30 here, 172.31.0.2/30 there. Returns this broker
     * namespace's address as the other reaches it. One such link per pair of labs.
     */
    public String linkBroker(NetworkLab other) throws IOException, InterruptedException {
        String here = "172.31.0.1";
        String there = "172.31.0.2";
        broker.ip("link", "add", "to-site", "type", "veth", "peer", "name", "to-hub", "netns", other.broker.name());
        broker.ip("addr", "add", here + "/30", "dev", "to-site");
        broker.ip("link", "set", "to-site", "up");
        other.broker.ip("addr", "add", there + "/30", "dev", "to-hub");
        other.broker.ip("link", "set", "to-hub", "up");
        return here;
    }

    /** Starts a command in a namespace; its stdout and stderr go to {@code <dir>/<name>.log}. */
    public LabProcess start(Netns ns, String name, List<String> command) throws IOException {
        return start(ns, name, command, Map.of());
    }

    /** {@link #start(Netns, String, List)} with these environment variables added. */
    public synchronized LabProcess start(Netns ns, String name, List<String> command, Map<String, String> environment)
            throws IOException {
        Path log = dir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(ns.wrap(command))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        Process p = builder.start();
        p.getOutputStream().close();
        LabProcess lp = new LabProcess(name, p, log);
        processes.add(lp);
        return lp;
    }

    /** Starts this toolkit (same JVM binary and class path) in a namespace. */
    public LabProcess startToolkit(Netns ns, String name, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(javaCommand());
        if (!args.isEmpty() && args.get(0).equals("ota")) {
            cmd.addAll(1, UploaderJvm.options()); // as the launcher starts it: the bench measures what users run
        }
        cmd.add("org.mqttvpn.tools.Main");
        cmd.addAll(args);
        return start(ns, name, cmd);
    }

    public static List<String> javaCommand() {
        String java = ProcessHandle.current().info().command().orElse("java");
        return List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"));
    }

    /**
     * {@code toolkit vpn -i mq0 -b <the node's broker URI> args...} in the node's namespace,
     * with the JVM options the launcher gives the daemon (see {@link DaemonJvm}), so that tests
     * and the benchmark run what users run.
     */
    public LabProcess startVpn(Node node, String name, int brokerPort, List<String> args) throws IOException {
        String classPath = System.getProperty("java.class.path");
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        cmd.addAll(DaemonJvm.options());
        cmd.addAll(DaemonJvm.archiveOption(classPath));
        cmd.addAll(List.of("-cp", classPath, "org.mqttvpn.tools.Main", "vpn", "-i", "mq0", "-b", node.brokerUri(brokerPort)));
        cmd.addAll(args);
        return start(node.ns(), name, cmd, Map.of("MALLOC_ARENA_MAX", DaemonJvm.MALLOC_ARENA_MAX));
    }

    /** The embedded broker ({@code toolkit broker}) in the broker namespace, once it listens. */
    public LabProcess startEmbeddedBroker(int port) throws IOException, InterruptedException {
        LabProcess p = startToolkit(broker, "embedded-broker", List.of("broker", "--bind", "0.0.0.0", "--port",
                Integer.toString(port)));
        awaitListening(broker, port, p);
        return p;
    }

    /**
     * A random 256-bit key in a file of the lab (mode 0600), written as the long random
     * password the classic protocol derives its key from; for --key-file.
     */
    public Path writeRandomKey(String fileName) throws IOException {
        Path keyFile = dir.resolve(fileName);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Files.writeString(keyFile, HexFormat.of().formatHex(key) + "\n");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        return keyFile;
    }

    /** Starts Debian's mosquitto in the broker namespace on every address there. */
    public LabProcess startMosquitto(int port) throws IOException, InterruptedException {
        return startMosquitto(port, "");
    }

    /** Starts mosquitto as {@link #startMosquitto(int)} does, with {@code extraConfig} (a bridge, say) appended. */
    public LabProcess startMosquitto(int port, String extraConfig) throws IOException, InterruptedException {
        Path conf = dir.resolve("mosquitto-" + port + ".conf");
        Files.writeString(conf, String.join("\n",
                "listener " + port,
                "allow_anonymous true",
                "persistence false",
                "set_tcp_nodelay true",
                "log_dest stderr",
                "log_type error",
                "log_type warning",
                "log_type notice",
                "",
                extraConfig), StandardCharsets.UTF_8);
        LabProcess p = start(broker, "mosquitto-" + port, List.of(mosquittoPath(), "-c", conf.toString()));
        awaitListening(broker, port, p);
        return p;
    }

    public static String mosquittoPath() {
        for (String candidate : List.of("/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new ToolkitException(ExitCode.UNAVAILABLE, "mosquitto is not installed: sudo apt-get install mosquitto mosquitto-clients");
    }

    /** Waits until something accepts TCP connections on {@code port} in the namespace. */
    public void awaitListening(Netns ns, int port, LabProcess p) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            if (p != null && !p.isAlive()) {
                throw new IOException(p.name() + " exited with " + p.process().exitValue() + ":\n" + p.log());
            }
            Shell.Result r = ns.run(5, "ss", "-Hltn", "sport = :" + port);
            if (r.ok() && !r.output().isBlank()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IOException("nothing listens on port " + port + " in " + ns + " after 15 s" + (p == null ? "" : ":\n" + p.log()));
    }

    /** Stops every process (SIGTERM, then SIGKILL) and deletes every namespace and the log directory. */
    @Override
    public synchronized void close() {
        closeQuietly();
    }

    private synchronized void closeQuietly() {
        for (LabProcess p : processes) {
            try {
                p.stop(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
        for (Netns ns : namespaces) {
            try {
                killAllIn(ns.name());
                Shell.run(10, List.of("ip", "netns", "del", ns.name()));
            } catch (IOException | InterruptedException e) {
                // keep going: the next lab removes what is left
            }
        }
        namespaces.clear();
        if (!keepDir) {
            try {
                OutputWriter.deleteTree(dir);
            } catch (IOException ignored) {
                // a temporary directory; the OS cleans it eventually
            }
        }
    }
}
