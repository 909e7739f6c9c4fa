package org.mqttvpn.tools.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mqttvpn.tools.CommandRun;
import org.mqttvpn.tools.lab.NetworkLab;
import org.mqttvpn.tools.lab.Shell;

/** `toolkit demo`, the README's main command, end to end. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DemoSystemTest {
    private static String ourNamespaces() throws Exception {
        return String.join("\n", Shell.check(List.of("ip", "netns", "list")).lines()
                .filter(l -> l.startsWith(NetworkLab.PREFIX + ProcessHandle.current().pid() + "-")).toList());
    }

    @Test
    void theDemoShowsAHostAndAVirtualDeviceWorkingAndLeavesNothingBehind() throws Exception {
        CommandRun r = CommandRun.of("demo", "--size", "1");
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("ping v4     5/5 replies").contains("ping v6     5/5 replies")
                .contains("web page    http://10.0.1.2/").contains("SHA-256 equal")
                .containsPattern("update      [0-9.]+ MB through the tunnel in [0-9.]+ s \\(toolkit ota\\); the device runs"
                        + " version \\S+ from slot b")
                .contains("demo OK");
        assertThat(ourNamespaces()).isEmpty();
    }

    @Test
    void theTwoHostDemoWorksToo() throws Exception {
        CommandRun r = CommandRun.of("demo", "--two-hosts", "--size", "1");
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("host A").contains("host B").contains("equal at both ends").contains("demo OK");
        assertThat(ourNamespaces()).isEmpty();
    }
}
