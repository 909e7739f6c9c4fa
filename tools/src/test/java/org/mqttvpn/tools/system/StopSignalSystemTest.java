package org.mqttvpn.tools.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mqttvpn.tools.lab.LabProcess;
import org.mqttvpn.tools.lab.Shell;
import org.mqttvpn.tools.sim.SimBinary;

/**
 * The documented exit status of a stop: {@code toolkit vpn}, the virtual device and
 * {@code toolkit sim} (which runs it) end with 0 on SIGTERM ({@code systemctl stop}) and SIGINT
 * (Ctrl-C), after their clean shutdown. Real processes in namespaces, signalled with kill(1).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class StopSignalSystemTest {
    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"TERM", "INT"})
    void aStopSignalEndsTheDaemonAfterItsCleanShutdownWithStatusZero(String signal) throws Exception {
        try (TunnelLab t = new TunnelLab().withMosquitto()) {
            Daemon a = t.startA();
            assertThat(exitAfter(a.process, signal)).as(a.process.log()).isZero();
            assertThat(a.process.log()).contains("interface mq0 removed; counters tx_packets=");
            Shell.Result link = t.a.ns().run(10, "ip", "link", "show", "mq0");
            assertThat(link.exitCode()).as("mq0 is gone: %s", link.output()).isNotZero();
            assertThat(t.broker.log()).contains("disconnected.").doesNotContain("closed its connection");
        }
    }

    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"TERM", "INT"})
    void aStopSignalEndsTheVirtualDeviceAndToolkitSimWithStatusZero(String signal) throws Exception {
        try (TunnelLab t = new TunnelLab().withMosquitto()) {
            // the C program alone
            LabProcess device = t.lab.start(t.b.ns(), "sim-program", List.of(SimBinary.locate().toString(),
                    "--broker", t.b.brokerUri(TunnelLab.PORT), "--address", "10.0.1.3"));
            device.awaitLog("connected to broker", 20_000);
            assertThat(exitAfter(device, signal)).as(device.log()).isZero();
            assertThat(device.log()).contains("stopping on SIG" + signal);
            // and through toolkit sim, which receives the signal and must pass the device's 0 on
            LabProcess sim = DeviceSystemTest.startDevice(t, t.b, "toolkit-sim", "10.0.1.2", "fd00::2").process();
            assertThat(exitAfter(sim, signal)).as(sim.log()).isZero();
            assertThat(sim.log()).contains("stopping on SIGTERM"); // toolkit sim stops the device with SIGTERM
        }
    }

    private static int exitAfter(LabProcess p, String signal) throws Exception {
        p.signal(signal);
        assertThat(p.process().waitFor(15, TimeUnit.SECONDS)).as("%s ends on SIG%s:\n%s", p.name(), signal, p.log()).isTrue();
        return p.process().exitValue();
    }
}
