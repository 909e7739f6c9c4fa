package org.mqttvpn.codegen.inventory;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.List;
import org.mqttvpn.host.mqtt.BrokerUri;

/**
 * A device gen renders a project for: firmware (ESP8266, ESP32) or the virtual device.
 * {@code otaPassword} is its own {@code ota_password} (null: none, it takes the network's),
 * {@code ota} its {@code ota:} switch (null: not written); {@link Inventory#otaPassword} says
 * what they add up to. {@code brokers} is its own {@code brokers:} (empty: the network's; see
 * {@link Inventory#brokersOf}).
 */
public record Device(
        Located<String> name,
        Located<Platform> platform,
        Located<Fqbn> board,
        Located<String> target,
        AddressChoice<Inet4Address> address,
        AddressChoice<Inet6Address> address6,
        Wifi wifi,
        Located<App> app,
        List<Located<Inet4Address>> natTargets,
        Located<String> clientId,
        DeviceSettings settings,
        SecretValue otaPassword,
        Located<Boolean> ota,
        List<Located<BrokerUri>> brokers,
        Position at) implements Member {

    /** The same device with another OTA password of its own (a generated one, read from its file). */
    Device withOtaPassword(SecretValue password) {
        return new Device(name, platform, board, target, address, address6, wifi, app, natTargets, clientId, settings,
                password, ota, brokers, at);
    }
}
