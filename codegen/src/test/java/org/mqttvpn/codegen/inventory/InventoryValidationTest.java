package org.mqttvpn.codegen.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every check of the inventory: the message, the fix, and the exact line:column it points at
 * (found as the position of a marker text in the YAML, so the expectation reads as "here").
 */
class InventoryValidationTest {
    @TempDir
    Path dir;

    private final Map<String, String> env = new HashMap<>(Map.of("WIFI_PASSWORD", "wifi password", "MQTT_PASSWORD", "pw"));

    static final String NETWORK = """
            network:
              name: home
              subnet: 10.0.1.0/24
              broker: mqtt://broker.local
              key: none
            """;

    private List<Problem> problems(String yaml) throws IOException {
        return problems(yaml.getBytes(StandardCharsets.UTF_8));
    }

    private List<Problem> problems(byte[] yaml) throws IOException {
        Path file = dir.resolve("network.yaml");
        Files.write(file, yaml);
        try {
            InventoryLoader.load(file, env, InventoryLoader.MissingKey.PROBLEM);
        } catch (InventoryException e) {
            return e.problems();
        }
        throw new AssertionError("the inventory was accepted:\n" + new String(yaml, StandardCharsets.UTF_8));
    }

    /** Asserts that exactly one problem is reported, at the first occurrence of marker (or the nth). */
    private Problem only(String yaml, String marker, String what) throws IOException {
        List<Problem> p = problems(yaml);
        assertThat(p).as("problems of\n%s", yaml).hasSize(1);
        expect(p.get(0), yaml, marker, 1, what);
        return p.get(0);
    }

    private static void expect(Problem p, String yaml, String marker, int occurrence, String what) {
        int index = -1;
        for (int i = 0; i < occurrence; i++) {
            index = yaml.indexOf(marker, index + 1);
        }
        assertThat(index).as("marker %s", marker).isGreaterThanOrEqualTo(0);
        String before = yaml.substring(0, index);
        int line = (int) before.chars().filter(c -> c == '\n').count() + 1;
        int column = index - before.lastIndexOf('\n');
        assertThat(p.where().line() + ":" + p.where().column()).as(p.toString()).isEqualTo(line + ":" + column);
        assertThat(p.toString()).startsWith(p.where().file() + ":" + line + ":" + column + ": ");
        assertThat(p.what()).contains(what);
        assertThat(p.fix()).as("a fix is given").isNotBlank();
    }

    /** NETWORK with one device, sim-1, of the platform, and the extra lines of its entry. */
    private static String device(String platform, String extra) {
        return NETWORK + "devices:\n  - name: sim-1\n    platform: " + platform + "\n    address: auto\n" + extra;
    }

    private static String sim(String extra) {
        return device("host-sim", extra);
    }

    @Test
    void aValidInventoryLoads() throws IOException {
        Path file = dir.resolve("network.yaml");
        Files.writeString(file, sim(""));
        Inventory inv = InventoryLoader.load(file, env, InventoryLoader.MissingKey.PROBLEM);
        assertThat(inv.devices()).hasSize(1);
        assertThat(inv.network().topicPrefix().value()).isEqualTo("mqttip");
    }

    @Test
    void aMisspelledKeyIsNamedWithTheKeyItWasProbablyMeantToBe() throws IOException {
        String yaml = sim("    boad: esp8266:esp8266:nodemcuv2\n");
        Problem p = only(yaml, "boad", "unknown key 'boad' in device 'sim-1'");
        assertThat(p.fix()).isEqualTo("did you mean 'board'?");
    }

    @Test
    void anUnknownKeyWithoutACloseOneListsTheKnownKeys() throws IOException {
        Problem p = only(sim("    colour: red\n"), "colour", "unknown key 'colour'");
        assertThat(p.fix()).startsWith("the keys of device 'sim-1' are: name, platform, board");
    }

    @Test
    void aMissingRequiredKeyPointsAtItsSection() throws IOException {
        String yaml = NETWORK.replace("  subnet: 10.0.1.0/24\n", "");
        Problem p = only(yaml, "name: home", "network has no 'subnet'");
        assertThat(p.fix()).contains("subnet: 10.0.1.0/24");
    }

    @Test
    void aMissingKeyOfADeviceNamesTheDevice() throws IOException {
        String yaml = NETWORK + "devices:\n  - name: sim-1\n    address: auto\n";
        only(yaml, "name: sim-1", "device 'sim-1' has no 'platform'");
    }

    @Test
    void aListWhereAMappingBelongsIsAWrongType() throws IOException {
        only(device("esp8266-arduino", "    wifi: [MyWifi]\n"), "[MyWifi]",
                "'wifi' of device 'sim-1' must be a mapping, not a list");
    }

    @Test
    void aSingleValueWhereAListBelongsIsAWrongType() throws IOException {
        only(NETWORK + "hosts: laptop\n", "laptop", "'hosts' of the inventory must be a list, not a single value");
    }

    @Test
    void aWordWhereANumberBelongsIsAWrongType() throws IOException {
        String yaml = device("esp8266-arduino", "")
                + "    wifi: {ssid: W, password: env:WIFI_PASSWORD}\n    app: webserver\n    settings: {http_port: eighty}\n";
        only(yaml, "eighty", "'http_port' of the settings of device 'sim-1' must be a whole number 1..65535");
    }

    @Test
    void aKeyWrittenTwiceIsReportedAtTheSecond() throws IOException {
        String yaml = sim("    address: 10.0.1.5\n");
        expect(only(yaml, "address: 10.0.1.5", "'address' appears twice in device 'sim-1' (first at line 9)"),
                yaml, "address: 10.0.1.5", 1, "appears twice");
    }

    @Test
    void twoNodesWithOneNameAreRefusedAcrossHostsAndDevices() throws IOException {
        String yaml = NETWORK + "hosts:\n  - name: sim-1\n    address: auto\n"
                + "devices:\n  - name: sim-1\n    platform: host-sim\n    address: auto\n";
        Problem p = problems(yaml).get(0);
        expect(p, yaml, "sim-1", 2, "name 'sim-1' is already used by host 'sim-1' (line 7)");
    }

    @Test
    void twoNodesWithOneAddressAreRefusedAcrossHostsAndDevices() throws IOException {
        String yaml = NETWORK + "hosts:\n  - name: laptop\n    address: 10.0.1.7\n"
                + "devices:\n  - name: sim-1\n    platform: host-sim\n    address: 10.0.1.7\n";
        expect(problems(yaml).get(0), yaml, "10.0.1.7", 2, "address 10.0.1.7 is already given to host 'laptop'");
    }

    @Test
    void anAddressOutsideTheSubnetIsRefused() throws IOException {
        String yaml = sim("").replace("address: auto", "address: 10.0.2.1");
        only(yaml, "10.0.2.1", "address 10.0.2.1 of device 'sim-1' is outside the subnet 10.0.1.0/24");
    }

    @Test
    void theNetworkAndBroadcastAddressesAreRefused() throws IOException {
        only(sim("").replace("address: auto", "address: 10.0.1.0"), "10.0.1.0\n", "is the network address of 10.0.1.0/24");
        Problem p = only(sim("").replace("address: auto", "address: 10.0.1.255"), "10.0.1.255",
                "is the broadcast address");
        assertThat(p.fix()).contains("10.0.1.1 to 10.0.1.254");
    }

    @Test
    void aNatTargetInsideTheVpnSubnetIsRefused() throws IOException {
        only(sim("    nat_targets: [192.168.4.2, 10.0.1.9]\n"), "10.0.1.9",
                "NAT target 10.0.1.9 of device 'sim-1' is inside the VPN subnet 10.0.1.0/24");
    }

    @Test
    void aNatTargetListedForTwoNodesIsRefused() throws IOException {
        String yaml = NETWORK + "hosts:\n  - name: laptop\n    address: auto\n    nat_targets: [192.168.4.2]\n"
                + "devices:\n  - name: sim-1\n    platform: host-sim\n    address: auto\n    nat_targets: [192.168.4.2]\n";
        expect(problems(yaml).get(0), yaml, "192.168.4.2", 2, "is listed for device 'sim-1' and host 'laptop'");
    }

    @Test
    void aMissingEnvironmentVariableBehindAReferenceIsNamed() throws IOException {
        String yaml = NETWORK.replace("key: none", "key: env:VPN_KEY");
        Problem p = only(yaml, "env:VPN_KEY", "key: environment variable VPN_KEY is not set");
        assertThat(p.fix()).contains("export VPN_KEY=");
    }

    @Test
    void aMissingFileBehindAReferenceIsNamedWithItsFullPath() throws IOException {
        String yaml = NETWORK.replace("broker: mqtt://broker.local", "broker: mqtt://broker.local\n  broker_password: file:secrets/broker.txt");
        only(yaml, "file:secrets", "broker_password: " + dir.resolve("secrets/broker.txt") + " does not exist");
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // blocking or reading forever fails here
    void aSecretFileThatCouldBlockOrNeverEndIsRefusedAtOnceWhereItIsReferred() throws Exception {
        Path fifo = dir.resolve("broker.fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mkfifo.exitValue()).isZero();
        Files.createDirectory(dir.resolve("wifi"));
        Files.write(dir.resolve("big.txt"), new byte[100_000]);
        Files.writeString(dir.resolve("long.txt"), "a".repeat(2000) + "\n");

        Problem p = only(NETWORK.replace("key: none", "key: file:/dev/zero"), "file:/dev/zero",
                "key: /dev/zero is not a regular file (a pipe, a socket or a device)");
        assertThat(p.fix()).contains("regular files only");
        only(NETWORK.replace("key: none", "key: file:/dev/urandom"), "file:/dev/urandom",
                "key: /dev/urandom is not a regular file");
        only(NETWORK + "  broker_password: file:broker.fifo\n", "file:broker.fifo",
                "broker_password: " + fifo + " is not a regular file");
        only(device("esp8266-arduino", "    wifi: {ssid: W, password: file:wifi}\n"), "file:wifi",
                "password: " + dir.resolve("wifi") + " is a directory");
        only(NETWORK + "  ota_password: file:big.txt\n", "file:big.txt",
                "ota_password: " + dir.resolve("big.txt") + " is longer than 4096 bytes");
        only(device("esp8266-arduino", "    wifi: {ssid: W}\n    app: nat\n"
                        + "    settings: {ap_password: file:long.txt, ap_ssid: ap}\n"), "file:long.txt",
                "ap_password: the first line of " + dir.resolve("long.txt") + " is longer than 1024 bytes (2000)");
    }

    @Test
    void aKeyFromTheEnvironmentHasTheLimitsOfAKeyFile() throws IOException {
        env.put("VPN_KEY", "a".repeat(2000));
        String yaml = NETWORK.replace("key: none", "key: env:VPN_KEY");
        only(yaml, "env:VPN_KEY", "key: environment variable VPN_KEY is longer than 1024 bytes (2000)");
        env.put("VPN_KEY", "first line\nsecond line");
        only(yaml, "env:VPN_KEY", "key: environment variable VPN_KEY holds a line break (byte 11)");
    }

    @Test
    void aSecretWrittenAsItselfIsRefusedWithHowToReferToIt() throws IOException {
        String yaml = NETWORK.replace("broker: mqtt://broker.local", "broker: mqtt://broker.local\n  broker_password: hunter2");
        Problem p = only(yaml, "hunter2", "'broker_password' must be a reference, not the broker password itself");
        assertThat(p.fix()).contains("env:NAME").contains("file:PATH");
        assertThat(p.toString()).doesNotContain("hunter2");
    }

    @Test
    void aKeyWrittenAsItselfIsRefused() throws IOException {
        Problem p = only(NETWORK.replace("key: none", "key: correct horse"), "correct horse",
                "the network key must be a reference, not the key itself");
        assertThat(p.fix()).contains("generate").contains("none");
    }

    @Test
    void aWifiPasswordWrittenAsItselfIsRefused() throws IOException {
        String yaml = device("esp8266-arduino", "    wifi: {ssid: W, password: letmein99}\n");
        only(yaml, "letmein99", "'password' must be a reference, not the Wi-Fi password itself");
    }

    @Test
    void aMissingNetworkKeyIsRequiredExplicitly() throws IOException {
        Problem p = only(NETWORK.replace("  key: none\n", ""), "name: home", "network has no 'key'");
        assertThat(p.fix()).contains("none");
    }

    @Test
    void aMalformedBoardNameIsRefused() throws IOException {
        String yaml = device("esp8266-arduino", "    board: nodemcu v2\n    wifi: {ssid: W}\n");
        only(yaml, "nodemcu v2", "'nodemcu v2' is not vendor:arch:board[:option=value,...]");
    }

    @Test
    void aBoardOfAnotherArduinoCoreIsRefusedByName() throws IOException {
        String yaml = device("esp8266-arduino", "    board: esp32:esp32:esp32\n    wifi: {ssid: W}\n");
        Problem p = only(yaml, "esp32:esp32:esp32", "board esp32:esp32:esp32 is not a board of the ESP8266 Arduino core");
        assertThat(p.fix()).contains("esp8266:esp8266:");
    }

    @Test
    void anAccessPointNameLongerThanWifiAllowsIsRefusedWithItsLength() throws IOException {
        String yaml = device("esp8266-arduino", "    wifi: {ssid: W}\n    app: nat\n"
                + "    settings: {ap_password: env:WIFI_PASSWORD, ap_ssid: an-access-point-name-of-33-bytes-}\n");
        Problem p = only(yaml, "an-access-point", "ap_ssid is 33 bytes long; Wi-Fi allows 32");
        assertThat(p.fix()).isEqualTo("shorten it");
    }

    @Test
    void aBoardOptionWithoutValueIsRefused() throws IOException {
        String yaml = device("esp8266-arduino", "    board: esp8266:esp8266:d1_mini:xtal\n    wifi: {ssid: W}\n");
        only(yaml, "esp8266:esp8266:d1_mini:xtal", "board option 'xtal' is not option=value");
    }

    @Test
    void anUnknownIdfTargetIsRefusedWithTheClosestOne() throws IOException {
        String yaml = device("esp32-idf", "    target: esp32c33\n    wifi: {ssid: W}\n");
        Problem p = only(yaml, "esp32c33", "unknown ESP-IDF target 'esp32c33'");
        assertThat(p.fix()).startsWith("did you mean 'esp32c3'?");
    }

    @Test
    void anUnknownPlatformIsRefusedWithTheClosestOne() throws IOException {
        Problem p = only(device("esp8266-arduion", ""), "esp8266-arduion", "unknown platform 'esp8266-arduion'");
        assertThat(p.fix()).startsWith("did you mean 'esp8266-arduino'?");
    }

    @Test
    void anUnknownAppIsRefused() throws IOException {
        String yaml = device("esp32-idf", "    wifi: {ssid: W}\n    app: webserve\n");
        only(yaml, "webserve\n", "unknown app 'webserve'");
    }

    @Test
    void aWebSocketBrokerIsRefused() throws IOException {
        Problem p = only(NETWORK.replace("mqtt://broker.local", "ws://broker.local:9001"), "ws://",
                "scheme 'ws' is not supported");
        assertThat(p.fix()).contains("tcp://").contains("mqtts://");
    }

    @Test
    void aTlsBrokerIsRefusedForPlatformsWithoutTls() throws IOException {
        String esp8266 = device("esp8266-arduino", "    wifi: {ssid: W}\n").replace("mqtt://broker.local", "mqtts://broker.local");
        Problem p = only(esp8266, "esp8266-arduino", "device 'sim-1' (esp8266-arduino) cannot reach the TLS broker");
        assertThat(p.fix()).contains("esp32-idf");
        only(sim("").replace("mqtt://broker.local", "ssl://broker.local"), "host-sim\n", "cannot reach the TLS broker");
        String esp32 = device("esp32-idf", "    wifi: {ssid: W}\n").replace("mqtt://broker.local", "mqtts://broker.local");
        Path file = dir.resolve("tls.yaml");
        Files.writeString(file, esp32);
        assertThat(InventoryLoader.load(file, env, InventoryLoader.MissingKey.PROBLEM).devices()).hasSize(1);
    }

    static final String TWO_BROKERS = NETWORK.replace("  broker: mqtt://broker.local\n", """
              brokers:
                - tcp://site-a.example:1883
                - tcp://site-b.example:1883
              broker_order: in-order
              broker_return: 60
            """);

    private Inventory load(String yaml) throws IOException {
        Path file = dir.resolve("ok.yaml");
        Files.writeString(file, yaml);
        return InventoryLoader.load(file, env, InventoryLoader.MissingKey.PROBLEM);
    }

    @Test
    void aBrokerListIsReadInItsOrderWithOrderAndReturn() throws IOException {
        Inventory inv = load(TWO_BROKERS + "devices:\n  - name: sim-1\n    platform: host-sim\n    address: auto\n");
        assertThat(inv.network().brokers()).extracting(b -> b.value().pahoUri())
                .containsExactly("tcp://site-a.example:1883", "tcp://site-b.example:1883");
        assertThat(inv.network().broker().value().host()).as("the home broker").isEqualTo("site-a.example");
        assertThat(inv.network().order()).isEqualTo(org.mqttvpn.host.mqtt.BrokerOrder.IN_ORDER);
        assertThat(inv.network().brokerReturn().value()).isEqualTo(60);
        assertThat(inv.brokersOf(inv.devices().get(0))).isEqualTo(inv.network().brokers());
    }

    @Test
    void oneBrokerIsAListOfOne() throws IOException {
        Inventory inv = load(sim(""));
        assertThat(inv.network().brokers()).extracting(b -> b.value().host()).containsExactly("broker.local");
        assertThat(inv.network().order()).isEqualTo(org.mqttvpn.host.mqtt.BrokerOrder.IN_ORDER);
        assertThat(inv.network().brokerReturn()).isNull();
    }

    @Test
    void aDeviceOnAnotherSiteListsItsOwnBrokersHomeFirst() throws IOException {
        Inventory inv = load(TWO_BROKERS + """
                devices:
                  - name: sim-1
                    platform: host-sim
                    address: auto
                    brokers: [tcp://site-b.example:1883, tcp://site-a.example:1883]
                hosts:
                  - name: laptop
                    address: auto
                """);
        assertThat(inv.brokersOf(inv.devices().get(0))).extracting(b -> b.value().host())
                .containsExactly("site-b.example", "site-a.example");
        assertThat(inv.brokersOf(inv.hosts().get(0))).extracting(b -> b.value().host())
                .containsExactly("site-a.example", "site-b.example");
    }

    @Test
    void aBridgeNeedsASecondBroker() throws IOException {
        Problem p = only(sim("").replace("  broker: mqtt://broker.local\n", "  broker: mqtt://broker.local\n  bridge: per-address\n"),
                "per-address", "the network has one broker");
        assertThat(p.fix()).contains("brokers:");
    }

    @Test
    void aBridgeOfTlsBrokersIsRefused() throws IOException {
        String yaml = TWO_BROKERS.replace("tcp://site-b.example:1883", "ssl://site-b.example:8883")
                .replace("broker_order: in-order", "bridge: mirror") + "hosts:\n  - name: laptop\n    address: auto\n";
        Problem p = only(yaml, "mirror", "ssl://site-b.example:8883 is a TLS broker");
        assertThat(p.fix()).contains("bridge_cafile");
    }

    @Test
    void anUnknownBridgeModeNamesTheKnownOnes() throws IOException {
        only(TWO_BROKERS.replace("broker_order: in-order", "bridge: both") + "hosts:\n  - name: laptop\n    address: auto\n",
                "both", "unknown bridge mode 'both'");
    }

    @Test
    void brokerAndBrokersTogetherAreRefused() throws IOException {
        Problem p = only(TWO_BROKERS + "  broker: mqtt://broker.local\n", "- tcp://site-a", "both 'broker' and 'brokers'");
        assertThat(p.fix()).contains("keep one");
    }

    @Test
    void anEmptyBrokerListIsRefused() throws IOException {
        String yaml = NETWORK.replace("broker: mqtt://broker.local", "brokers: []");
        only(yaml, "[]", "'brokers' of network is empty");
        only(sim("    brokers: []\n"), "[]", "'brokers' of device 'sim-1' is empty");
    }

    @Test
    void aNetworkWithoutBrokerNamesBothWaysToGiveOne() throws IOException {
        Problem p = only(NETWORK.replace("  broker: mqtt://broker.local\n", ""), "name: home", "has no 'broker'");
        assertThat(p.fix()).contains("brokers:");
    }

    @Test
    void eachBrokerOfAListFollowsTheBrokerRules() throws IOException {
        only(TWO_BROKERS.replace("tcp://site-b.example:1883", "ws://site-b.example:9001"), "ws://",
                "scheme 'ws' is not supported");
        only(TWO_BROKERS.replace("tcp://site-b.example:1883", "tcp://site-a.example:1883"),
                "tcp://site-a.example:1883\n  broker_order", "listed twice");
        only(TWO_BROKERS.replace("- tcp://site-b.example:1883", "- {host: b}"), "{host", "a broker of network is a mapping");
    }

    @Test
    void anUnknownBrokerOrderNamesTheKnownOnes() throws IOException {
        Problem p = only(TWO_BROKERS.replace("broker_order: in-order", "broker_order: inorder"), "inorder",
                "unknown broker order 'inorder'");
        assertThat(p.fix()).contains("in-order").contains("random");
    }

    @Test
    void aBrokerReturnOutsideItsRangeOrWithoutASecondBrokerIsRefused() throws IOException {
        only(TWO_BROKERS.replace("broker_return: 60", "broker_return: 0"), "0\n", "1..86400");
        only(NETWORK + "  broker_return: 60\n", "60", "no broker to return from");
        load(NETWORK + "  broker_return: 60\n" + "devices:\n  - name: sim-1\n    platform: host-sim\n    address: auto\n"
                + "    brokers: [tcp://a:1883, tcp://b:1883]\n");
    }

    @Test
    void aTlsBrokerInAListIsRefusedForPlatformsWithoutTls() throws IOException {
        String network = TWO_BROKERS.replace("tcp://site-b.example:1883", "ssl://site-b.example:8883");
        only(network + "devices:\n  - name: sim-1\n    platform: host-sim\n    address: auto\n", "host-sim\n",
                "cannot reach the TLS broker ssl://site-b.example:8883 (of the network's brokers)");
        Problem own = only(sim("    brokers: [tcp://a:1883, mqtts://b]\n"), "mqtts://b",
                "device 'sim-1' (host-sim) cannot reach the TLS broker ssl://b:8883");
        assertThat(own.fix()).contains("this device");
        // its own plain list makes the network's TLS broker no matter
        load(network + "devices:\n  - name: sim-1\n    platform: host-sim\n    address: auto\n"
                + "    brokers: [tcp://site-a.example:1883]\n");
    }

    @Test
    void aDeviceTakesAtMostTheBrokersItsFirmwareHolds() throws IOException {
        only(sim("    brokers: [tcp://a, tcp://b, tcp://c, tcp://d, tcp://e]\n"), "tcp://e", "at most 4");
    }

    @Test
    void aTopicPrefixWithAWildcardIsRefused() throws IOException {
        only(NETWORK + "  topic_prefix: vpn/#\n", "vpn/#", "contains a wildcard");
    }

    @Test
    void aTopicPrefixFollowsTheRuleOfVpnAndTheFirmware() throws IOException {
        only(NETWORK + "  topic_prefix: $SYS/vpn\n", "$SYS/vpn", "starts with '$'");
        only(NETWORK + "  topic_prefix: " + "p".repeat(65) + "\n", "p".repeat(65),
                "is 65 characters long; at most 64 fit the firmware's topic buffers");
        // a control character is refused by the rule of every inventory value before the prefix rule
        only(NETWORK + "  topic_prefix: \"vpn\\a1\"\n", "\"vpn", "holds a control character (U+0007");
        only(NETWORK + "  topic_prefix: home vpn\n", "home vpn", "contains a space at position 5");
        Path file = dir.resolve("prefix.yaml");
        Files.writeString(file, NETWORK + "  topic_prefix: " + "p".repeat(64) + "\n");
        assertThat(InventoryLoader.load(file, env, InventoryLoader.MissingKey.PROBLEM).network().topicPrefix().value())
                .hasSize(64);
    }

    @Test
    void aNameUnfitForDirectoriesAndCIdentifiersIsRefused() throws IOException {
        Problem p = only(sim("").replace("name: sim-1", "name: Sim_1"), "Sim_1",
                "device name 'Sim_1' cannot be used in file names and C identifiers");
        assertThat(p.fix()).contains("lower-case letters, digits and '-'");
    }

    @Test
    void aSubnetWithHostBitsSaysWhichSubnetWasMeant() throws IOException {
        only(NETWORK.replace("10.0.1.0/24", "10.0.1.5/24"), "10.0.1.5/24", "has host bits set: the subnet is 10.0.1.0/24");
    }

    @Test
    void anIpv6AddressNeedsTheNetworksIpv6Prefix() throws IOException {
        String yaml = sim("    address6: auto\n");
        List<Problem> p = problems(yaml);
        assertThat(p).hasSize(1);
        expect(p.get(0), yaml, "auto\n", 2, "device 'sim-1' has an IPv6 address but the network has no ipv6_prefix");
    }

    @Test
    void firmwareWithoutIpv6InItsApiRefusesAnIpv6Address() throws IOException {
        String yaml = device("esp32-idf", "    wifi: {ssid: W}\n    address6: fd00:1::5\n")
                .replace("subnet: 10.0.1.0/24", "subnet: 10.0.1.0/24\n  ipv6_prefix: fd00:1::/64");
        only(yaml, "fd00:1::5", "the esp32-idf firmware API has no IPv6 address");
    }

    @Test
    void aSettingForAnotherAppIsRefused() throws IOException {
        String yaml = device("esp32-idf", "    wifi: {ssid: W}\n    app: telnet\n    settings: {http_port: 8080}\n");
        only(yaml, "http_port", "setting 'http_port' applies to app webserver, not to device 'sim-1' (esp32-idf) with app telnet");
    }

    @Test
    void theNatAppNeedsAnAccessPointPassword() throws IOException {
        String yaml = device("esp8266-arduino", "    wifi: {ssid: W}\n    app: nat\n");
        Problem p = only(yaml, "nat\n", "app nat opens a Wi-Fi access point and needs its password");
        assertThat(p.fix()).contains("ap_password: env:");
    }

    @Test
    void wifiIsRequiredForFirmwareAndRefusedForTheVirtualDevice() throws IOException {
        only(device("esp32-idf", ""), "name: sim-1", "device 'sim-1' (esp32-idf) has no 'wifi'");
        only(sim("    wifi: {ssid: W}\n"), "{ssid", "'wifi' does not apply to device 'sim-1' (host-sim)");
    }

    @Test
    void aShortWifiPasswordIsReportedWithoutShowingIt() throws IOException {
        env.put("WIFI_PASSWORD", "short");
        String yaml = device("esp8266-arduino", "    wifi: {ssid: W, password: env:WIFI_PASSWORD}\n");
        Problem p = only(yaml, "env:WIFI_PASSWORD", "is 5 characters long; WPA2 needs 8 to 63");
        assertThat(p.toString()).doesNotContain("short");
    }

    @Test
    void aYamlSyntaxErrorPointsAtTheBrokenLine() throws IOException {
        String yaml = NETWORK + "devices:\n  - name: [sim-1\n";
        List<Problem> p = problems(yaml);
        assertThat(p).hasSize(1);
        assertThat(p.get(0).what()).startsWith("not valid YAML");
        assertThat(p.get(0).where().line()).isEqualTo(8);
    }

    @Test
    void listsNestedDeeperThanTheLimitAreRefusedWhereTheyGoTooDeep() throws IOException {
        // 2000 unclosed '[' once ended in a StackOverflowError of the YAML composer
        String yaml = NETWORK + "devices: " + "[".repeat(2000) + "\n";
        List<Problem> p = problems(yaml);
        assertThat(p).hasSize(1);
        assertThat(p.get(0).what()).isEqualTo("lists and mappings are nested more than 50 levels deep here"
                + " (an inventory needs 4)");
        // the root mapping is level 1, devices' first '[' level 2: the 50th '[' is level 51
        assertThat(p.get(0).where().line()).isEqualTo(6);
        assertThat(p.get(0).where().column()).isEqualTo("devices: ".length() + 50);
        assertThat(p.get(0).fix()).contains("'[' or '{' that are never closed");
    }

    @Test
    void nestingUpToTheLimitIsOnlyAMatterOfTypes() throws IOException {
        String yaml = NETWORK + "devices: " + "[".repeat(49) + "]".repeat(49) + "\n";
        // 50 levels: the root, devices' list, and its first entry, a list: refused for its type only
        only(yaml, "[".repeat(48) + "]", "a device entry is a list, not a mapping");
    }

    @Test
    void deeplyNestedBlockMappingsAreRefusedToo() throws IOException {
        StringBuilder yaml = new StringBuilder(NETWORK).append("hosts:\n");
        for (int i = 0; i < 60; i++) {
            yaml.append("  ".repeat(i + 1)).append("k").append(i).append(":\n");
        }
        List<Problem> p = problems(yaml.toString());
        assertThat(p).hasSize(1);
        assertThat(p.get(0).what()).startsWith("lists and mappings are nested more than 50 levels deep here");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void anInventoryThatCouldBlockOrNeverEndIsRefusedAtOnce() throws Exception {
        Path fifo = dir.resolve("fifo.yaml");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        Path big = dir.resolve("big.yaml");
        Files.write(big, new byte[YamlBytes.MAX_BYTES + 1]);
        Map<Path, String> cases = Map.of(Path.of("/dev/zero"), "not a regular file", fifo, "not a regular file",
                dir, "a directory", big, "larger than 3 MB");
        for (Map.Entry<Path, String> c : cases.entrySet()) {
            assertThatThrownBy(() -> InventoryLoader.load(c.getKey(), env, InventoryLoader.MissingKey.PROBLEM))
                    .as(c.getKey().toString()).isInstanceOf(InventoryException.class)
                    .hasMessageContaining(c.getKey() + ":1:1: cannot read the inventory (").hasMessageContaining(c.getValue());
        }
    }

    @Test
    void aTagTheYamlLibraryRefusesWithoutAMarkIsAProblemNearItsPlace() throws IOException {
        // found by InventoryLoaderFuzzTest: "%12" in a tag decodes to a control character, and
        // snakeyaml-engine throws an IllegalArgumentException that carries no position
        List<Problem> p = problems("network:\n  name: !!str%12 home\n");
        assertThat(p).hasSize(1);
        assertThat(p.get(0).where().line()).isEqualTo(2);
        assertThat(p.get(0).what()).startsWith("not valid YAML after this point: ");
        assertThat(p.get(0).fix()).contains("tag");
    }

    @Test
    void aUtf16InventoryIsNamedByItsByteOrderMark() throws IOException {
        Problem p = only(withMark(new byte[] {(byte) 0xFF, (byte) 0xFE}, NETWORK.getBytes(StandardCharsets.UTF_16LE)));
        assertThat(p.toString()).isEqualTo(dir.resolve("network.yaml") + ":1:1: not UTF-8 (looks like UTF-16 LE,"
                + " from its byte order mark); save it as UTF-8");
        assertThat(problems(NETWORK.getBytes(StandardCharsets.UTF_16)).get(0).what())
                .isEqualTo("not UTF-8 (looks like UTF-16 BE, from its byte order mark)");
        assertThat(problems(withMark(new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0},
                NETWORK.getBytes(Charset.forName("UTF-32LE")))).get(0).what())
                .isEqualTo("not UTF-8 (looks like UTF-32 LE, from its byte order mark)");
        assertThat(problems(NETWORK.getBytes(StandardCharsets.UTF_16LE)).get(0).what())
                .isEqualTo("not UTF-8 (looks like UTF-16 LE without a byte order mark: every other byte is zero)");
    }

    private Problem only(byte[] yaml) throws IOException {
        List<Problem> p = problems(yaml);
        assertThat(p).hasSize(1);
        return p.get(0);
    }

    private static byte[] withMark(byte[] mark, byte[] text) {
        byte[] all = new byte[mark.length + text.length];
        System.arraycopy(mark, 0, all, 0, mark.length);
        System.arraycopy(text, 0, all, mark.length, text.length);
        return all;
    }

    @Test
    void aLatin1ByteIsNamedWithItsLineAndColumn() throws IOException {
        String yaml = device("esp8266-arduino", "    wifi: {ssid: Caf\u00e9}\n");
        Problem p = problems(yaml.getBytes(StandardCharsets.ISO_8859_1)).get(0);
        int line = (int) yaml.lines().takeWhile(l -> !l.contains("Caf")).count() + 1;
        assertThat(p.toString()).isEqualTo(dir.resolve("network.yaml") + ":" + line + ":"
                + ("    wifi: {ssid: Caf".length() + 1) + ": byte 0xE9 is not UTF-8 (Latin-1?); save the file as UTF-8");
    }

    @Test
    void aUtf8ByteOrderMarkIsDroppedAndPositionsStayAsEditorsCountThem() throws IOException {
        String yaml = NETWORK.replace("name: home", "name: Home");
        List<Problem> p = problems(withMark(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                yaml.getBytes(StandardCharsets.UTF_8)));
        expect(p.get(0), yaml, "Home", 1, "network name 'Home'");
    }

    @Test
    void aControlCharacterInAnSsidIsRefusedWithTheField() throws IOException {
        String nat = device("esp8266-arduino", "    wifi: {ssid: W}\n    app: nat\n"
                + "    settings: {ap_password: env:WIFI_PASSWORD, ap_ssid: \"a\\0b\"}\n");
        Problem p = only(nat, "\"a\\0b\"", "'ap_ssid' of the settings of device 'sim-1' holds a control character"
                + " (U+0000 NUL, character 2)");
        assertThat(p.fix()).contains("C strings");
        only(device("esp8266-arduino", "    wifi: {ssid: \"My\\tWifi\"}\n"), "\"My",
                "'ssid' of the wifi of device 'sim-1' holds a control character (U+0009 tab, character 3)");
    }

    @Test
    void aControlCharacterInANameOrPathIsRefusedWithTheField() throws IOException {
        only(NETWORK.replace("name: home", "name: \"ho\\x1bme\""), "\"ho",
                "'name' of network holds a control character (U+001B escape, character 3)");
        // a terminal's escape sequence in a name reaches no message as it is
        Problem p = only(NETWORK + "devices:\n  - name: \"se\\x1b[31mnsor\"\n    platform: host-sim\n    address: auto\n",
                "\"se", "'name' of device 'se?[31mnsor' holds a control character (U+001B escape, character 3)");
        assertThat(p.toString()).doesNotContain("\u001b");
        only(NETWORK + "hosts:\n  - name: laptop\n    address: auto\n    toolkit_path: \"/opt/tool\\nkit\"\n",
                "\"/opt", "'toolkit_path' of host 'laptop' holds a control character (U+000A line feed, character 10)");
        only(NETWORK.replace("broker: mqtt://broker.local", "broker: mqtt://broker.local\n  broker_user: \"v\\0pn\""),
                "\"v", "'broker_user' of network holds a control character (U+0000 NUL, character 2)");
    }

    @Test
    void aControlCharacterBehindASecretReferenceIsRefusedWithoutShowingTheSecret() throws IOException {
        env.put("WIFI_PASSWORD", "hunter\u0000password");
        Problem p = only(device("esp8266-arduino", "    wifi: {ssid: W, password: env:WIFI_PASSWORD}\n"),
                // a NUL is refused by the rule of every secret (SecretFile.checkValue) before the C-literal check
                "env:WIFI_PASSWORD", "password: environment variable WIFI_PASSWORD holds a NUL byte (byte 7)");
        assertThat(p.toString()).doesNotContain("hunter").doesNotContain("password\u0000");
        env.put("VPN_KEY", "key\twith a tab");
        only(NETWORK.replace("key: none", "key: env:VPN_KEY"), "env:VPN_KEY",
                "'key' of network: the value behind env:VPN_KEY holds a control character (U+0009 tab)");
        Files.writeString(dir.resolve("broker.txt"), "pass\u0007word\n");
        only(NETWORK.replace("broker: mqtt://broker.local", "broker: mqtt://broker.local\n  broker_password: file:broker.txt"),
                "file:broker.txt", "'broker_password' of network: the value behind file:broker.txt holds a control"
                        + " character (U+0007)");
    }

    @Test
    void aGeneratedKeyThatDoesNotExistYetIsAProblemForVpnButNotForGen() throws IOException {
        String yaml = NETWORK.replace("key: none", "key: generate");
        Problem p = only(yaml, "generate", "key: generate, but the key file " + dir.resolve("home.key") + " does not exist yet");
        assertThat(p.fix()).contains("toolkit gen");
        Path file = dir.resolve("network.yaml");
        assertThat(InventoryLoader.load(file, env, InventoryLoader.MissingKey.TO_BE_GENERATED).network().key().value()).isNull();
    }

    @Test
    void anOtaPasswordWrittenAsItselfIsRefusedWithHowToReferToIt() throws IOException {
        Problem p = only(NETWORK + "  ota_password: swordfish\n", "swordfish",
                "'ota_password' of network must be a reference, not the OTA password itself");
        assertThat(p.fix()).contains("generate").contains("env:NAME").contains("file:PATH");
        assertThat(p.toString()).doesNotContain("swordfish");
        only(sim("    ota_password: swordfish\n"), "swordfish",
                "'ota_password' of device 'sim-1' must be a reference");
    }

    @Test
    void anOtaPasswordOfNoneIsRefusedInFavourOfOtaFalse() throws IOException {
        String yaml = NETWORK + "  ota_password: none\n";
        List<Problem> p = problems(yaml);
        assertThat(p).hasSize(1);
        expect(p.get(0), yaml, "none\n", 2, "'ota_password' of network cannot be none");
        assertThat(p.get(0).fix()).contains("ota: false");
    }

    @Test
    void otaFalseBesideTheDevicesOwnOtaPasswordIsAContradiction() throws IOException {
        String yaml = sim("    ota_password: generate\n    ota: false\n");
        Problem p = only(yaml, "false", "ota: false and an ota_password of its own contradict each other in device 'sim-1'");
        assertThat(p.fix()).contains("remove");
    }

    @Test
    void otaTrueNeedsAnOtaPasswordOfTheDeviceOrTheNetwork() throws IOException {
        Problem p = only(sim("    ota: true\n"), "true", "ota: true, but neither device 'sim-1' nor the network has an ota_password");
        assertThat(p.fix()).contains("ota_password: generate");
        Path file = dir.resolve("network.yaml");
        Files.writeString(file, sim("    ota: true\n").replace("key: none", "key: none\n  ota_password: generate"));
        assertThat(InventoryLoader.load(file, env, InventoryLoader.MissingKey.PROBLEM).devices()).hasSize(1);
    }

    @Test
    void anOtaSwitchThatIsNotTrueOrFalseIsRefused() throws IOException {
        only(sim("    ota: off-please\n"), "off-please", "'ota' of device 'sim-1' must be true or false");
    }

    @Test
    void anOtaPasswordThatLeadsNowhereIsReportedOnceEvenWithOtaTrue() throws IOException {
        Problem p = only(sim("    ota_password: env:SIM_OTA\n    ota: true\n"), "env:SIM_OTA",
                "ota_password: environment variable SIM_OTA is not set");
        assertThat(p.fix()).contains("export SIM_OTA=");
    }

    @Test
    void anOtaPasswordWithALineBreakIsRefusedWithoutShowingIt() throws IOException {
        env.put("OTA_PW", "xyzzy1\nxyzzy2");
        Problem p = only(NETWORK + "  ota_password: env:OTA_PW\n", "env:OTA_PW",
                "ota_password: environment variable OTA_PW holds a line break (byte 7)");
        assertThat(p.toString()).doesNotContain("xyzzy");
    }

    @Test
    void anOtaPasswordWithAControlCharacterIsRefusedWithoutShowingIt() throws IOException {
        env.put("OTA_PW", "xyzzy1\txyzzy2");
        Problem p = only(NETWORK + "  ota_password: env:OTA_PW\n", "env:OTA_PW",
                "the OTA password behind env:OTA_PW holds a line break or another control character");
        assertThat(p.toString()).doesNotContain("xyzzy");
    }

    @Test
    void everyProblemIsReportedAtOnceInFileOrder() throws IOException {
        String yaml = """
                network:
                  name: Home
                  subnet: 10.0.1.0/24
                  broker: ws://broker
                  key: none
                devices:
                  - name: sim-1
                    platform: host-sim
                    address: 10.9.9.9
                    colour: red
                """;
        List<Problem> p = problems(yaml);
        assertThat(p).extracting(x -> x.where().line()).containsExactly(2, 4, 9, 10);
        assertThatThrownBy(() -> InventoryLoader.load(dir.resolve("network.yaml"), env, InventoryLoader.MissingKey.PROBLEM))
                .hasMessageContaining("network.yaml:2:9: network name 'Home'")
                .hasMessageContaining("network.yaml:10:5: unknown key 'colour'");
    }
}
