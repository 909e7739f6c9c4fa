package org.mqttvpn.host.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which of the node's topics a received frame came on: its topic byte for byte, or as
 * RabbitMQ's MQTT plugin delivers it. That plugin maps an MQTT topic to an AMQP routing key
 * by turning '/' into '.', and back by turning '.' into '/', so every '.' of a topic arrives
 * as '/': a frame published to {@code mqttip/10.0.1.2} comes on {@code mqttip/10/0/1/2}. No
 * setting of the plugin avoids it (3.10 to 4.x). That exact alias of a topic is taken as the
 * topic; nothing else is. The first frame on an alias is said once (one line per connection:
 * the broker may be another one after a reconnect), because the network's nodes of the original
 * MQTT_VPN drop such frames.
 *
 * <p>Matching allocates nothing: the aliases are made once, here.
 */
final class ReadingTopics {
    private static final Logger log = LoggerFactory.getLogger("mqttvpn.broker");

    private final byte[][] topics;
    /** The topics with every '.' made '/'; null where a topic has no '.'. */
    private final byte[][] slashed;
    private final String broker;
    private boolean slashedSeen;

    /** {@code broker} names the connection in the one line said about aliases. */
    ReadingTopics(byte[][] topics, String broker) {
        this.topics = topics;
        this.slashed = new byte[topics.length][];
        this.broker = broker;
        for (int i = 0; i < topics.length; i++) {
            byte[] alias = slashed(topics[i]);
            slashed[i] = Arrays.equals(alias, topics[i]) ? null : alias;
        }
    }

    /** A topic as RabbitMQ delivers it. */
    static byte[] slashed(byte[] topic) {
        byte[] alias = topic.clone();
        for (int i = 0; i < alias.length; i++) {
            if (alias[i] == '.') {
                alias[i] = '/';
            }
        }
        return alias;
    }

    /**
     * The index of the topic {@code buf[at .. at + length)} is, or of the topic it is the alias
     * of; -1 for any other. Called on the thread that reads the socket, one frame at a time.
     */
    int indexOf(byte[] buf, int at, int length) {
        for (int i = 0; i < topics.length; i++) {
            byte[] t = topics[i];
            if (Arrays.equals(t, 0, t.length, buf, at, at + length)) {
                return i;
            }
        }
        for (int i = 0; i < slashed.length; i++) {
            byte[] t = slashed[i];
            if (t != null && Arrays.equals(t, 0, t.length, buf, at, at + length)) {
                if (!slashedSeen) {
                    slashedSeen = true;
                    log.warn("frames from broker {} arrive on {}, not {}: the broker turns the '.' of topics into '/'"
                            + " (RabbitMQ's MQTT plugin does, and no setting of it avoids that); they are taken as {},"
                            + " but nodes of the original MQTT_VPN drop them", broker, new String(t, StandardCharsets.UTF_8),
                            new String(topics[i], StandardCharsets.UTF_8), new String(topics[i], StandardCharsets.UTF_8));
                }
                return i;
            }
        }
        return -1;
    }
}
