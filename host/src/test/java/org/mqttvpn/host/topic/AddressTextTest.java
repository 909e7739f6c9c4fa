package org.mqttvpn.host.topic;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressTextTest {
    @ParameterizedTest
    @CsvSource({
        "fd00:0:0:0:0:0:0:2, fd00::2",
        "0:0:0:0:0:0:0:1, ::1",
        "0:0:0:0:0:0:0:0, ::",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",   // first of two equal runs
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1", // a single zero group stays
        "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",          // the longer run wins
        "FE80:0:0:0:ABCD:0:0:1, fe80::abcd:0:0:1",
        "1:0:0:0:0:0:0:0, 1::",
        "2001:DB8:0:0:0:0:2:1, 2001:db8::2:1",
        "10.0.1.2, 10.0.1.2",
        "255.255.255.255, 255.255.255.255",
    })
    void writesRfc5952CanonicalTextAndDottedDecimal(String in, String expected) throws Exception {
        assertThat(AddressText.of(InetAddress.getByName(in))).isEqualTo(expected);
    }
}
