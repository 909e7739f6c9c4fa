package org.mqttvpn.tools.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mqttvpn.tools.lab.LabProcess;
import org.mqttvpn.tools.lab.Ping;
import org.mqttvpn.tools.lab.Shell;

/**
 * TLS to the broker: verified against --cafile, refused without it (the original accepted
 * any certificate silently), accepted with --insecure only with a warning. mosquitto serves
 * a certificate from a CA made by the test, for the broker's veth addresses only.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TlsSystemTest {
    private static final int TLS_PORT = 8883;
    private static TunnelLab t;
    private static Path ca;
    private static Path otherCa;

    @BeforeAll
    static void brokerWithACertificate() throws Exception {
        t = new TunnelLab();
        Path dir = t.lab.dir();
        ca = dir.resolve("ca.pem");
        otherCa = dir.resolve("other-ca.pem");
        Path caKey = dir.resolve("ca.key");
        Path key = dir.resolve("server.key");
        Path csr = dir.resolve("server.csr");
        Path cert = dir.resolve("server.pem");
        Path ext = dir.resolve("san.ext");
        String ec = "ec:" + dir.resolve("p256.pem");
        Shell.check(List.of("openssl", "ecparam", "-name", "prime256v1", "-out", dir.resolve("p256.pem").toString()));
        Shell.check(List.of("openssl", "req", "-x509", "-newkey", ec, "-nodes", "-keyout", caKey.toString(), "-out", ca.toString(),
                "-days", "2", "-subj", "/CN=mqttvpn test CA"));
        Shell.check(List.of("openssl", "req", "-x509", "-newkey", ec, "-nodes", "-keyout", dir.resolve("other.key").toString(),
                "-out", otherCa.toString(), "-days", "2", "-subj", "/CN=some other CA"));
        Shell.check(List.of("openssl", "req", "-newkey", ec, "-nodes", "-keyout", key.toString(), "-out", csr.toString(),
                "-subj", "/CN=broker"));
        // Valid for the addresses the nodes use to reach the broker, nothing else.
        Files.writeString(ext, "subjectAltName=IP:" + t.a.brokerAddress() + ",IP:" + t.b.brokerAddress() + "\n");
        Shell.check(List.of("openssl", "x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey", caKey.toString(),
                "-CAcreateserial", "-out", cert.toString(), "-days", "2", "-extfile", ext.toString()));
        Path conf = dir.resolve("mosquitto-tls.conf");
        Files.writeString(conf, String.join("\n", "listener " + TLS_PORT, "certfile " + cert, "keyfile " + key,
                "allow_anonymous true", "persistence false", "set_tcp_nodelay true", "log_dest stderr",
                // started as root, mosquitto would switch to its own user, who cannot read the lab directory
                "user root", ""));
        t.broker = t.lab.start(t.lab.broker(), "mosquitto-tls", List.of(org.mqttvpn.tools.lab.NetworkLab.mosquittoPath(),
                "-c", conf.toString()));
        t.lab.awaitListening(t.lab.broker(), TLS_PORT, t.broker);
    }

    @AfterAll
    static void cleanUp() {
        if (t != null) {
            t.close();
        }
    }

    private static LabProcess daemon(String name, org.mqttvpn.tools.lab.NetworkLab.Node node, String address, String... extra)
            throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("vpn", "-i", "mq0", "-a", address,
                "-b", "mqtts://" + node.brokerAddress() + ":" + TLS_PORT, "-k", "tls test key"));
        args.addAll(List.of(extra));
        return t.lab.startToolkit(node.ns(), name, args);
    }

    @Test
    void withItsCaTheBrokerIsVerifiedAndTheTunnelWorks() throws Exception {
        LabProcess a = daemon("tls-a", t.a, "10.0.1.1", "--cafile", ca.toString());
        LabProcess b = daemon("tls-b", t.b, "10.0.1.2", "--cafile", ca.toString());
        try {
            a.awaitLog("connected to broker ssl://", 20_000);
            b.awaitLog("connected to broker ssl://", 20_000);
            Ping.Result p = Ping.run(t.a.ns(), "10.0.1.2", 3, 0.2);
            assertThat(p.allAnswered()).as(p.output()).isTrue();
            assertThat(a.log()).doesNotContain("WARN");
        } finally {
            a.stop(10_000);
            b.stop(10_000);
        }
    }

    @Test
    void withoutTheCaTheBrokerIsRefusedAndTheDaemonSaysWhatToDo() throws Exception {
        LabProcess a = daemon("tls-unverified", t.a, "10.0.1.1");
        try {
            a.awaitLog("TLS handshake failed", 20_000);
            assertThat(a.log()).contains("--cafile").doesNotContain("connected to broker");
            assertThat(a.isAlive()).as("a refused broker does not end the daemon").isTrue();
        } finally {
            a.stop(10_000);
        }
    }

    @Test
    void aCertificateFromAnotherCaIsRefused() throws Exception {
        LabProcess a = daemon("tls-other-ca", t.a, "10.0.1.1", "--cafile", otherCa.toString());
        try {
            a.awaitLog("TLS handshake failed", 20_000);
            assertThat(a.log()).doesNotContain("connected to broker");
        } finally {
            a.stop(10_000);
        }
    }

    @Test
    void insecureConnectsButWarns() throws Exception {
        LabProcess a = daemon("tls-insecure", t.a, "10.0.1.1", "--insecure");
        try {
            a.awaitLog("connected to broker ssl://", 20_000);
            assertThat(a.log()).contains("WARN").contains("TLS certificate verification is OFF (--insecure)");
        } finally {
            a.stop(10_000);
        }
    }
}
