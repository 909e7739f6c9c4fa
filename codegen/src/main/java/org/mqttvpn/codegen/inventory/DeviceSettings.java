package org.mqttvpn.codegen.inventory;

import java.net.Inet4Address;
import java.util.List;
import org.mqttvpn.host.Addresses;

/**
 * A device's {@code settings:}, with defaults filled in. Which keys apply depends on the
 * platform and app; {@link #KEYS} documents each. {@code written} lists the keys the
 * inventory gives (with where), so that a key that does not apply can be pointed at.
 */
public record DeviceSettings(
        Located<Inet4Address> gateway,
        boolean defaultRoute,
        int httpPort,
        int telnetPort,
        Located<String> apSsid,
        SecretValue apPassword,
        Located<Inet4Address> apAddress,
        Located<Inet4Address> apNetmask,
        List<Located<String>> written) {

    /** One documented setting: its key, where it applies, and what it does. */
    public record Key(String name, String appliesTo, String meaning) {
    }

    public static final List<Key> KEYS = List.of(
            new Key("gateway", "every platform", "a VPN address that routes further (MqttVpnConfig.gateway); default none"),
            new Key("default_route", "esp8266-arduino, esp32-idf", "true: the VPN becomes the device's default route; default false"),
            new Key("http_port", "app webserver", "TCP port of the status page; default 80"),
            new Key("telnet_port", "app telnet", "TCP port of the console; default 23"),
            new Key("ap_ssid", "app nat", "name of the access point the device opens; default <device>-nat"),
            new Key("ap_password", "app nat", "its WPA2 password, a reference (env:NAME or file:PATH), 8..63 characters; required"),
            new Key("ap_address", "app nat", "the device's address on its access point; default 192.168.4.1"),
            new Key("ap_netmask", "app nat", "netmask of the access point's network; default 255.255.255.0"));

    /** What a device that writes no settings gets; each default is placed at {@code at} for messages. */
    static DeviceSettings defaults(String deviceName, Position at) {
        return new DeviceSettings(null, false, 80, 23, new Located<>(deviceName + "-nat", at), null,
                new Located<>(Addresses.ipv4("192.168.4.1"), at), new Located<>(Addresses.netmask("255.255.255.0"), at),
                List.of());
    }

    public static List<String> names() {
        return KEYS.stream().map(Key::name).toList();
    }
}
