package org.mqttvpn.codegen.inventory;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.mqttvpn.host.Addresses;
import org.mqttvpn.host.mqtt.BrokerOrder;
import org.mqttvpn.host.mqtt.BrokerUri;
import org.mqttvpn.host.mqtt.ClientIds;
import org.mqttvpn.host.topic.Topics;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads the inventory's node tree into the model, checking each value on its own: shape,
 * syntax, allowed words, and that secrets are references. Checks that relate values to each
 * other (an address and the subnet, a platform and the broker) are {@link InventoryRules}'.
 * Never stops at the first problem.
 */
final class InventoryParser {
    static final List<String> ROOT_KEYS = List.of("network", "hosts", "devices");
    static final List<String> NETWORK_KEYS = List.of(
            "name", "subnet", "ipv6_prefix", "broker", "brokers", "broker_order", "broker_return", "bridge",
            "broker_user", "broker_password", "topic_prefix", "key", "ota_password");
    static final List<String> HOST_KEYS = List.of(
            "name", "address", "address6", "interface", "nat_targets", "inventory_path", "toolkit_path", "brokers");
    static final List<String> DEVICE_KEYS = List.of(
            "name", "platform", "board", "target", "address", "address6", "wifi", "app", "nat_targets", "client_id",
            "settings", "ota_password", "ota", "brokers");
    /** The longest broker_return: a day. */
    static final int MAX_BROKER_RETURN = 86_400;
    private static final String BROKERS_EXAMPLE = "brokers: [tcp://site-a.example:1883, tcp://site-b.example:1883]";
    static final List<String> WIFI_KEYS = List.of("ssid", "password");

    private static final Pattern NAME = Pattern.compile("[a-z](?:[a-z0-9-]{0,30}[a-z0-9])?");
    private static final String REFERENCE_FIX = "write env:NAME (and export NAME) or file:PATH (a file holding it)";

    private final YamlFile file;
    private final SecretResolver secrets;
    private final Problems problems;
    /** Whether network: writes an ota_password (resolved or not), for the devices' ota: checks. */
    private boolean networkOtaPassword;

    InventoryParser(YamlFile file, SecretResolver secrets, Problems problems) {
        this.file = file;
        this.secrets = secrets;
        this.problems = problems;
    }

    /** The parts of the inventory; null members where the file is too broken to go on. */
    record Parsed(Network network, List<Host> hosts, List<Device> devices) {
    }

    Parsed parse(Node root) {
        if (!(root instanceof MappingNode rootMap)) {
            problems.add(file.at(root), "the inventory is " + YamlFile.kind(root) + ", not a mapping",
                    "start it with network: (see toolkit init for an example)");
            return new Parsed(null, List.of(), List.of());
        }
        YamlMap top = new YamlMap(file, rootMap, "the inventory", ROOT_KEYS, problems);
        Network network = null;
        if (!top.has("network")) {
            top.missing("network", "network: with name, subnet, broker and key (see toolkit init)");
        } else {
            MappingNode n = top.mapping("network", "network: followed by indented name:, subnet:, broker:, key:");
            if (n != null) {
                network = network(new YamlMap(file, n, "network", NETWORK_KEYS, problems));
            }
        }
        List<Host> hosts = new ArrayList<>();
        for (Node item : top.list("hosts", "hosts: followed by lines '- name: laptop'")) {
            MappingNode m = item(item, "host", "- name: laptop");
            if (m != null) {
                hosts.add(host(m));
            }
        }
        List<Device> devices = new ArrayList<>();
        for (Node item : top.list("devices", "devices: followed by lines '- name: sensor-1'")) {
            MappingNode m = item(item, "device", "- name: sensor-1");
            if (m != null) {
                devices.add(device(m));
            }
        }
        return new Parsed(network, hosts, devices);
    }

    private MappingNode item(Node item, String kind, String example) {
        if (item instanceof MappingNode m) {
            return m;
        }
        problems.add(file.at(item), "a " + kind + " entry is " + YamlFile.kind(item) + ", not a mapping",
                "write each " + kind + " as '" + example + "' with its other keys indented below");
        return null;
    }

    private Network network(YamlMap m) {
        Located<String> name = name(m, "network");
        Located<Subnet> subnet = parsed(m.requiredText("subnet", "subnet: 10.0.1.0/24"), Subnet::parse,
                "write the IPv4 subnet as address/length, like subnet: 10.0.1.0/24");
        Located<Ipv6Prefix> prefix = parsed(m.text("ipv6_prefix", "ipv6_prefix: fd00:1::/64"), Ipv6Prefix::parse,
                "write an IPv6 prefix as address/length, like ipv6_prefix: fd00:1::/64");
        List<Located<BrokerUri>> brokers = networkBrokers(m);
        Located<BrokerOrder> order = oneOf(m.text("broker_order", "broker_order: in-order"), "broker order",
                "broker orders", List.of(BrokerOrder.values()), BrokerOrder::word);
        Located<Integer> brokerReturn = m.integer("broker_return", 1, MAX_BROKER_RETURN, "broker_return: 60");
        Located<BridgeMode> bridge = oneOf(m.text("bridge", "bridge: per-address"), "bridge mode", "bridge modes",
                List.of(BridgeMode.values()), BridgeMode::word);
        SecretValue user = secret(m, "broker_user", "the broker user", true);
        SecretValue password = secret(m, "broker_password", "the broker password", false);
        Located<String> prefixText = m.text("topic_prefix", "topic_prefix: mqttip");
        Located<String> topicPrefix = prefixText == null
                ? new Located<>(Network.DEFAULT_TOPIC_PREFIX, m.at()) : topicPrefix(prefixText);
        SecretValue key = key(m);
        networkOtaPassword = m.has("ota_password");
        SecretValue otaPassword = otaPassword(m);
        return new Network(name, subnet, prefix, brokers, order, brokerReturn, bridge, user, password, topicPrefix, key,
                otaPassword, m.at());
    }

    /** broker: (one) or brokers: (a list); a network needs exactly one of them. */
    private List<Located<BrokerUri>> networkBrokers(YamlMap m) {
        if (m.has("broker") && m.has("brokers")) {
            problems.add(m.valueAt("brokers"), "network has both 'broker' and 'brokers'",
                    "keep one: broker: with one broker, or brokers: with the list (its first is the home broker)");
            return List.of();
        }
        if (m.has("brokers")) {
            return brokerList(m);
        }
        if (!m.has("broker")) {
            m.missing("broker", "broker: mqtt://broker.local:1883 (or " + BROKERS_EXAMPLE + ")");
            return List.of();
        }
        Located<BrokerUri> broker = parsed(m.text("broker", "broker: mqtt://broker.local:1883"), BrokerUri::parse,
                "write the broker as scheme://host[:port] with tcp://, mqtt://, ssl:// or mqtts://");
        return broker == null ? List.of() : List.of(broker);
    }

    /**
     * The entry's brokers: list, in its order (the first is the home broker); empty when absent
     * or when it has problems (recorded: not a list, empty, an item that is no broker, a
     * broker listed twice).
     */
    private List<Located<BrokerUri>> brokerList(YamlMap m) {
        if (!m.has("brokers")) {
            return List.of();
        }
        Node v = m.value("brokers");
        List<Node> items = m.list("brokers", BROKERS_EXAMPLE);
        if (items.isEmpty()) {
            if (v instanceof SequenceNode || YamlFile.isNull(v)) {
                problems.add(file.at(v), "'brokers' of " + m.what() + " is empty",
                        "list at least one broker, like " + BROKERS_EXAMPLE + ", or remove it");
            }
            return List.of();
        }
        List<Located<BrokerUri>> brokers = new ArrayList<>();
        boolean ok = true;
        for (Node n : items) {
            if (!(n instanceof ScalarNode s) || YamlFile.isNull(n)) {
                problems.add(file.at(n), "a broker of " + m.what() + " is " + YamlFile.kind(n), "list broker URIs, like "
                        + BROKERS_EXAMPLE);
                ok = false;
                continue;
            }
            Located<BrokerUri> b = parsed(new Located<>(s.getValue(), file.at(n)), BrokerUri::parse,
                    "write each broker as scheme://host[:port] with tcp://, mqtt://, ssl:// or mqtts://");
            if (b == null) {
                ok = false;
                continue;
            }
            for (Located<BrokerUri> earlier : brokers) {
                if (earlier.value().equals(b.value())) {
                    problems.add(b.at(), "broker " + b.value() + " is listed twice in 'brokers' of " + m.what()
                            + " (line " + earlier.at().line() + ")", "list each broker once");
                    ok = false;
                }
            }
            brokers.add(b);
        }
        return ok ? brokers : List.of();
    }

    /** The rule of toolkit vpn --topic-prefix and of the firmware (Topics.validPrefix). */
    private Located<String> topicPrefix(Located<String> p) {
        try {
            Topics.validPrefix(p.value());
        } catch (IllegalArgumentException e) {
            problems.add(p.at(), e.getMessage(), "use 1 to " + Topics.MAX_PREFIX_BYTES + " printable ASCII characters"
                    + " such as mqttip or home/vpn, without + # a leading $ or a final /");
            return null;
        }
        return p;
    }

    private SecretValue key(YamlMap m) {
        Located<String> text = m.requiredText("key", "key: generate (or none, env:NAME, file:PATH)");
        if (text == null) {
            return null;
        }
        Secret s = Secret.parse(text.value(), true);
        if (s instanceof Secret.Literal) {
            problems.add(text.at(), "the network key must be a reference, not the key itself",
                    "write key: generate (a random key kept in <network>.key beside the inventory), env:NAME, file:PATH,"
                            + " or key: none for an unencrypted network");
            return null;
        }
        if (s instanceof Secret.Generate || s instanceof Secret.None) {
            return new SecretValue(s, null, text.at());
        }
        String value = printable(secrets.resolve(s, text.at(), "key"), s, text.at(), "'key' of network");
        return value == null ? null : new SecretValue(s, value, text.at());
    }

    /**
     * {@code ota_password}: env:NAME, file:PATH or generate (gen makes it, like the key); null
     * when absent or wrong (problem recorded). The value is one line: the virtual device reads
     * it from a file's first line, and a line break would end it there.
     */
    private SecretValue otaPassword(YamlMap m) {
        Located<String> text = m.text("ota_password", "ota_password: generate");
        if (text == null) {
            return null;
        }
        Secret s = Secret.parse(text.value(), true);
        if (s instanceof Secret.None) {
            problems.add(text.at(), "'ota_password' of " + m.what() + " cannot be none",
                    "leave ota_password out (no updates through the VPN), or write ota: false on a device to turn"
                            + " them off for it");
            return null;
        }
        if (s instanceof Secret.Literal) {
            problems.add(text.at(), "'ota_password' of " + m.what() + " must be a reference, not the OTA password itself",
                    "write ota_password: generate (a random password gen keeps beside the inventory), env:NAME or"
                            + " file:PATH");
            return null;
        }
        if (s instanceof Secret.Generate) {
            return new SecretValue(s, null, text.at());
        }
        String value = secrets.resolve(s, text.at(), "ota_password");
        if (value == null) {
            return null;
        }
        if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            problems.add(text.at(), "the OTA password behind " + s + " holds a line break or another control character",
                    "use a password of printable characters on one line");
            return null;
        }
        return new SecretValue(s, value, text.at());
    }

    /**
     * {@code ota:} of a device: false turns updates through the VPN off for it, true insists
     * they are on; both checked against the ota_password keys written (resolved or not, so that
     * a reference that leads nowhere is reported once).
     */
    private Located<Boolean> ota(YamlMap m) {
        Located<Boolean> ota = m.bool("ota");
        if (ota == null) {
            return null;
        }
        if (!ota.value() && m.has("ota_password")) {
            problems.add(ota.at(), "ota: false and an ota_password of its own contradict each other in " + m.what(),
                    "remove ota: false to update it through the VPN with that password, or remove its ota_password");
        } else if (ota.value() && !m.has("ota_password") && !networkOtaPassword) {
            problems.add(ota.at(), "ota: true, but neither " + m.what() + " nor the network has an ota_password",
                    "add ota_password: generate (or env:NAME, file:PATH) to network: or to the device");
        }
        return ota;
    }

    /** An optional secret; a literal is accepted only where allowLiteral (a user name is not a secret). */
    private SecretValue secret(YamlMap m, String key, String what, boolean allowLiteral) {
        Located<String> text = m.text(key, key + ": env:NAME");
        if (text == null) {
            return null;
        }
        Secret s = Secret.parse(text.value(), false);
        if (s instanceof Secret.Literal && !allowLiteral) {
            problems.add(text.at(), "'" + key + "' must be a reference, not " + what + " itself", REFERENCE_FIX);
            return null;
        }
        String value = printable(secrets.resolve(s, text.at(), key), s, text.at(), "'" + key + "' of " + m.what());
        return value == null ? null : new SecretValue(s, value, text.at());
    }

    /**
     * The value behind a reference, or null (problem recorded) when it holds a control
     * character: the value goes into C strings (the firmware's config header) and files read
     * by their first line. The message does not show the value.
     */
    private String printable(String value, Secret reference, Position at, String field) {
        String control = value == null ? null : ControlCharacters.first(value);
        if (control == null) {
            return value;
        }
        problems.add(at, field + ": the value behind " + reference + " holds a control character (" + control + ")",
                "correct the value it refers to: one line of printable characters");
        return null;
    }

    private Located<String> name(YamlMap m, String kind) {
        Located<String> name = m.requiredText("name", "name: " + (kind.equals("network") ? "home" : "sensor-1"));
        if (name != null && !NAME.matcher(name.value()).matches()) {
            problems.add(name.at(), kind + " name '" + name.value() + "' cannot be used in file names and C identifiers",
                    "use 1 to 32 lower-case letters, digits and '-', starting with a letter and not ending with '-'"
                            + " (like sensor-1)");
        }
        // kept even when unfit: later messages can then name the entry (nothing is rendered from it)
        return name;
    }

    private static String label(Located<String> name, String kind) {
        return name == null ? kind : kind + " '" + name.value() + "'";
    }

    private Host host(MappingNode node) {
        YamlMap m = new YamlMap(file, node, label(peekName(node), "host"), HOST_KEYS, problems);
        Located<String> name = name(m, "host");
        AddressChoice<Inet4Address> address = address4(m);
        AddressChoice<Inet6Address> address6 = address6(m);
        Located<String> ifName = m.text("interface", "interface: mq0");
        if (ifName == null) {
            ifName = new Located<>(Host.DEFAULT_INTERFACE, m.at());
        } else if (!validInterface(ifName.value())) {
            problems.add(ifName.at(), "interface name '" + ifName.value() + "' is not a Linux interface name",
                    "use 1 to 15 letters, digits, '-', '_' or '.', like mq0");
        }
        List<Located<Inet4Address>> targets = natTargets(m);
        Located<String> inventoryPath = absolutePath(m, "inventory_path", "/etc/mqttvpn/network.yaml");
        Located<String> toolkitPath = absolutePath(m, "toolkit_path", Host.DEFAULT_TOOLKIT_PATH);
        if (toolkitPath == null) {
            toolkitPath = new Located<>(Host.DEFAULT_TOOLKIT_PATH, m.at());
        }
        return new Host(name, address, address6, ifName, targets, inventoryPath, toolkitPath, brokerList(m), m.at());
    }

    private Located<String> absolutePath(YamlMap m, String key, String example) {
        Located<String> p = m.text(key, key + ": " + example);
        if (p != null && !p.value().startsWith("/")) {
            problems.add(p.at(), "'" + key + "' must be an absolute path on the host", "write " + key + ": " + example);
            return null;
        }
        return p;
    }

    static boolean validInterface(String name) {
        if (name.isEmpty() || name.length() > 15) {
            return false;
        }
        return name.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 127 || c == '-' || c == '_' || c == '.');
    }

    /**
     * The entry's name, read quietly, so that messages about its other keys can say which entry
     * (control characters shown as '?': the name's own problem names them).
     */
    private static Located<String> peekName(MappingNode node) {
        for (var t : node.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("name")
                    && t.getValueNode() instanceof ScalarNode v && !YamlFile.isNull(v)) {
                return new Located<>(v.getValue().replaceAll("\\p{Cc}", "?"), null);
            }
        }
        return null;
    }

    private Device device(MappingNode node) {
        YamlMap m = new YamlMap(file, node, label(peekName(node), "device"), DEVICE_KEYS, problems);
        Located<String> name = name(m, "device");
        Located<Platform> platform = oneOf(
                m.requiredText("platform", "platform: esp8266-arduino (or esp32-idf, host-sim)"),
                "platform", "platforms", List.of(Platform.values()), Platform::id);
        Located<Fqbn> board = parsed(m.text("board", "board: " + Fqbn.DEFAULT_ESP8266), Fqbn::parse,
                "write an Arduino FQBN vendor:arch:board[:option=value,...], like " + Fqbn.DEFAULT_ESP8266);
        Located<String> target = oneOf(m.text("target", "target: esp32c3"), "ESP-IDF target", "targets", IdfTarget.ALL,
                t -> t);
        AddressChoice<Inet4Address> address = address4(m);
        AddressChoice<Inet6Address> address6 = address6(m);
        Wifi wifi = null;
        if (platform != null && platform.value().needsWifi() && !m.has("wifi")) {
            problems.add(m.at(), m.what() + " (" + platform.value().id() + ") has no 'wifi'",
                    "add wifi: {ssid: MyWifi, password: env:WIFI_PASSWORD}");
        }
        MappingNode w = m.mapping("wifi", "wifi: {ssid: MyWifi, password: env:WIFI_PASSWORD}");
        if (w != null) {
            wifi = wifi(new YamlMap(file, w, "the wifi of " + m.what(), WIFI_KEYS, problems));
        }
        Located<App> app = oneOf(m.text("app", "app: webserver"), "app", "apps", List.of(App.values()), App::id);
        List<Located<Inet4Address>> targets = natTargets(m);
        Located<String> clientId = m.text("client_id", "client_id: sensor-1");
        if (clientId != null) {
            try {
                ClientIds.valid(clientId.value());
            } catch (IllegalArgumentException e) {
                problems.add(clientId.at(), e.getMessage(),
                        "shorten it (MQTT 3.1 brokers accept 23 characters), or leave client_id out for MQTT_VPN_<random>");
                clientId = null;
            }
        }
        String deviceName = name == null ? "device" : name.value();
        MappingNode s = m.mapping("settings", "settings: {http_port: 8080}");
        DeviceSettings settings = settings(s == null ? null : new YamlMap(file, s, "the settings of " + m.what(),
                DeviceSettings.names(), problems), deviceName, m.at());
        SecretValue otaPassword = otaPassword(m);
        Located<Boolean> ota = ota(m);
        return new Device(name, platform, board, target, address, address6, wifi, app, targets, clientId, settings,
                otaPassword, ota, brokerList(m), m.at());
    }

    private Wifi wifi(YamlMap m) {
        Located<String> ssid = ssid(m.requiredText("ssid", "ssid: MyWifi"), "the SSID", "check the network's name");
        SecretValue password = secret(m, "password", "the Wi-Fi password", false);
        if (password != null) {
            wpaPassword(password, "Wi-Fi password");
        }
        return new Wifi(ssid, password, m.at());
    }

    /** A Wi-Fi network name, or null with a problem when it is longer than Wi-Fi allows. */
    private Located<String> ssid(Located<String> ssid, String what, String fix) {
        if (ssid == null) {
            return null;
        }
        int bytes = utf8Length(ssid.value());
        if (bytes > Wifi.MAX_SSID_BYTES) {
            problems.add(ssid.at(), what + " is " + bytes + " bytes long; Wi-Fi allows " + Wifi.MAX_SSID_BYTES, fix);
            return null;
        }
        return ssid;
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private void wpaPassword(SecretValue p, String what) {
        int n = utf8Length(p.value());
        boolean hexPsk = n == 64 && p.value().chars().allMatch(c -> Character.digit(c, 16) >= 0);
        if ((n < 8 || n > 63) && !hexPsk) {
            problems.add(p.at(), "the " + what + " behind " + p.reference() + " is " + n + " characters long;"
                    + " WPA2 needs 8 to 63", "correct the value it refers to");
        }
    }

    private DeviceSettings settings(YamlMap m, String deviceName, Position deviceAt) {
        DeviceSettings defaults = DeviceSettings.defaults(deviceName, m == null ? deviceAt : m.at());
        if (m == null) {
            return defaults;
        }
        Located<Inet4Address> gateway = parsed(m.text("gateway", "gateway: 10.0.1.1"), Addresses::ipv4,
                "write an IPv4 address of the VPN, like gateway: 10.0.1.1");
        Located<Boolean> defaultRoute = m.bool("default_route");
        Located<Integer> http = m.integer("http_port", 1, 65535, "http_port: 8080");
        Located<Integer> telnet = m.integer("telnet_port", 1, 65535, "telnet_port: 2323");
        Located<String> apSsid = ssid(m.text("ap_ssid", "ap_ssid: " + deviceName + "-nat"), "ap_ssid", "shorten it");
        SecretValue apPassword = secret(m, "ap_password", "the access point's password", false);
        if (apPassword != null) {
            wpaPassword(apPassword, "access point password");
        }
        Located<Inet4Address> apAddress = parsed(m.text("ap_address", "ap_address: 192.168.4.1"), Addresses::ipv4,
                "write an IPv4 address, like ap_address: 192.168.4.1");
        Located<Inet4Address> apNetmask = parsed(m.text("ap_netmask", "ap_netmask: 255.255.255.0"), Addresses::netmask,
                "write a netmask, like ap_netmask: 255.255.255.0");
        return new DeviceSettings(gateway,
                defaultRoute == null ? defaults.defaultRoute() : defaultRoute.value(),
                http == null ? defaults.httpPort() : http.value(),
                telnet == null ? defaults.telnetPort() : telnet.value(),
                apSsid == null ? defaults.apSsid() : apSsid,
                apPassword,
                apAddress == null ? defaults.apAddress() : apAddress,
                apNetmask == null ? defaults.apNetmask() : apNetmask,
                m.keys());
    }

    private AddressChoice<Inet4Address> address4(YamlMap m) {
        return addressChoice(m.requiredText("address", "address: auto (or an address in the subnet, like 10.0.1.2)"),
                Addresses::ipv4, "write auto or an IPv4 address in the subnet, like 10.0.1.2");
    }

    private AddressChoice<Inet6Address> address6(YamlMap m) {
        return addressChoice(m.text("address6", "address6: auto"), Addresses::ipv6,
                "write auto or an IPv6 address in ipv6_prefix, like fd00:1::2");
    }

    /** auto, or the address the text gives; null when absent or unparsable (problem recorded). */
    private <A extends InetAddress> AddressChoice<A> addressChoice(Located<String> text, Function<String, A> parser,
                                                                   String fix) {
        if (text != null && text.value().equals(AddressChoice.AUTO)) {
            return new AddressChoice<>(null, text.at());
        }
        Located<A> a = parsed(text, parser, fix);
        return a == null ? null : new AddressChoice<>(a.value(), a.at());
    }

    private List<Located<Inet4Address>> natTargets(YamlMap m) {
        List<Located<Inet4Address>> targets = new ArrayList<>();
        for (Node n : m.list("nat_targets", "nat_targets: [192.168.4.2]")) {
            if (!(n instanceof ScalarNode s) || YamlFile.isNull(n)) {
                problems.add(file.at(n), "a NAT target of " + m.what() + " is " + YamlFile.kind(n),
                        "list IPv4 addresses, like nat_targets: [192.168.4.2]");
                continue;
            }
            Located<Inet4Address> a = parsed(new Located<>(s.getValue(), file.at(n)), Addresses::ipv4,
                    "list IPv4 addresses of hosts behind this node, like nat_targets: [192.168.4.2]");
            if (a != null) {
                targets.add(a);
            }
        }
        return targets;
    }

    /**
     * The known choice the text names (platform, app, target), or null with a problem that
     * suggests the closest known word and lists them all.
     */
    private <T> Located<T> oneOf(Located<String> text, String what, String plural, List<T> known,
                                 Function<T, String> word) {
        if (text == null) {
            return null;
        }
        for (T k : known) {
            if (word.apply(k).equals(text.value())) {
                return new Located<>(k, text.at());
            }
        }
        List<String> words = known.stream().map(word).toList();
        problems.add(text.at(), "unknown " + what + " '" + text.value() + "'",
                DidYouMean.closest(text.value(), words).map(c -> "did you mean '" + c + "'? ").orElse("")
                        + plural + ": " + String.join(", ", words));
        return null;
    }

    /** Parses a value, turning the parser's IllegalArgumentException into a problem at the value. */
    private <T> Located<T> parsed(Located<String> text, Function<String, T> parser, String fix) {
        if (text == null) {
            return null;
        }
        try {
            return new Located<>(parser.apply(text.value()), text.at());
        } catch (IllegalArgumentException e) {
            problems.add(text.at(), e.getMessage(), fix);
            return null;
        }
    }
}
