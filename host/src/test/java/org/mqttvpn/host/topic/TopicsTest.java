package org.mqttvpn.host.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.mqttvpn.host.codec.ClassicVectors;

class TopicsTest {
    @Test
    void everyVectorPacketMapsToItsVectorTopic() {
        for (JsonNode f : ClassicVectors.root().get("frames")) {
            Topics topics = new Topics(f.get("topic_prefix").asText());
            byte[] packet = ClassicVectors.hex(f.get("packet_hex"));
            assertThat(topics.forPacket(packet, packet.length)).as(f.get("name").asText()).isEqualTo(f.get("topic").asText());
        }
    }

    @Test
    void ipv4DestinationIsDottedDecimalWithoutLeadingZeros() {
        byte[] p = new byte[20];
        p[0] = 0x45;
        p[16] = 10;
        p[17] = 0;
        p[18] = 1;
        p[19] = (byte) 200;
        assertThat(new Topics("mqttip").forPacket(p, 20)).isEqualTo("mqttip/10.0.1.200");
    }

    @Test
    void theCacheNeverReturnsTheTopicOfAnotherDestination() {
        Topics topics = new Topics("vpn");
        byte[] p = new byte[20];
        p[0] = 0x45;
        for (int i = 0; i < 5000; i++) {
            p[16] = 10;
            p[17] = (byte) (i >> 8);
            p[18] = (byte) i;
            p[19] = (byte) (i * 7);
            String expected = "vpn/10." + ((i >> 8) & 0xff) + "." + (i & 0xff) + "." + ((i * 7) & 0xff);
            assertThat(topics.forPacket(p, 20)).isEqualTo(expected);
        }
    }

    @Test
    void ipv6DestinationIsCanonicalText() {
        byte[] p = new byte[40];
        p[0] = 0x60;
        p[24] = (byte) 0xfd;
        p[39] = 2;
        assertThat(new Topics("mqttip").forPacket(p, 40)).isEqualTo("mqttip/fd00::2");
    }

    @Test
    void ipv6MulticastHasNoTopic() {
        byte[] p = new byte[40];
        p[0] = 0x60;
        p[24] = (byte) 0xff;
        p[25] = 2;
        p[39] = 2; // ff02::2, all routers: a router solicitation's destination
        assertThat(new Topics("mqttip").forPacket(p, 40)).isNull();
    }

    @Test
    void nonIpHasNoTopic() {
        byte[] p = new byte[40];
        p[0] = 0x10;
        assertThat(new Topics("mqttip").forPacket(p, 40)).isNull();
        assertThat(new Topics("mqttip").forPacket(p, 10)).isNull();
    }

    @Test
    void forAddressAndBroadcast() throws Exception {
        Topics t = new Topics("home/vpn");
        assertThat(t.forAddress(InetAddress.getByName("10.0.1.1"))).isEqualTo("home/vpn/10.0.1.1");
        assertThat(t.forAddress(InetAddress.getByName("FD00:0:0:0:0:0:0:1"))).isEqualTo("home/vpn/fd00::1");
        assertThat(t.broadcast()).isEqualTo("home/vpn/255.255.255.255");
    }

    @Test
    void prefixesWithWildcardsOrATrailingSlashAreRefused() {
        assertThatThrownBy(() -> new Topics("a/#")).hasMessageContaining("wildcard");
        assertThatThrownBy(() -> new Topics("a/+/b")).hasMessageContaining("wildcard");
        assertThatThrownBy(() -> new Topics("mqttip/")).hasMessageContaining("ends with '/'");
        assertThatThrownBy(() -> new Topics("")).hasMessageContaining("empty");
    }
}
