package org.mqttvpn.host.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BrokerOrderTest {
    @Test
    void readsTheWordsUsersWrite() {
        assertThat(BrokerOrder.parse("in-order")).isEqualTo(BrokerOrder.IN_ORDER);
        assertThat(BrokerOrder.parse("random")).isEqualTo(BrokerOrder.RANDOM);
        assertThat(BrokerOrder.RANDOM).hasToString("random");
    }

    @Test
    void anUnknownWordListsTheKnownOnes() {
        assertThatThrownBy(() -> BrokerOrder.parse("roundrobin")).hasMessageContaining("'roundrobin'")
                .hasMessageContaining("in-order or random");
    }
}
