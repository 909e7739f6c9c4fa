package org.mqttvpn.codegen.inventory;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.List;

/** A Linux machine that runs {@code toolkit vpn --config ... --host NAME}. */
public record Host(
        Located<String> name,
        AddressChoice<Inet4Address> address,
        AddressChoice<Inet6Address> address6,
        Located<String> interfaceName,
        List<Located<Inet4Address>> natTargets,
        Located<String> inventoryPath,
        Located<String> toolkitPath,
        Position at) implements Member {
    public static final String DEFAULT_INTERFACE = "mq0";
    public static final String DEFAULT_TOOLKIT_PATH = "/usr/local/bin/toolkit";
}
