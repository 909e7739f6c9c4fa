package org.mqttvpn.host.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Test;

/** The one line the daemon logs when the broker cannot be reached: what happened, what to check. */
class BrokerLinkDescribeTest {
    private static MqttException wrapping(Throwable cause) {
        return new MqttException(MqttException.REASON_CODE_SERVER_CONNECT_ERROR, cause);
    }

    @Test
    void refusedConnectionsPointAtTheBrokerAddress() {
        assertThat(BrokerLink.describe(wrapping(new ConnectException("Connection refused"))))
                .contains("connection refused").contains("-b");
    }

    @Test
    void unknownHostsNameTheHost() {
        assertThat(BrokerLink.describe(wrapping(new UnknownHostException("brokr.local"))))
                .contains("unknown host brokr.local").contains("-b");
    }

    @Test
    void untrustedCertificatesPointAtCafile() {
        assertThat(BrokerLink.describe(wrapping(new SSLHandshakeException("PKIX path building failed"))))
                .contains("TLS handshake failed").contains("--cafile");
    }

    @Test
    void refusedCredentialsPointAtUserAndPassword() {
        assertThat(BrokerLink.describe(new MqttException(MqttException.REASON_CODE_FAILED_AUTHENTICATION)))
                .contains("-u/-p");
        assertThat(BrokerLink.describe(new MqttException(MqttException.REASON_CODE_NOT_AUTHORIZED)))
                .contains("-u/-p");
    }

    @Test
    void timeoutsSayWhatToCheck() {
        assertThat(BrokerLink.describe(new MqttException(MqttException.REASON_CODE_CLIENT_TIMEOUT)))
                .contains("no answer in time").contains("firewall");
    }
}
