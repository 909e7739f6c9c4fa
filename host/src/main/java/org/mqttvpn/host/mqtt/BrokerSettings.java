package org.mqttvpn.host.mqtt;

import java.time.Duration;
import java.util.Objects;

/**
 * Everything needed to reach the broker. Keepalive 20 s is the Linux original's; the
 * reconnect delay starts at {@code reconnectMin} and doubles up to {@code reconnectMax}.
 */
public record BrokerSettings(
        BrokerUri uri,
        String username,
        String password,
        String clientId,
        int keepaliveSeconds,
        TlsSettings tls,
        Duration reconnectMin,
        Duration reconnectMax) {

    public static final int DEFAULT_KEEPALIVE = 20;
    public static final Duration DEFAULT_RECONNECT_MIN = Duration.ofMillis(250);
    public static final Duration DEFAULT_RECONNECT_MAX = Duration.ofSeconds(2);

    public BrokerSettings {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(tls, "tls");
        if (keepaliveSeconds < 0 || keepaliveSeconds > 65535) {
            throw new IllegalArgumentException("keepalive outside 0..65535 s: " + keepaliveSeconds);
        }
        if (reconnectMin.isNegative() || reconnectMin.isZero() || reconnectMax.compareTo(reconnectMin) < 0) {
            throw new IllegalArgumentException("reconnect delays must satisfy 0 < min <= max: " + reconnectMin + ", " + reconnectMax);
        }
    }

    public static BrokerSettings of(BrokerUri uri) {
        return new BrokerSettings(uri, null, null, ClientIds.random(), DEFAULT_KEEPALIVE, TlsSettings.DEFAULT,
                DEFAULT_RECONNECT_MIN, DEFAULT_RECONNECT_MAX);
    }
}
