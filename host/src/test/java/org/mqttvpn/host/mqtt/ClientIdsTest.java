package org.mqttvpn.host.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClientIdsTest {
    @Test
    void idsAreTheOriginalsPrefixPlusRandomHexWithinTheMqtt31Limit() {
        String id = ClientIds.random();
        assertThat(id).matches("MQTT_VPN_[0-9a-f]{14}").hasSizeLessThanOrEqualTo(23);
    }

    @Test
    void idsDrawnInTheSameInstantDoNotCollide() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            ids.add(ClientIds.random());
        }
        assertThat(ids).hasSize(100_000);
    }
}
