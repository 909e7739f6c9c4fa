package org.mqttvpn.codegen.inventory;

/** The Wi-Fi network a firmware device joins. No password (null) means an open network. */
public record Wifi(Located<String> ssid, SecretValue password, Position at) {
    public static final int MAX_SSID_BYTES = 32;
}
