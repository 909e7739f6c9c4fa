package org.mqttvpn.codegen.inventory;

/** What a device runs on, and so which project gen renders for it. */
public enum Platform {
    /** An ESP8266 with the Arduino core: a sketch using the mqtt_vpn_arduino library (PubSubClient over WiFiClient: no TLS). */
    ESP8266_ARDUINO("esp8266-arduino", false, true),
    /** An ESP32 family chip with ESP-IDF: a project using the mqtt_vpn component (esp-mqtt: TLS supported). */
    ESP32_IDF("esp32-idf", true, true),
    /** The virtual device (firmware/host-sim) on Linux, started by toolkit sim (libmosquitto, plain TCP here). */
    HOST_SIM("host-sim", false, false);

    private final String id;
    private final boolean tls;
    private final boolean wifi;

    Platform(String id, boolean tls, boolean wifi) {
        this.id = id;
        this.tls = tls;
        this.wifi = wifi;
    }

    public String id() {
        return id;
    }

    /** Whether its firmware can reach a broker over TLS (ssl://, mqtts://). */
    public boolean supportsTls() {
        return tls;
    }

    /** Whether it joins the network over Wi-Fi (and so needs wifi: in the inventory). */
    public boolean needsWifi() {
        return wifi;
    }

    /** Whether its firmware API takes an IPv6 address (only the virtual device's command line does). */
    public boolean supportsIpv6() {
        return this == HOST_SIM;
    }
}
