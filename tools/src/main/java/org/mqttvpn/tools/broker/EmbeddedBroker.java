package org.mqttvpn.tools.broker;

import io.moquette.BrokerConstants;
import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import java.io.Closeable;
import java.io.IOException;
import java.net.BindException;
import java.util.Properties;

/**
 * Moquette, configured for a VPN's switch: anonymous, in memory (nothing written to disk),
 * no telemetry, frames up to 64 KiB. For a machine that has no MQTT broker.
 */
public final class EmbeddedBroker implements Closeable {
    private final Server server = new Server();
    private final String bind;
    private final int port;
    private boolean running;

    public EmbeddedBroker(String bind, int port) {
        this.bind = bind;
        this.port = port;
    }

    public EmbeddedBroker start() throws IOException {
        Properties p = new Properties();
        p.setProperty(BrokerConstants.HOST_PROPERTY_NAME, bind);
        p.setProperty(BrokerConstants.PORT_PROPERTY_NAME, Integer.toString(port));
        p.setProperty(BrokerConstants.WEB_SOCKET_PORT_PROPERTY_NAME, BrokerConstants.DISABLED_PORT_BIND);
        p.setProperty(BrokerConstants.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
        p.setProperty(BrokerConstants.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
        p.setProperty(BrokerConstants.ENABLE_TELEMETRY_NAME, "false");
        p.setProperty(BrokerConstants.NETTY_MAX_BYTES_PROPERTY_NAME, "65536");
        p.setProperty(BrokerConstants.NETTY_TCP_NODELAY_PROPERTY_NAME, "true");
        p.setProperty(BrokerConstants.IMMEDIATE_BUFFER_FLUSH_PROPERTY_NAME, "true");
        try {
            server.startServer(new MemoryConfig(p));
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof BindException) {
                    throw new IOException("cannot listen on " + bind + ":" + port + ": " + t.getMessage()
                            + " (is another broker running? choose another --port)", e);
                }
            }
            throw new IOException("the embedded broker did not start: " + e.getMessage(), e);
        }
        running = true;
        return this;
    }

    public int port() {
        return server.getPort();
    }

    public String bind() {
        return bind;
    }

    @Override
    public synchronized void close() {
        if (running) {
            running = false;
            server.stopServer();
        }
    }
}
