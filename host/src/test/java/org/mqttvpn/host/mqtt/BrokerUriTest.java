package org.mqttvpn.host.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BrokerUriTest {
    @ParameterizedTest
    @CsvSource({
        "tcp://broker.io:1883, tcp://broker.io:1883",
        "tcp://broker.io, tcp://broker.io:1883",
        "mqtt://broker.io, tcp://broker.io:1883",
        "ssl://broker.io, ssl://broker.io:8883",
        "mqtts://broker.io:9999, ssl://broker.io:9999",
        "broker.io:1884, tcp://broker.io:1884",
        "broker.io, tcp://broker.io:1883",
        "TCP://10.0.0.1:1883/, tcp://10.0.0.1:1883",
        "'tcp://[fd00::1]:1883', 'tcp://[fd00::1]:1883'",
        "'mqtts://[::1]', 'ssl://[::1]:8883'",
    })
    void acceptsTheOriginalsFormsAndTheAliases(String in, String paho) {
        assertThat(BrokerUri.parse(in).pahoUri()).isEqualTo(paho);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ws://broker.io | scheme 'ws' is not supported",
        "tcp:// | has no host name",
        "tcp://broker.io:0 | outside 1..65535",
        "tcp://user:pw@broker.io | -u and -p",
        "tcp://broker.io:1883/topic | only scheme://host[:port]",
        "tcp://fd00::1:1883 | brackets",
    })
    void refusesWhatItCannotUseAndSaysWhy(String in, String message) {
        assertThatThrownBy(() -> BrokerUri.parse(in)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest
    @CsvSource({"''", "'   '"})
    void refusesAnEmptyAddress(String in) {
        assertThatThrownBy(() -> BrokerUri.parse(in)).hasMessageContaining("empty");
    }
}
