package org.mqttvpn.codegen.render;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mqttvpn.codegen.address.Assignments;
import org.mqttvpn.codegen.address.Gateways;
import org.mqttvpn.codegen.inventory.Device;
import org.mqttvpn.codegen.inventory.Fqbn;
import org.mqttvpn.codegen.inventory.IdfTarget;
import org.mqttvpn.codegen.inventory.Inventory;
import org.mqttvpn.codegen.inventory.Located;
import org.mqttvpn.codegen.inventory.Member;
import org.mqttvpn.codegen.inventory.Network;
import org.mqttvpn.codegen.inventory.SecretValue;
import org.mqttvpn.host.mqtt.BrokerOrder;
import org.mqttvpn.host.mqtt.BrokerUri;
import org.mqttvpn.host.topic.AddressText;

/**
 * The variables a template sees for one node, all plain strings, numbers, booleans, lists and
 * maps, so that templates only place text and never compute. C literals (with escaping) are
 * prepared here, under {@code c}.
 */
final class NodeModel {
    /** The Arduino library's OTA port (MqttVpnConfig::otaPort's default, ArduinoOTA's on the ESP8266); toolkit ota uses the same. */
    static final int OTA_PORT_ESP8266 = 8266;
    /** The OTA receiver's port on ESP-IDF and host-sim (MQTTVPN_OTA_PORT_ESP32). */
    static final int OTA_PORT_ESP32 = 3232;
    /**
     * How long a new ESP-IDF image has to rejoin the VPN before it returns to the previous one
     * (OTA-PROTOCOL.md section 5): the receiver's default, written out; toolkit ota waits 150 s.
     */
    static final int OTA_ROLLBACK_MILLIS = 120_000;

    private NodeModel() {
    }

    /** @param otaPassword the device's OTA password; null: updates through the VPN are off (and for hosts) */
    static Map<String, Object> of(Inventory inventory, Member member, Assignments assignments, String key,
                                  String otaPassword) {
        Network n = inventory.network();
        List<BrokerUri> brokers = inventory.brokersOf(member).stream().map(Located::value).toList();
        BrokerUri broker = brokers.get(0); // the home broker
        Map<String, Object> m = new LinkedHashMap<>();
        String name = member.name().value();
        m.put("name", name);
        m.put("network", n.name().value());
        m.put("inventory", inventory.file().getFileName().toString());
        Inet4Address address = assignments.address(member);
        m.put("address", AddressText.of(address));
        m.put("addressList", octets(address));
        m.put("netmask", AddressText.of(n.subnet().value().netmask()));
        m.put("netmaskList", octets(n.subnet().value().netmask()));
        m.put("prefixLength", n.subnet().value().prefixLength());
        Inet6Address address6 = assignments.address6(member);
        m.put("hasAddress6", address6 != null);
        m.put("address6", address6 == null ? "" : AddressText.of(address6));
        m.put("prefix6", n.ipv6Prefix() == null ? 0 : n.ipv6Prefix().value().prefixLength());
        m.put("brokerPort", broker.port());
        m.put("brokerTcpUri", broker.pahoUri());
        brokers(m, n, brokers);
        m.put("encrypted", key != null);
        List<Map<String, Object>> targets = new ArrayList<>();
        for (Located<Inet4Address> t : member.natTargets()) {
            targets.add(Map.of("text", AddressText.of(t.value()), "list", octets(t.value())));
        }
        m.put("natTargets", targets);
        // 1: a device names this node as its gateway, so it takes packets for any address.
        m.put("routeForOthers", Gateways.routesForOthers(inventory, assignments, member) ? 1 : 0);

        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", CText.literal(name));
        c.put("address", CText.literal(AddressText.of(address)));
        c.put("brokerHost", CText.literal(broker.host()));
        c.put("brokerUri", CText.literal(espMqttUri(broker)));
        c.put("user", CText.literalOrNull(value(n.brokerUser())));
        c.put("password", CText.literalOrNull(value(n.brokerPassword())));
        c.put("topicPrefix", CText.literal(n.topicPrefix().value()));
        c.put("key", CText.literalOrNull(key));
        m.put("c", c);

        Map<String, Object> sh = new LinkedHashMap<>();
        sh.put("topicPrefix", ShellText.word(n.topicPrefix().value()));
        sh.put("hasUser", n.brokerUser() != null);
        sh.put("user", n.brokerUser() == null ? "" : ShellText.word(n.brokerUser().value()));
        sh.put("hasPassword", n.brokerPassword() != null);
        m.put("sh", sh);
        if (member instanceof Device d) {
            device(m, c, d, assignments);
            ota(m, c, otaPassword);
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static void device(Map<String, Object> m, Map<String, Object> c, Device d, Assignments assignments) {
        var s = d.settings();
        m.put("platform", d.platform().value().id());
        m.put("app", d.app() == null ? "blank" : d.app().value().id());
        m.put("hasGateway", s.gateway() != null);
        m.put("gateway", s.gateway() == null ? "" : AddressText.of(s.gateway().value()));
        m.put("gatewayList", s.gateway() == null ? "0, 0, 0, 0" : octets(s.gateway().value()));
        m.put("defaultRoute", s.defaultRoute() ? 1 : 0);
        m.put("httpPort", s.httpPort());
        m.put("telnetPort", s.telnetPort());
        m.put("apAddress", AddressText.of(s.apAddress().value()));
        m.put("apAddressList", octets(s.apAddress().value()));
        m.put("apNetmaskList", octets(s.apNetmask().value()));
        m.put("hasClientId", d.clientId() != null);
        m.put("board", d.board() == null ? Fqbn.DEFAULT_ESP8266 : d.board().value().text());
        m.put("target", d.target() == null ? IdfTarget.DEFAULT : d.target().value());
        c.put("clientId", CText.literalOrNull(d.clientId() == null ? null : d.clientId().value()));
        ((Map<String, Object>) m.get("sh")).put("clientId", d.clientId() == null ? "" : ShellText.word(d.clientId().value()));
        if (d.wifi() != null) {
            c.put("ssid", CText.literal(d.wifi().ssid().value()));
            String wifiPassword = value(d.wifi().password());
            c.put("wifiPassword", CText.literalOrNull(wifiPassword));
            c.put("wifiPasswordOrEmpty", CText.literal(wifiPassword == null ? "" : wifiPassword));
            m.put("wifiOpen", wifiPassword == null ? 1 : 0);
        }
        c.put("apSsid", CText.literal(s.apSsid().value()));
        c.put("apPassword", CText.literalOrNull(value(s.apPassword())));
    }

    /**
     * Updates through the VPN: {@code ota} says whether they are on; the ESP-IDF component takes
     * the password ({@code c.otaPassword}), the Arduino library on the ESP8266 only its MD5
     * ({@code c.otaPasswordMd5}, MqttVpnConfig::otaPasswordMd5: the password itself stays out of
     * that firmware).
     */
    private static void ota(Map<String, Object> m, Map<String, Object> c, String password) {
        m.put("ota", password != null);
        m.put("otaPortEsp8266", OTA_PORT_ESP8266);
        m.put("otaPortEsp32", OTA_PORT_ESP32);
        m.put("otaRollbackMillis", OTA_ROLLBACK_MILLIS);
        c.put("otaPassword", CText.literalOrNull(password));
        c.put("otaPasswordMd5", CText.literalOrNull(password == null ? null : md5Hex(password)));
    }

    /** Lower-case hex of the MD5 of the text's UTF-8 bytes: espota's md5hex(). */
    static String md5Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from this Java runtime", e);
        }
    }

    /**
     * Failover: {@code brokers} (every broker, home first: number n from 1, more (its index among
     * the brokers after the first), tcpUri, port, and
     * C literals cHost, cUri), {@code brokerCount}, and, meaningful with more than one,
     * {@code brokerRandom} (1: random order) and {@code brokerReturn} (seconds, 0: off).
     */
    private static void brokers(Map<String, Object> m, Network n, List<BrokerUri> brokers) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (int i = 0; i < brokers.size(); i++) {
            BrokerUri b = brokers.get(i);
            list.add(Map.of("n", i + 1, "more", i - 1, "tcpUri", b.pahoUri(), "port", b.port(),
                    "cHost", CText.literal(b.host()), "cUri", CText.literal(espMqttUri(b))));
        }
        m.put("brokers", list);
        m.put("brokerCount", brokers.size());
        boolean several = brokers.size() > 1;
        m.put("brokerRandom", several && n.order() == BrokerOrder.RANDOM ? 1 : 0);
        m.put("brokerReturn", several && n.brokerReturn() != null ? n.brokerReturn().value() : 0);
    }

    /** The broker as esp-mqtt takes it: Paho's URI with mqtt:// or mqtts:// for its scheme. */
    static String espMqttUri(BrokerUri broker) {
        String paho = broker.pahoUri();
        return (broker.tls() ? "mqtts" : "mqtt") + paho.substring(paho.indexOf("://"));
    }

    static String value(SecretValue s) {
        return s == null ? null : s.value();
    }

    static String octets(Inet4Address a) {
        byte[] b = a.getAddress();
        return (b[0] & 0xff) + ", " + (b[1] & 0xff) + ", " + (b[2] & 0xff) + ", " + (b[3] & 0xff);
    }
}
