package org.mqttvpn.host.mqtt;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything needed to reach the brokers. Keepalive 20 s is the Linux original's; the
 * reconnect delay between rounds (a round: one attempt at every broker) starts at
 * {@code reconnectMin} and doubles up to {@code reconnectMax}.
 *
 * @param brokers        the brokers the node may use, at least one; the first is its home
 * @param order          in which order they are tried
 * @param returnInterval while on another broker than the first, try the first this often and
 *                       move back when it answers; null: stay where it is
 */
public record BrokerSettings(
        List<BrokerUri> brokers,
        String username,
        String password,
        String clientId,
        int keepaliveSeconds,
        TlsSettings tls,
        Duration reconnectMin,
        Duration reconnectMax,
        BrokerOrder order,
        Duration returnInterval) {

    public static final int DEFAULT_KEEPALIVE = 20;
    public static final Duration DEFAULT_RECONNECT_MIN = Duration.ofMillis(250);
    public static final Duration DEFAULT_RECONNECT_MAX = Duration.ofSeconds(2);

    public BrokerSettings {
        brokers = List.copyOf(brokers);
        if (brokers.isEmpty()) {
            throw new IllegalArgumentException("no broker given");
        }
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(order, "order");
        if (keepaliveSeconds < 0 || keepaliveSeconds > 65535) {
            throw new IllegalArgumentException("keepalive outside 0..65535 s: " + keepaliveSeconds);
        }
        if (reconnectMin.isNegative() || reconnectMin.isZero() || reconnectMax.compareTo(reconnectMin) < 0) {
            throw new IllegalArgumentException("reconnect delays must satisfy 0 < min <= max: " + reconnectMin + ", " + reconnectMax);
        }
        if (returnInterval != null && (returnInterval.isNegative() || returnInterval.isZero())) {
            throw new IllegalArgumentException("return interval must be positive: " + returnInterval);
        }
    }

    /** One broker, as before failover: in order, no return. */
    public BrokerSettings(BrokerUri uri, String username, String password, String clientId, int keepaliveSeconds,
                          TlsSettings tls, Duration reconnectMin, Duration reconnectMax) {
        this(List.of(uri), username, password, clientId, keepaliveSeconds, tls, reconnectMin, reconnectMax,
                BrokerOrder.IN_ORDER, null);
    }

    public static BrokerSettings of(BrokerUri uri) {
        return new BrokerSettings(uri, null, null, ClientIds.random(), DEFAULT_KEEPALIVE, TlsSettings.DEFAULT,
                DEFAULT_RECONNECT_MIN, DEFAULT_RECONNECT_MAX);
    }

    /** The home broker: the first of the list. */
    public BrokerUri uri() {
        return brokers.get(0);
    }

    /** Whether any of the brokers is reached over TLS. */
    public boolean anyTls() {
        return BrokerUri.anyTls(brokers);
    }
}
