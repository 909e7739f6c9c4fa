package org.mqttvpn.host.mqtt;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * A broker address as users write it: {@code tcp://host[:port]}, {@code ssl://host[:port]},
 * the aliases {@code mqtt://} and {@code mqtts://}, or a bare {@code host[:port]} (plain TCP).
 * The port defaults to 1883 for plain and 8883 for TLS.
 */
public record BrokerUri(boolean tls, String host, int port) {
    public static final int DEFAULT_PORT = 1883;
    public static final int DEFAULT_TLS_PORT = 8883;

    public static BrokerUri parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("broker address is empty: give one like tcp://broker.example:1883");
        }
        String s = text.trim();
        boolean tls;
        String rest;
        int sep = s.indexOf("://");
        if (sep < 0) {
            tls = false;
            rest = s;
        } else {
            String scheme = s.substring(0, sep).toLowerCase(Locale.ROOT);
            rest = s.substring(sep + 3);
            switch (scheme) {
                case "tcp", "mqtt" -> tls = false;
                case "ssl", "mqtts", "tls" -> tls = true;
                default -> throw new IllegalArgumentException("broker '" + text + "': scheme '" + scheme
                        + "' is not supported; use tcp://, ssl://, mqtt:// or mqtts://");
            }
        }
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("broker '" + text + "' has no host name");
        }
        if (rest.contains("/") || rest.contains("?") || rest.contains("@")) {
            throw new IllegalArgumentException("broker '" + text
                    + "': only scheme://host[:port] is accepted (give user and password with -u and -p)");
        }
        URI uri;
        try {
            uri = new URI("x://" + rest);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("broker '" + text + "' is not a valid address: " + e.getReason());
        }
        String host = uri.getHost();
        if (host == null) {
            throw new IllegalArgumentException("broker '" + text + "': cannot read a host name and port from '" + rest
                    + "' (write IPv6 addresses in brackets: tcp://[fd00::1]:1883)");
        }
        int port = uri.getPort();
        if (port == -1) {
            if (rest.endsWith(":")) {
                throw new IllegalArgumentException("broker '" + text + "' ends with ':' but has no port");
            }
            port = tls ? DEFAULT_TLS_PORT : DEFAULT_PORT;
        } else if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("broker '" + text + "': port " + port + " is outside 1..65535");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new BrokerUri(tls, host, port);
    }

    /** The URI Paho expects: tcp:// or ssl://, IPv6 literals in brackets. */
    public String pahoUri() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return (tls ? "ssl://" : "tcp://") + h + ":" + port;
    }

    @Override
    public String toString() {
        return pahoUri();
    }

    /** Whether any of {@code brokers} is reached over TLS. */
    public static boolean anyTls(List<BrokerUri> brokers) {
        for (BrokerUri b : brokers) {
            if (b.tls()) {
                return true;
            }
        }
        return false;
    }
}
