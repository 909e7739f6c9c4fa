package org.mqttvpn.tools.vpn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqttvpn.host.VpnConfig;
import org.mqttvpn.host.codec.Key;
import org.mqttvpn.host.mqtt.BrokerOrder;
import org.mqttvpn.tools.CommandRun;
import org.mqttvpn.tools.cli.ExitCode;
import picocli.CommandLine;

/** toolkit vpn --config FILE --host NAME: the host's entry becomes the daemon's settings. */
class VpnFromInventoryTest {
    static final String INVENTORY = """
            network:
              name: lab
              subnet: 10.0.0.0/16
              ipv6_prefix: fd00:3::/80
              broker: mqtt://broker.lab:1884
              broker_user: vpn
              broker_password: file:broker.txt
              topic_prefix: lab/ip
              key: generate
            hosts:
              - name: laptop
                address: 10.0.3.1
                address6: fd00:3::1
                interface: mqlab
                nat_targets: [192.168.50.2]
              - name: server
                address: auto
            """;

    @TempDir
    Path dir;

    Path inventory() throws IOException {
        Files.writeString(dir.resolve("broker.txt"), "broker secret\n");
        Files.writeString(dir.resolve("lab.key"), "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n");
        return Files.writeString(dir.resolve("network.yaml"), INVENTORY);
    }

    static VpnConfig parse(String... args) {
        VpnCommand cmd = new VpnCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd.config();
    }

    @Test
    void everySettingComesFromTheHostsEntry() throws IOException {
        VpnConfig c = parse("--config", inventory().toString(), "--host", "laptop");
        assertThat(c.interfaceName()).isEqualTo("mqlab");
        assertThat(c.address().getHostAddress()).isEqualTo("10.0.3.1");
        assertThat(c.netmask().getHostAddress()).isEqualTo("255.255.0.0");
        assertThat(c.address6().getHostAddress()).isEqualTo("fd00:3:0:0:0:0:0:1");
        assertThat(c.prefixLength6()).as("not -x's default, 64").isEqualTo(80);
        assertThat(c.broker().uri().pahoUri()).isEqualTo("tcp://broker.lab:1884");
        assertThat(c.broker().username()).isEqualTo("vpn");
        assertThat(c.broker().password()).isEqualTo("broker secret");
        assertThat(c.topicPrefix()).isEqualTo("lab/ip");
        assertThat(c.key().copyOfBytes())
                .isEqualTo(Key.fromPassword("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef").copyOfBytes());
        assertThat(c.natTargets()).extracting(a -> a.getHostAddress()).containsExactly("192.168.50.2");
    }

    @Test
    void aHostThatADeviceNamesAsItsGatewayRoutesForOthersAndNoOtherDoes() throws IOException {
        Path inv = inventory();
        assertThat(parse("--config", inv.toString(), "--host", "laptop").routeForOthers()).isFalse();
        Files.writeString(inv, INVENTORY + """
                devices:
                  - name: sensor
                    platform: host-sim
                    address: 10.0.3.20
                    settings: {gateway: 10.0.3.1}
                """);
        assertThat(parse("--config", inv.toString(), "--host", "laptop").routeForOthers()).isTrue();
        Files.writeString(dir.resolve("network.state.yaml"), "addresses:\n  server: 10.0.3.2\n");
        assertThat(parse("--config", inv.toString(), "--host", "server").routeForOthers()).isFalse();
        assertThat(parse("--config", inv.toString(), "--host", "server", "--route-for-others").routeForOthers()).isTrue();
    }

    @Test
    void theBrokerListOrderAndReturnComeFromTheInventoryAndAHostsOwnListWins() throws IOException {
        String inv = INVENTORY.replace("  broker: mqtt://broker.lab:1884\n", """
                  brokers: [tcp://site-a:1883, tcp://site-b:1883]
                  broker_order: random
                  broker_return: 45
                """).replace("  - name: server\n", "  - name: server\n    brokers: [tcp://site-b:1883]\n");
        inventory();
        Files.writeString(dir.resolve("network.yaml"), inv);
        Files.writeString(dir.resolve("network.state.yaml"), "addresses:\n  server: 10.0.3.2\n");
        VpnConfig laptop = parse("--config", dir.resolve("network.yaml").toString(), "--host", "laptop");
        assertThat(laptop.broker().brokers()).extracting(b -> b.pahoUri())
                .containsExactly("tcp://site-a:1883", "tcp://site-b:1883");
        assertThat(laptop.broker().order()).isEqualTo(BrokerOrder.RANDOM);
        assertThat(laptop.broker().returnInterval()).isEqualTo(Duration.ofSeconds(45));
        VpnConfig server = parse("--config", dir.resolve("network.yaml").toString(), "--host", "server");
        assertThat(server.broker().brokers()).extracting(b -> b.pahoUri()).containsExactly("tcp://site-b:1883");
        assertThat(server.broker().returnInterval()).as("one broker: nothing to return to").isNull();
        VpnConfig flags = parse("--config", dir.resolve("network.yaml").toString(), "--host", "laptop",
                "-b", "tcp://other:1883", "--broker-order", "in-order");
        assertThat(flags.broker().brokers()).extracting(b -> b.pahoUri()).containsExactly("tcp://other:1883");
        assertThat(flags.broker().order()).isEqualTo(BrokerOrder.IN_ORDER);
    }

    @Test
    void flagsGivenAsWellWinOverTheInventory() throws IOException {
        VpnConfig c = parse("--config", inventory().toString(), "--host", "laptop", "-a", "10.0.3.9", "-i", "mq7",
                "-k", "other", "--topic-prefix", "x");
        assertThat(c.address().getHostAddress()).isEqualTo("10.0.3.9");
        assertThat(c.interfaceName()).isEqualTo("mq7");
        assertThat(c.key().copyOfBytes()).isEqualTo(Key.fromPassword("other").copyOfBytes());
        assertThat(c.topicPrefix()).isEqualTo("x");
        assertThat(c.netmask().getHostAddress()).isEqualTo("255.255.0.0");
    }

    @Test
    void aKeyFileGivenAsWellWinsOverTheInventorysKey() throws IOException {
        Path inv = inventory();
        Path other = Files.writeString(dir.resolve("other.key"), "another key\n");
        VpnConfig c = parse("--config", inv.toString(), "--host", "laptop", "--key-file", other.toString());
        assertThat(c.key().copyOfBytes()).isEqualTo(Key.fromPassword("another key").copyOfBytes());
    }

    @Test
    void anUnknownHostListsTheKnownOnes() throws IOException {
        CommandRun r = CommandRun.of("vpn", "--config", inventory().toString(), "--host", "lapdog");
        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("--host lapdog: the inventory " + dir.resolve("network.yaml")
                + " has no host 'lapdog'; its hosts are: laptop, server");
    }

    @Test
    void anAutoAddressNotGivenOutYetAsksForGenFirst() throws IOException {
        CommandRun r = CommandRun.of("vpn", "--config", inventory().toString(), "--host", "server");
        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("host 'server' has an auto address that has not been given out yet: run toolkit gen");
        Files.writeString(dir.resolve("network.state.yaml"), "addresses:\n  server: 10.0.3.2\n");
        assertThat(parse("--config", dir.resolve("network.yaml").toString(), "--host", "server").address().getHostAddress())
                .isEqualTo("10.0.3.2");
    }

    @Test
    void configAndHostNeedEachOtherAndReplaceTheMandatoryFlags() throws IOException {
        Path inv = inventory();
        CommandRun noHost = CommandRun.of("vpn", "--config", inv.toString());
        assertThat(noHost.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(noHost.err()).contains("--config needs --host NAME");
        CommandRun noConfig = CommandRun.of("vpn", "--host", "laptop");
        assertThat(noConfig.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(noConfig.err()).contains("--host laptop needs --config FILE");
        CommandRun neither = CommandRun.of("vpn");
        assertThat(neither.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(neither.err()).contains("missing -i/--interface");
    }

    @Test
    void problemsOfTheInventoryAreAllShownWithPositions() throws IOException {
        Path inv = inventory();
        Files.writeString(inv, INVENTORY.replace("file:broker.txt", "file:missing.txt").replace("interface: mqlab", "interface: a/b"));
        CommandRun r = CommandRun.of("vpn", "--config", inv.toString(), "--host", "laptop");
        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("has 2 problems").contains(inv + ":7:20: broker_password: " + dir.resolve("missing.txt") + " does not exist")
                .contains(inv + ":14:16: interface name 'a/b' is not a Linux interface name");
    }
}
