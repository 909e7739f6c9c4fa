package org.mqttvpn.tools.vpn;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.mqttvpn.codegen.HostEnd;
import org.mqttvpn.codegen.inventory.InventoryException;
import org.mqttvpn.codegen.render.GenerationException;
import org.mqttvpn.host.Addresses;
import org.mqttvpn.host.VpnConfig;
import org.mqttvpn.host.VpnDaemon;
import org.mqttvpn.host.codec.Key;
import org.mqttvpn.host.mqtt.BrokerOrder;
import org.mqttvpn.host.mqtt.BrokerSettings;
import org.mqttvpn.host.mqtt.BrokerUri;
import org.mqttvpn.host.mqtt.ClientIds;
import org.mqttvpn.host.mqtt.TlsSettings;
import org.mqttvpn.host.secret.SecretFile;
import org.mqttvpn.host.secret.SecretFileException;
import org.mqttvpn.host.topic.Topics;
import org.mqttvpn.host.tun.TunDevice;
import org.mqttvpn.host.tun.TunException;
import org.mqttvpn.tools.cli.ExitCode;
import org.mqttvpn.tools.cli.Logging;
import org.mqttvpn.tools.cli.StopSignals;
import org.mqttvpn.tools.cli.ToolkitException;
import org.mqttvpn.tools.gen.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/** {@code toolkit vpn}: the host daemon, with the original mqtt_vpn's flags. */
@Command(
        name = "vpn",
        header = "Run this host's end of the tunnel (TUN interface <-> MQTT broker).",
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Run this host's end of the tunnel: a TUN interface whose packets go to",
            "<prefix>/<destination address> on the broker; this node receives on",
            "<prefix>/<own address> and <prefix>/255.255.255.255, and passes on the packets for",
            "its own addresses (see --route-for-others). Needs root or CAP_NET_ADMIN.",
            "Accepts the flags of the original mqtt_vpn. Stops cleanly on Ctrl-C or SIGTERM.",
            ""},
        footer = {
            "",
            "Examples:",
            "  sudo toolkit vpn -i mq0 -a 10.0.1.1 -b tcp://broker.local:1883 --key-file /etc/mqttvpn.key",
            "  sudo toolkit vpn -i mq0 -a 10.0.1.1 -6 fd00::1 -b mqtts://broker.example --cafile ca.pem -u me -p secret",
            "  sudo toolkit vpn -i mq0 -a 10.0.1.1 -b tcp://site-a:1883 -b tcp://site-b:1883 --broker-return 60",
            "  sudo toolkit vpn --config network.yaml --host laptop",
            "",
            "With several -b the daemon fails over: it moves on to the next broker at once after a failed",
            "attempt or a lost connection, and waits (at most 2 s) only after every broker failed.",
            "",
            "With --config, the host's entry of the inventory gives -i -a -m -b (all of brokers:),",
            "--broker-order, --broker-return, -u -p -k -6 -x -t, --topic-prefix and --route-for-others",
            "(secrets from their env:/file: references); flags given as well win over it.",
            "",
            "-k puts the key on the command line, where every user can read it with ps:",
            "prefer --key-file. Exit codes: 0 stopped, 2 bad flags, 3 missing CAP_NET_ADMIN, 1 other."})
public final class VpnCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger("mqttvpn.vpn");

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Take this host's settings from the network inventory FILE (see toolkit gen); needs --host.")
    Path inventory;

    @Option(names = "--host", paramLabel = "NAME", description = "Which host of the --config inventory this is.")
    String host;

    @Option(names = {"-i", "--interface"}, paramLabel = "<if>", description = "Interface name to create, e.g. mq0 (mandatory without --config).")
    String interfaceName;

    @Option(names = {"-a", "--address"}, paramLabel = "<ip>",
            description = "IPv4 address of this end, e.g. 10.0.1.1: unicast, not the subnet's network or broadcast"
                    + " address (mandatory without --config).")
    String address;

    @Option(names = {"-b", "--broker"}, paramLabel = "<broker>",
            description = {"Broker: tcp://host[:1883], ssl://host[:8883], mqtt://, mqtts:// (mandatory without --config).",
                "Repeatable: the brokers to fail over between; the first is this node's home broker."})
    List<String> brokers = new ArrayList<>();

    @Option(names = "--broker-order", paramLabel = "ORDER", defaultValue = "in-order",
            description = {"With several -b: in-order (the first, then the next after a failure or a lost connection)",
                "or random (a new random order every round, to spread nodes over a cluster); default: ${DEFAULT-VALUE}."})
    String brokerOrder;

    @Option(names = "--broker-return", paramLabel = "SECONDS",
            description = {"With several -b: while on another broker than the first, check every SECONDS whether the",
                "first answers, and move back to it when it does (default: off, stay where it is)."})
    Integer brokerReturn;

    @Option(names = {"-m", "--netmask"}, paramLabel = "<netmask>", defaultValue = "255.255.255.0",
            description = "Netmask of the VPN subnet (default: ${DEFAULT-VALUE}).")
    String netmask;

    @Option(names = {"-u", "--user"}, paramLabel = "<user>", description = "Broker user name.")
    String user;

    @Option(names = {"-p", "--password"}, paramLabel = "<pass>", description = "Broker password.")
    String password;

    @Option(names = {"-k", "--key"}, paramLabel = "<psk>",
            description = "Pre-shared key (password) of the VPN, at most 1024 bytes: frames are encrypted with it. Visible in ps.")
    String key;

    @Option(names = "--key-file", paramLabel = "FILE",
            description = {"Read the pre-shared key from FILE, so it is not visible in ps: the first line of a regular"
                + " file of at most 4096 bytes,",
                "1 to 1024 bytes of UTF-8 taken byte for byte (README: \"Keys and other secrets in files\")."})
    Path keyFile;

    @Option(names = {"-6", "--ipv6"}, paramLabel = "<ip6>", description = "IPv6 address of this end, e.g. fd00::1.")
    String address6;

    @Option(names = {"-x", "--ipv6-prefix"}, paramLabel = "<prefix-len>", defaultValue = "64",
            description = "Prefix length of the IPv6 address (default: ${DEFAULT-VALUE}).")
    int prefix6;

    @Option(names = {"-n", "--client-id"}, paramLabel = "<clientid>",
            description = "MQTT client id: 1..23 letters, digits, '_', '.', '-' (default: MQTT_VPN_<random>;"
                    + " must be unique on the broker).")
    String clientId;

    @Option(names = {"-t", "--target"}, paramLabel = "<ip>",
            description = "Also receive for this address (a host behind this node, NAT); repeatable, no limit.")
    List<String> targets = new ArrayList<>();

    @Option(names = "--route-for-others", description = {
        "Deliver packets for any address to the interface: for a host that routes for other nodes (a device's",
        "gateway). Without it, a packet whose destination is not this host's address, a -t target, broadcast",
        "or multicast is dropped and counted (drop_not_for_us). With --config: on when a device names this",
        "host as its gateway."})
    boolean routeForOthers;

    @Option(names = {"-d", "--debug"}, description = "Log every packet, and the counters every minute.")
    boolean debug;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX", defaultValue = Topics.DEFAULT_PREFIX,
            description = "Topic prefix shared by all nodes (default: ${DEFAULT-VALUE}): 1..64 printable ASCII"
                    + " characters, no + or #, no leading $ or final /; the firmware's rule too.")
    String topicPrefix;

    @Option(names = "--mtu", paramLabel = "BYTES", defaultValue = "1500",
            description = "Interface MTU, 576..1500 (1280 or more with IPv6; default: ${DEFAULT-VALUE}).")
    int mtu;

    @Option(names = "--keepalive", paramLabel = "SECONDS", defaultValue = "20",
            description = "MQTT keepalive (default: ${DEFAULT-VALUE}, as the original).")
    int keepalive;

    @Option(names = "--cafile", paramLabel = "FILE",
            description = "Verify a TLS broker against the CA certificate(s) in FILE (PEM) instead of the system's.")
    Path caFile;

    @Option(names = "--insecure", description = "Do not verify the TLS broker's certificate (unsafe; warns).")
    boolean insecure;

    @Option(names = "--stats-interval", paramLabel = "SECONDS", defaultValue = "60",
            description = "With -d, log the counters this often (default: ${DEFAULT-VALUE}).")
    int statsInterval;

    @Option(names = "--low-latency", description = {
        "Keep the CPUs out of deep idle states while the daemon runs (Linux PM QoS, /dev/cpu_dma_latency):",
        "lower and steadier latency on an idle machine or a VM, at the price of power. Needs root."})
    boolean lowLatency;

    @Override
    public Integer call() throws Exception {
        VpnConfig config = config();
        Logging.setDebug(debug);
        VpnDaemon daemon = new VpnDaemon(config);
        // Installed before start, which a stop then waits for (both are synchronized): a signal
        // at any point from here on ends the daemon cleanly with 0 (see StopSignals).
        try (StopSignals signals = StopSignals.install(daemon::close, () -> { })) {
            try {
                daemon.start();
            } catch (TunException e) {
                throw new ToolkitException(exitCode(e.kind()), e.getMessage());
            } catch (IOException e) {
                throw new ToolkitException(ExitCode.FAILURE, e.getMessage());
            }
            LowLatency hold = lowLatency ? holdLowLatency() : null;
            // For the ends of the JVM that are not a stop signal (SIGHUP, or where StopSignals
            // could not replace the JVM's handler): the interface still goes.
            Thread hook = new Thread(() -> {
                daemon.close();
                closeQuietly(hold);
            }, "mqttvpn-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            String failure;
            try {
                failure = daemon.awaitTermination();
                daemon.close();
                closeQuietly(hold);
            } finally {
                removeQuietly(hook);
            }
            if (failure != null) {
                throw new ToolkitException(ExitCode.FAILURE, failure);
            }
            return ExitCode.OK;
        }
    }

    private static void removeQuietly(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is ending: the hook runs, and close() is idempotent
        }
    }

    /** The tunnel works without it, so a refusal is a warning, not the end. */
    private static LowLatency holdLowLatency() {
        try {
            LowLatency hold = LowLatency.request();
            log.info("--low-latency: CPUs kept out of deep idle states while the daemon runs");
            return hold;
        } catch (IOException e) {
            log.warn("--low-latency not in effect: {}", e.getMessage());
            return null;
        }
    }

    private static void closeQuietly(LowLatency hold) {
        if (hold != null) {
            try {
                hold.close();
            } catch (IOException ignored) {
                // the kernel drops the request with the process anyway
            }
        }
    }

    static int exitCode(TunException.Kind kind) {
        return switch (kind) {
            case PERMISSION -> ExitCode.PERMISSION;
            case UNAVAILABLE -> ExitCode.UNAVAILABLE;
            case BAD_NAME -> ExitCode.USAGE;
            default -> ExitCode.FAILURE;
        };
    }

    /** Turns the flags into a configuration, or fails naming the flag that is wrong. */
    VpnConfig config() {
        if (inventory != null) {
            applyInventory();
        } else if (host != null) {
            throw bad("--host " + host + " needs --config FILE, the inventory that describes the host");
        }
        require(interfaceName, "-i/--interface", "the name of the interface to create, e.g. -i mq0");
        require(address, "-a/--address", "the IPv4 address of this end, e.g. -a 10.0.1.1");
        if (brokers.isEmpty()) {
            throw bad("missing -b/--broker: the MQTT broker, e.g. -b tcp://broker.local:1883");
        }
        try {
            TunDevice.validateName(interfaceName);
        } catch (TunException e) {
            throw bad("-i/--interface: " + e.getMessage());
        }
        // Every check here comes before the interface is created: a refused flag changes nothing.
        Inet4Address ip = parse("-a/--address", () -> Addresses.unicast(Addresses.ipv4(address)));
        Inet4Address mask = parse("-m/--netmask", () -> Addresses.netmask(netmask));
        parse("-a/--address", () -> Addresses.inSubnet(ip, mask));
        Inet6Address ip6 = address6 == null ? null : parse("-6/--ipv6", () -> Addresses.unicast(Addresses.ipv6(address6)));
        parse("-x/--ipv6-prefix", () -> VpnConfig.checkPrefixLength6(prefix6));
        List<InetAddress> natTargets = new ArrayList<>();
        for (String t : targets) {
            natTargets.add(parse("-t/--target", () -> Addresses.unicast(Addresses.ip(t))));
        }
        List<BrokerUri> uris = new ArrayList<>();
        for (String b : brokers) {
            BrokerUri uri = parse("-b/--broker", () -> BrokerUri.parse(b));
            if (uris.contains(uri)) {
                throw bad("-b/--broker: " + uri + " is given twice: list each broker once");
            }
            uris.add(uri);
        }
        BrokerOrder order = parse("--broker-order", () -> BrokerOrder.parse(brokerOrder));
        if (brokerReturn != null && (brokerReturn < 1 || brokerReturn > 86_400)) {
            throw bad("--broker-return: " + brokerReturn + " is outside 1..86400 seconds");
        }
        if (brokerReturn != null && uris.size() == 1) {
            throw bad("--broker-return needs a second broker (another -b) to return from");
        }
        parse("--mtu", () -> VpnConfig.checkMtu(mtu, ip6 != null));
        if (keepalive < 0 || keepalive > 65535) {
            throw bad("--keepalive: " + keepalive + " is outside 0..65535 seconds");
        }
        if (statsInterval < 1) {
            throw bad("--stats-interval: " + statsInterval + " must be at least 1 second");
        }
        String prefix = parse("--topic-prefix", () -> Topics.validPrefix(topicPrefix));
        if (clientId != null) {
            parse("-n/--client-id", () -> ClientIds.valid(clientId));
        }
        if (caFile != null && !BrokerUri.anyTls(uris)) {
            throw bad("--cafile: " + (uris.size() == 1 ? "the broker " + brokers.get(0) + " is not"
                    : "none of the brokers is") + " TLS; use ssl:// or mqtts://");
        }
        if (insecure && caFile != null) {
            throw bad("--insecure and --cafile contradict each other: give one");
        }
        if (caFile != null && !Files.isReadable(caFile)) {
            throw bad("--cafile: cannot read " + caFile);
        }
        if (caFile != null) {
            try {
                TlsSettings.certificates(caFile);
            } catch (IOException e) {
                throw bad(e.getMessage());
            }
        }
        Key psk = Key.fromPassword(psk());
        BrokerSettings settings = new BrokerSettings(uris, user, password,
                clientId == null ? ClientIds.random() : clientId, keepalive, new TlsSettings(caFile, insecure),
                BrokerSettings.DEFAULT_RECONNECT_MIN, BrokerSettings.DEFAULT_RECONNECT_MAX, order,
                brokerReturn == null ? null : Duration.ofSeconds(brokerReturn));
        return new VpnConfig(interfaceName, ip, mask, ip6, prefix6, mtu, psk, prefix, natTargets, routeForOthers,
                settings, debug, Duration.ofSeconds(statsInterval));
    }

    /** Fills every setting the command line did not give from the host's entry of the inventory. */
    private void applyInventory() {
        if (host == null) {
            throw bad("--config needs --host NAME: which host of " + inventory + " this machine is");
        }
        HostEnd end = hostEnd();
        ParseResult given = spec.commandLine().getParseResult();
        unlessGiven(given, "-i", () -> interfaceName = end.interfaceName());
        unlessGiven(given, "-a", () -> address = end.address());
        unlessGiven(given, "-m", () -> netmask = end.netmask());
        unlessGiven(given, "-b", () -> brokers = new ArrayList<>(end.brokers()));
        unlessGiven(given, "--broker-order", () -> brokerOrder = end.brokerOrder());
        // the inventory's return applies to the inventory's brokers, or to a list of -b flags
        unlessGiven(given, "--broker-return", () -> brokerReturn = brokers.size() > 1 ? end.brokerReturn() : null);
        unlessGiven(given, "-u", () -> user = end.user());
        unlessGiven(given, "-p", () -> password = end.password());
        if (!given.hasMatchedOption("--key-file")) {
            unlessGiven(given, "-k", () -> key = end.key());
        }
        unlessGiven(given, "-6", () -> address6 = end.address6());
        unlessGiven(given, "-x", () -> prefix6 = end.prefix6());
        unlessGiven(given, "--topic-prefix", () -> topicPrefix = end.topicPrefix());
        unlessGiven(given, "-t", () -> targets = new ArrayList<>(end.natTargets()));
        unlessGiven(given, "--route-for-others", () -> routeForOthers = end.routeForOthers());
    }

    private HostEnd hostEnd() {
        try {
            return HostEnd.load(inventory, host, System.getenv());
        } catch (InventoryException e) {
            throw Problems.of(inventory.toString(), e, "");
        } catch (GenerationException e) {
            throw bad("--host " + host + ": " + e.getMessage());
        }
    }

    /** A flag given on the command line wins over the inventory. */
    private static void unlessGiven(ParseResult given, String option, Runnable fromInventory) {
        if (!given.hasMatchedOption(option)) {
            fromInventory.run();
        }
    }

    private String psk() {
        if (key != null && keyFile != null) {
            throw bad("-k/--key and --key-file both give the key: use one (prefer --key-file)");
        }
        if (keyFile == null) {
            if (key != null) {
                try {
                    SecretFile.checkValue(key, "the key");
                } catch (SecretFileException e) {
                    throw bad("-k/--key: " + e.getMessage());
                }
            }
            return key;
        }
        String line;
        try {
            line = SecretFile.read(keyFile);
        } catch (SecretFileException e) {
            if (e.kind() == SecretFileException.Kind.NOT_READABLE) {
                throw new ToolkitException(ExitCode.PERMISSION, "--key-file: " + e.getMessage());
            }
            throw bad("--key-file: " + e.getMessage());
        }
        if (SecretFile.othersCanRead(keyFile)) {
            log.warn("--key-file {} is readable by other users: chmod 600 {}", keyFile, keyFile);
        }
        return line;
    }

    private void require(String value, String flag, String what) {
        if (value == null) {
            throw bad("missing " + flag + ": " + what);
        }
    }

    private interface Parse<T> {
        T get();
    }

    private <T> T parse(String flag, Parse<T> p) {
        try {
            return p.get();
        } catch (IllegalArgumentException e) {
            throw bad(flag + ": " + e.getMessage());
        }
    }

    private ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
