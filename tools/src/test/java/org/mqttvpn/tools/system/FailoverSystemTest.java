package org.mqttvpn.tools.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mqttvpn.tools.lab.LabProcess;
import org.mqttvpn.tools.lab.Ping;

/**
 * Broker failover, as root in namespaces: two mosquittos (not bridged: a node reaches another
 * only while both are on the same broker), nodes given both. Kill the broker they are on and
 * they move to the other within a bound, and ping works again; bring the first back and,
 * with --broker-return, they go back to it.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class FailoverSystemTest {
    static final int FIRST = TunnelLab.PORT;
    static final int SECOND = TunnelLab.PORT + 1;
    /** From the broker's death to a node's connection to the other: what "within a few seconds" means here. */
    static final long MOVE_BOUND_MS = 5_000;
    static final int RETURN_SECONDS = 2;

    @Test
    void twoHostsMoveToTheSecondBrokerWhenTheFirstDiesAndBackWhenItAnswersAgain() throws Exception {
        try (TunnelLab t = new TunnelLab()) {
            LabProcess first = t.lab.startMosquitto(FIRST);
            t.lab.startMosquitto(SECOND);
            String[] brokers = {"-b", t.a.brokerUri(SECOND), "--broker-return", Integer.toString(RETURN_SECONDS)};
            Daemon a = t.startA(brokers);
            Daemon b = t.startDaemon(t.b, "vpn-b", "10.0.1.2", "fd00::2", "-b", t.b.brokerUri(SECOND),
                    "--broker-return", Integer.toString(RETURN_SECONDS));
            assertThat(a.process.log()).contains("connected to broker " + t.a.brokerUri(FIRST) + " (1 of 2)");
            assertThat(Ping.awaitReply(t.a.ns(), "10.0.1.2", 10)).as("both on the first broker").isTrue();

            long killedAt = System.nanoTime();
            first.kill();
            for (Daemon d : List.of(a, b)) {
                d.process.awaitLog(Pattern.quote("now on broker " + d.node.brokerUri(SECOND) + " (2 of 2)"), MOVE_BOUND_MS);
            }
            long movedMs = (System.nanoTime() - killedAt) / 1_000_000;
            System.out.printf("both hosts on the second broker %d ms after the first died%n", movedMs);
            assertThat(Ping.awaitReply(t.a.ns(), "10.0.1.2", 10)).as("ping through the second broker").isTrue();
            Ping.Result p = Ping.run(t.a.ns(), "fd00::2", 5, 0.2);
            assertThat(p.allAnswered()).as(p.output()).isTrue();

            t.lab.startMosquitto(FIRST);
            long backAt = System.nanoTime();
            for (Daemon d : List.of(a, b)) {
                d.process.awaitLog(Pattern.quote("home broker " + d.node.brokerUri(FIRST) + " answers again: moving back"
                        + " from " + d.node.brokerUri(SECOND)), (RETURN_SECONDS + 10) * 1000L);
                d.process.awaitLog(Pattern.quote("now on broker " + d.node.brokerUri(FIRST) + " (1 of 2) (was "
                        + d.node.brokerUri(SECOND) + ")"), 10_000);
            }
            System.out.printf("both hosts back on the first broker %d ms after it started again%n",
                    (System.nanoTime() - backAt) / 1_000_000);
            assertThat(Ping.awaitReply(t.a.ns(), "10.0.1.2", 10)).as("ping through the first broker again").isTrue();
            p = Ping.run(t.a.ns(), "10.0.1.2", 5, 0.2);
            assertThat(p.allAnswered()).as(p.output()).isTrue();
            assertThat(a.process.isAlive()).isTrue();
            assertThat(b.process.isAlive()).isTrue();
        }
    }

    @Test
    void aHostAndAVirtualDeviceMoveTogetherAndBack() throws Exception {
        try (TunnelLab t = new TunnelLab()) {
            LabProcess first = t.lab.startMosquitto(FIRST);
            t.lab.startMosquitto(SECOND);
            String ret = Integer.toString(RETURN_SECONDS);
            Daemon host = t.startA("-b", t.a.brokerUri(SECOND), "--broker-return", ret);
            DeviceSystemTest.Device dev = DeviceSystemTest.startDevice(t, t.b, "device", "10.0.1.2", "fd00::2",
                    "--broker", t.b.brokerUri(SECOND), "--broker-return", ret);
            assertThat(dev.process().log()).contains("connected to broker " + hostPort(t.b.brokerUri(FIRST)));
            assertThat(Ping.awaitReply(t.a.ns(), "10.0.1.2", 10)).as("both on the first broker").isTrue();

            long killedAt = System.nanoTime();
            first.kill();
            host.process.awaitLog(Pattern.quote("now on broker " + t.a.brokerUri(SECOND) + " (2 of 2)"), MOVE_BOUND_MS);
            dev.process().awaitLog(Pattern.quote("now on broker " + hostPort(t.b.brokerUri(SECOND)) + " (2 of 2)"),
                    MOVE_BOUND_MS);
            System.out.printf("host and device on the second broker %d ms after the first died%n",
                    (System.nanoTime() - killedAt) / 1_000_000);
            assertThat(Ping.awaitReply(t.a.ns(), "10.0.1.2", 10)).as("ping through the second broker").isTrue();
            Ping.Result p = Ping.run(t.a.ns(), "10.0.1.2", 5, 0.2);
            assertThat(p.allAnswered()).as(p.output()).isTrue();

            t.lab.startMosquitto(FIRST);
            long backAt = System.nanoTime();
            host.process.awaitLog(Pattern.quote("now on broker " + t.a.brokerUri(FIRST) + " (1 of 2) (was "), 15_000);
            dev.process().awaitLog(Pattern.quote("now on broker " + hostPort(t.b.brokerUri(FIRST)) + " (1 of 2)"), 15_000);
            System.out.printf("host and device back on the first broker %d ms after it started again%n",
                    (System.nanoTime() - backAt) / 1_000_000);
            assertThat(Ping.awaitReply(t.a.ns(), "10.0.1.2", 10)).as("ping through the first broker again").isTrue();
            p = Ping.run(t.a.ns(), "fd00::2", 5, 0.2);
            assertThat(p.allAnswered()).as(p.output()).isTrue();
            assertThat(dev.process().isAlive()).isTrue();
        }
    }

    /** The device logs brokers as host:port. */
    private static String hostPort(String uri) {
        return uri.substring("tcp://".length());
    }

    @Test
    void withoutReturnAHostStaysOnTheSecondBrokerAfterTheFirstIsBack() throws Exception {
        try (TunnelLab t = new TunnelLab()) {
            LabProcess first = t.lab.startMosquitto(FIRST);
            t.lab.startMosquitto(SECOND);
            Daemon a = t.startA("-b", t.a.brokerUri(SECOND));
            first.kill();
            a.process.awaitLog(Pattern.quote("now on broker " + t.a.brokerUri(SECOND)), MOVE_BOUND_MS);
            t.lab.startMosquitto(FIRST);
            Thread.sleep(4_000);
            assertThat(a.process.log()).doesNotContain("answers again").doesNotContain("now on broker "
                    + t.a.brokerUri(FIRST));
            assertThat(a.process.isAlive()).isTrue();
        }
    }
}
