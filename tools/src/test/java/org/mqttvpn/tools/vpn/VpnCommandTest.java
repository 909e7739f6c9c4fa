package org.mqttvpn.tools.vpn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mqttvpn.host.VpnConfig;
import org.mqttvpn.host.codec.Key;
import org.mqttvpn.host.mqtt.BrokerOrder;
import org.mqttvpn.tools.CommandRun;
import org.mqttvpn.tools.cli.ExitCode;
import org.mqttvpn.tools.lab.LabProcess;
import org.mqttvpn.tools.lab.NetworkLab;
import org.mqttvpn.tools.lab.Shell;
import picocli.CommandLine;

class VpnCommandTest {
    private static VpnConfig parse(String... args) {
        VpnCommand cmd = new VpnCommand();
        new CommandLine(cmd).setOverwrittenOptionsAllowed(true).parseArgs(args); // as Main does
        return cmd.config();
    }

    @Test
    void theOriginalFlagsMeanWhatTheyMeantThere() {
        VpnConfig c = parse("-i", "mq0", "-a", "10.0.1.1", "-b", "tcp://broker.io:1883", "-m", "255.255.0.0",
                "-u", "user", "-p", "pass", "-k", "secret", "-6", "fd00::1", "-x", "48", "-n", "MQTT_VPN_me",
                "-t", "192.168.4.2", "-t", "192.168.4.3", "-d");
        assertThat(c.interfaceName()).isEqualTo("mq0");
        assertThat(c.address().getHostAddress()).isEqualTo("10.0.1.1");
        assertThat(c.netmask().getHostAddress()).isEqualTo("255.255.0.0");
        assertThat(c.broker().uri().pahoUri()).isEqualTo("tcp://broker.io:1883");
        assertThat(c.broker().username()).isEqualTo("user");
        assertThat(c.broker().password()).isEqualTo("pass");
        assertThat(c.key().copyOfBytes()).isEqualTo(Key.fromPassword("secret").copyOfBytes());
        assertThat(c.address6().getHostAddress()).isEqualTo("fd00:0:0:0:0:0:0:1");
        assertThat(c.prefixLength6()).isEqualTo(48);
        assertThat(c.broker().clientId()).isEqualTo("MQTT_VPN_me");
        assertThat(c.natTargets()).extracting(a -> a.getHostAddress()).containsExactly("192.168.4.2", "192.168.4.3");
        assertThat(c.debug()).isTrue();
        assertThat(c.broker().keepaliveSeconds()).isEqualTo(20);
        assertThat(c.topicPrefix()).isEqualTo("mqttip");
        assertThat(c.mtu()).isEqualTo(1500);
    }

    @Test
    void defaultsAreTheOriginals() {
        VpnConfig c = parse("-i", "mq0", "-a", "10.0.1.1", "-b", "broker.io");
        assertThat(c.routeForOthers()).as("packets for other addresses are dropped").isFalse();
        assertThat(parse("-i", "mq0", "-a", "10.0.1.1", "-b", "broker.io", "--route-for-others").routeForOthers()).isTrue();
        assertThat(c.netmask().getHostAddress()).isEqualTo("255.255.255.0");
        assertThat(c.key().encrypts()).isFalse();
        assertThat(c.broker().clientId()).matches("MQTT_VPN_[0-9a-f]{14}");
        assertThat(c.broker().uri().port()).isEqualTo(1883);
        assertThat(c.address6()).isNull();
    }

    @Test
    void repeatedBrokersAreTheFailoverListHomeFirst() {
        VpnConfig c = parse("-i", "mq0", "-a", "10.0.1.1", "-b", "tcp://site-a:1883", "-b", "ssl://site-b",
                "--broker-order", "random", "--broker-return", "30");
        assertThat(c.broker().brokers()).extracting(b -> b.pahoUri())
                .containsExactly("tcp://site-a:1883", "ssl://site-b:8883");
        assertThat(c.broker().uri().host()).as("the home broker").isEqualTo("site-a");
        assertThat(c.broker().order()).isEqualTo(BrokerOrder.RANDOM);
        assertThat(c.broker().returnInterval()).isEqualTo(Duration.ofSeconds(30));
        VpnConfig one = parse("-i", "mq0", "-a", "10.0.1.1", "-b", "broker.io");
        assertThat(one.broker().brokers()).hasSize(1);
        assertThat(one.broker().order()).as("default").isEqualTo(BrokerOrder.IN_ORDER);
        assertThat(one.broker().returnInterval()).as("default: stay").isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-b tcp://a -b tcp://b --broker-order roundrobin | --broker-order: unknown broker order 'roundrobin': use in-order or random",
        "-b tcp://a --broker-return 60 | --broker-return needs a second broker (another -b)",
        "-b tcp://a -b tcp://b --broker-return 0 | --broker-return: 0 is outside 1..86400 seconds",
        "-b tcp://a -b tcp://a:1883 | -b/--broker: tcp://a:1883 is given twice",
        "-b tcp://a -b ws://b | -b/--broker: broker 'ws://b': scheme 'ws' is not supported",
        "-b tcp://a -b tcp://b --cafile /etc/hostname | --cafile: none of the brokers is TLS",
    })
    void badBrokerListsAreRefusedNamingTheFlag(String flags, String message) {
        List<String> args = new ArrayList<>(List.of("-i", "mq0", "-a", "10.0.1.1"));
        args.addAll(List.of(flags.trim().split(" ")));
        assertThatThrownBy(() -> parse(args.toArray(new String[0])))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining(message);
    }

    @Test
    void theKeyFileGivesTheSameKeyAsMinusK(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("k");
        Files.writeString(f, "secret\n");
        VpnConfig c = parse("-i", "mq0", "-a", "10.0.1.1", "-b", "broker.io", "--key-file", f.toString());
        assertThat(c.key().copyOfBytes()).isEqualTo(Key.fromPassword("secret").copyOfBytes());
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // blocking or reading forever fails here
    void aKeyFileThatCouldBlockOrNeverEndIsRefusedAtOnce(@TempDir Path dir) throws Exception {
        CommandRun r = CommandRun.of("vpn", "-i", "mq0", "-a", "10.0.1.1", "-b", "tcp://broker.io", "--key-file", "/dev/zero");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("--key-file: /dev/zero is not a regular file (a pipe, a socket or a device): secrets"
                + " are read from regular files only").doesNotContain("Exception");

        Path fifo = dir.resolve("key.fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mkfifo.exitValue()).isZero();
        Path keys = Files.createDirectory(dir.resolve("keys"));
        Path big = Files.write(dir.resolve("big"), new byte[100_000]);
        Path longKey = Files.writeString(dir.resolve("long"), "a".repeat(2000) + "\n");
        assertRefused("--key-file: /dev/urandom is not a regular file", "--key-file", "/dev/urandom");
        assertRefused("--key-file: " + fifo + " is not a regular file", "--key-file", fifo.toString());
        assertRefused("--key-file: " + keys + " is a directory: name the file that holds", "--key-file", keys.toString());
        assertRefused("--key-file: " + big + " is longer than 4096 bytes", "--key-file", big.toString());
        assertRefused("--key-file: the first line of " + longKey + " is longer than 1024 bytes (2000): use a shorter secret",
                "--key-file", longKey.toString());
    }

    /**
     * The flags (after -i -a -b) make no configuration, with this message. Through config() alone: should a
     * check go missing, no daemon starts.
     */
    private static void assertRefused(String message, String... flags) {
        List<String> args = new ArrayList<>(List.of("-i", "mq0", "-a", "10.0.1.1", "-b", "broker.io"));
        args.addAll(List.of(flags));
        VpnCommand cmd = new VpnCommand();
        new CommandLine(cmd).parseArgs(args.toArray(new String[0]));
        assertThatThrownBy(cmd::config).isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining(message);
    }

    @Test
    void aKeyOnTheCommandLineHasTheLimitsOfAKeyFile() {
        assertRefused("-k/--key: the key is longer than 1024 bytes (2000): use a shorter secret", "-k", "a".repeat(2000));
        assertThat(parse("-i", "mq0", "-a", "10.0.1.1", "-b", "broker.io", "-k", "é".repeat(512)).key().encrypts()).isTrue();
    }

    @Test
    void aKeyFileIsReadByteForByteAsTheVirtualDeviceReadsIt(@TempDir Path dir) throws Exception {
        Path f = Files.write(dir.resolve("k"), "  clé \r\n# comment\n".getBytes(StandardCharsets.UTF_8));
        VpnConfig c = parse("-i", "mq0", "-a", "10.0.1.1", "-b", "broker.io", "--key-file", f.toString());
        assertThat(c.key().copyOfBytes()).isEqualTo(Key.fromPassword("  clé ").copyOfBytes());
        Files.write(f, new byte[] {'k', (byte) 0xe9, '\n'});
        assertRefused("--key-file: the first line of " + f + " is not valid UTF-8 (byte 2)", "--key-file", f.toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "-a 10.0.1 | -a/--address: '10.0.1' is not an IPv4 address",
        "-a 10.0.1.300 | -a/--address: '10.0.1.300': 300 is larger than 255",
        "-m 255.0.255.0 | -m/--netmask: '255.0.255.0' is not a netmask",
        "-b ws://broker | -b/--broker: broker 'ws://broker': scheme 'ws' is not supported",
        "-6 fd00::zz | -6/--ipv6: 'fd00::zz' is not an IPv6 address",
        "-x 129 | -x/--ipv6-prefix: 129 is outside 1..128",
        "-t 10.0.1.x | -t/--target: '10.0.1.x' is not an IPv4 address",
        "--mtu 1600 | --mtu: 1600 is outside 576..1500",
        "--keepalive -1 | --keepalive: -1 is outside 0..65535",
        "--topic-prefix a/# | --topic-prefix: topic prefix 'a/#' contains a wildcard",
        "-k a --key-file /nonexistent | -k/--key and --key-file both give the key",
        "--key-file /nonexistent/key | --key-file: /nonexistent/key does not exist",
        "--cafile /etc/hostname | --cafile: the broker tcp://broker.io is not TLS",
        "-i this-name-is-far-too-long | interface name 'this-name-is-far-too-long' is longer than 15 characters",
        "-i .. | -i/--interface: interface name '..' is not allowed",
        "-i a/b | -i/--interface: interface name 'a/b' contains '/'",
    })
    void badInputExitsWithTwoAndNamesTheFlag(String flags, String message) {
        List<String> args = new ArrayList<>(List.of("vpn", "-i", "mq0", "-a", "10.0.1.1", "-b", "tcp://broker.io"));
        args.addAll(List.of(flags.trim().split(" ")));
        CommandRun r = CommandRun.of(args.toArray(new String[0]));
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "-a 0.0.0.0 | -a/--address: '0.0.0.0' is the unspecified address",
        "-a 255.255.255.255 | -a/--address: '255.255.255.255' is the broadcast address",
        "-a 224.0.0.1 | -a/--address: '224.0.0.1' is a multicast address",
        "-a 127.0.0.1 | -a/--address: '127.0.0.1' is a loopback address",
        "-a 240.0.0.1 | -a/--address: '240.0.0.1' is in the reserved range 240.0.0.0/4",
        "-a 10.0.1.255 | -a/--address: '10.0.1.255' is the broadcast address of its subnet (netmask 255.255.255.0)",
        "-a 10.0.1.0 | -a/--address: '10.0.1.0' is the network address of its subnet",
        "-6 :: | -6/--ipv6: '::' is the unspecified address",
        "-6 ff02::1 | -6/--ipv6: 'ff02::1' is a multicast address",
        "-6 ::1 | -6/--ipv6: '::1' is a loopback address",
        "-t 255.255.255.255 | -t/--target: '255.255.255.255' is the broadcast address",
        "-n MQTT_VPN_0123456789abcde | -n/--client-id: client id 'MQTT_VPN_0123456789abcde' is not 1 to 23 letters",
        "-n a/b | -n/--client-id: client id 'a/b' is not 1 to 23",
        "--topic-prefix $SYS/vpn | --topic-prefix: topic prefix '$SYS/vpn' starts with '$'",
        "--topic-prefix vpn/ | --topic-prefix: topic prefix 'vpn/' ends with '/'",
        "--topic-prefix a+b | --topic-prefix: topic prefix 'a+b' contains a wildcard ('+' at position 2)",
    })
    void addressesANodeCannotHaveAndIdsAndPrefixesOtherNodesCannotUseAreRefusedBeforeAnythingStarts(String flags,
            String message) {
        List<String> args = new ArrayList<>(List.of("-i", "mq0", "-a", "10.0.1.1", "-b", "tcp://broker.io"));
        args.addAll(List.of(flags.trim().split(" ")));
        assertThatThrownBy(() -> parse(args.toArray(new String[0])))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining(message);
    }

    @Test
    void aTopicPrefixIsAtMost64PrintableAsciiCharactersAsInTheFirmware() {
        String base = "-i mq0 -a 10.0.1.1 -b tcp://broker.io --topic-prefix ";
        assertThat(parse((base + "p".repeat(64)).split(" ")).topicPrefix()).hasSize(64);
        assertThat(parse((base + "home/vpn-1_x.y").split(" ")).topicPrefix()).isEqualTo("home/vpn-1_x.y");
        assertThatThrownBy(() -> parse((base + "p".repeat(10_000)).split(" ")))
                .hasMessageContaining("--topic-prefix: topic prefix '" + "p".repeat(64) + "...' is 10000 characters long;"
                        + " at most 64 fit the firmware's topic buffers");
        for (String bad : new String[] {"a\u0007b", "a\tb", "a b", "a\u007fb", "caf\u00e9"}) {
            List<String> args = new ArrayList<>(List.of(base.trim().split(" ")));
            args.add(bad);
            assertThatThrownBy(() -> parse(args.toArray(new String[0]))).as(bad.replaceAll("\\p{Cntrl}", "?"))
                    .hasMessageContaining("--topic-prefix: topic prefix").hasMessageContaining("at position")
                    .hasMessageContaining("use printable ASCII");
        }
    }

    @Test
    void aTenThousandCharacterClientIdIsRefusedWithoutEchoingIt() {
        String id = "x".repeat(10_000);
        assertThatThrownBy(() -> parse("-i", "mq0", "-a", "10.0.1.1", "-b", "tcp://broker.io", "-n", id))
                .hasMessageContaining("client id '" + "x".repeat(40) + "... (10000 characters)' is not 1 to 23")
                .hasMessageNotContaining("x".repeat(41));
    }

    @Test
    void aCaFileThatIsNotAPemCertificateExitsWithTwoNamingTheFileBeforeTheInterfaceExists(@TempDir Path dir)
            throws Exception {
        Path notPem = dir.resolve("ca.txt");
        Files.writeString(notPem, "this is not a certificate\n");
        Path empty = dir.resolve("empty.pem");
        Files.writeString(empty, "");
        for (Path ca : new Path[] {notPem, empty}) {
            CommandRun r = CommandRun.of("vpn", "-i", "mqh12ca0", "-a", "10.0.1.1", "-b", "ssl://127.0.0.1:1", "--cafile",
                    ca.toString());
            assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
            assertThat(r.err()).contains("--cafile " + ca).contains("-----BEGIN CERTIFICATE-----");
            assertThat(Shell.run(10, List.of("ip", "link", "show", "mqh12ca0")).exitCode()).as("no interface").isNotZero();
        }
    }

    @Test
    void theUnspecifiedAddressExitsWithTwoBeforeTheInterfaceExists() throws Exception {
        CommandRun r = CommandRun.of("vpn", "-i", "mqh12a0", "-a", "0.0.0.0", "-b", "tcp://127.0.0.1:1");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("-a/--address: '0.0.0.0' is the unspecified address");
        assertThat(r.out() + r.err()).doesNotContain("interface mqh12a0 up");
        assertThat(Shell.run(10, List.of("ip", "link", "show", "mqh12a0")).exitCode()).as("no interface").isNotZero();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-a 10.0.1.1 -b tcp://b | missing -i/--interface",
        "-i mq0 -b tcp://b | missing -a/--address",
        "-i mq0 -a 10.0.1.1 | missing -b/--broker",
        "-i mq0 -a 10.0.1.1 -b tcp://b --bogus | Unknown option: '--bogus'",
        "-i mq0 -a 10.0.1.1 -b tcp://b -x abc | Invalid value for option '--ipv6-prefix'",
    })
    void missingOrUnknownFlagsExitWithTwo(String flags, String message) {
        List<String> args = new ArrayList<>(List.of("vpn"));
        args.addAll(List.of(flags.trim().split(" ")));
        CommandRun r = CommandRun.of(args.toArray(new String[0]));
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains(message).contains("Run 'toolkit vpn --help'");
    }

    @Test
    void helpExplainsEveryOriginalFlag() {
        for (String h : new String[] {"-h", "--help"}) {
            CommandRun r = CommandRun.of("vpn", h);
            assertThat(r.exitCode()).isZero();
            for (String flag : new String[] {"-i", "-a", "-b", "-m", "-u", "-p", "-k", "-6", "-x", "-n", "-t", "-d", "-h",
                "--topic-prefix", "--key-file", "--mtu", "--keepalive", "--cafile", "--insecure"}) {
                assertThat(r.out()).contains(flag);
            }
        }
    }

    @Test
    void withoutCapNetAdminItSaysWhatIsNeededInOneLine() throws Exception {
        // Root, but with CAP_NET_ADMIN removed from the capability bounding set of the child.
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--bounding-set", "-net_admin", "--inh-caps", "-net_admin"));
        cmd.addAll(NetworkLab.javaCommand());
        cmd.addAll(List.of("org.mqttvpn.tools.Main", "vpn", "-i", "mqcap0", "-a", "10.0.1.1", "-b", "tcp://127.0.0.1:1"));
        Shell.Result r = Shell.run(60, cmd);
        assertThat(r.exitCode()).as(r.output()).isEqualTo(3);
        List<String> lines = r.output().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("error: creating TUN interface mqcap0 needs CAP_NET_ADMIN");
    }
}
