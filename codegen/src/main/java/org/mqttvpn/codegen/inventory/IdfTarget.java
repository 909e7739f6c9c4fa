package org.mqttvpn.codegen.inventory;

import java.util.List;

/** The chips ESP-IDF builds for ({@code idf.py set-target}); the first is the default. */
public final class IdfTarget {
    public static final List<String> ALL = List.of(
            "esp32", "esp32s2", "esp32s3", "esp32c2", "esp32c3", "esp32c5", "esp32c6", "esp32c61", "esp32h2", "esp32p4");
    public static final String DEFAULT = "esp32";
    /** Chips without a Wi-Fi radio of their own: they reach Wi-Fi through a companion chip (esp_wifi_remote). */
    public static final List<String> REMOTE_WIFI = List.of("esp32h2", "esp32p4");

    private IdfTarget() {
    }
}
