package org.mqttvpn.host.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ReadingTopicsTest {
    private final Logger brokerLog = (Logger) LoggerFactory.getLogger("mqttvpn.broker");
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void captureTheBrokerLog() {
        logged.start();
        brokerLog.addAppender(logged);
    }

    @AfterEach
    void release() {
        brokerLog.detachAppender(logged);
    }

    private static ReadingTopics of(String... topics) {
        byte[][] bytes = new byte[topics.length][];
        for (int i = 0; i < topics.length; i++) {
            bytes[i] = topics[i].getBytes(StandardCharsets.UTF_8);
        }
        return new ReadingTopics(bytes, "tcp://rabbit:1883");
    }

    /** The topic inside a larger buffer, as the splitter holds it. */
    private static int indexOf(ReadingTopics t, String topic) {
        byte[] b = ("xx" + topic + "yy").getBytes(StandardCharsets.UTF_8);
        return t.indexOf(b, 2, b.length - 4);
    }

    private List<String> warnings() {
        return logged.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void topicsMatchByteForByte() {
        ReadingTopics t = of("mqttip/10.0.1.1", "mqttip/255.255.255.255", "mqttip/fd00::1");
        assertThat(indexOf(t, "mqttip/10.0.1.1")).isZero();
        assertThat(indexOf(t, "mqttip/255.255.255.255")).isEqualTo(1);
        assertThat(indexOf(t, "mqttip/fd00::1")).isEqualTo(2);
        assertThat(warnings()).isEmpty();
    }

    @Test
    void aTopicAsRabbitMqDeliversItIsThatTopicAndSaidOnce() {
        ReadingTopics t = of("mqttip/10.0.1.1", "mqttip/255.255.255.255");
        assertThat(indexOf(t, "mqttip/10/0/1/1")).isZero();
        assertThat(indexOf(t, "mqttip/255/255/255/255")).isEqualTo(1);
        assertThat(indexOf(t, "mqttip/10/0/1/1")).isZero();
        assertThat(warnings()).singleElement().satisfies(w -> assertThat(w)
                .contains("tcp://rabbit:1883", "mqttip/10/0/1/1", "mqttip/10.0.1.1", "RabbitMQ", "original MQTT_VPN"));
    }

    @Test
    void onlyThatExactAliasIsTaken() {
        ReadingTopics t = of("mqttip/10.0.1.1", "mqttip/fd00::1");
        for (String other : List.of("mqttip/10/0/1.1", "mqttip/10.0/1/1", "mqttip/10/0/1/2", "mqttip/10/0/1/11",
                "mqttip/10/0/1/", "mqttip/10/0/1", "mqttip.10.0.1.1", "mqttip.10/0/1/1", "other/10/0/1/1",
                "mqttip/fd00::1/", "mqttip/fd00::2", "")) {
            assertThat(indexOf(t, other)).as(other).isEqualTo(-1);
        }
        assertThat(warnings()).isEmpty();
    }

    @Test
    void theAliasCoversAPrefixWithDots() {
        ReadingTopics t = of("site.vpn/10.0.1.1");
        assertThat(indexOf(t, "site/vpn/10/0/1/1")).isZero();
        assertThat(indexOf(t, "site.vpn/10/0/1/1")).isEqualTo(-1); // half turned: no broker delivers that
        assertThat(indexOf(t, "site/vpn/10.0.1.1")).isEqualTo(-1);
    }
}
