package org.mqttvpn.codegen.inventory;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.List;

/** A device gen renders a project for: firmware (ESP8266, ESP32) or the virtual device. */
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
        Position at) implements Member {
}
