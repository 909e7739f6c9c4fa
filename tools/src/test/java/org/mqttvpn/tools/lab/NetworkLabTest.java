package org.mqttvpn.tools.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mqttvpn.tools.cli.ExitCode;
import org.mqttvpn.tools.cli.ToolkitException;

class NetworkLabTest {
    @Test
    void withoutRootItSaysSoAndExitsWithThePermissionCode() {
        assertThatThrownBy(() -> NetworkLab.requireRoot("toolkit demo", false))
                .isInstanceOf(ToolkitException.class)
                .hasMessage("toolkit demo needs root: run it with sudo")
                .extracting(e -> ((ToolkitException) e).exitCode()).isEqualTo(ExitCode.PERMISSION);
    }

    @Test
    void closingRemovesEveryNamespaceAndProcessItCreated() throws Exception {
        String name;
        LabProcess sleeper;
        try (NetworkLab lab = NetworkLab.create()) {
            NetworkLab.Node node = lab.addNode("probe");
            name = node.ns().name();
            sleeper = lab.start(node.ns(), "sleeper", List.of("sleep", "600"));
            assertThat(Shell.check(List.of("ip", "netns", "list"))).contains(name);
            assertThat(node.ns().run(10, "ping", "-c", "1", "-W", "2", node.brokerAddress()).ok())
                    .as("the node reaches the broker namespace").isTrue();
        }
        assertThat(Shell.check(List.of("ip", "netns", "list"))).doesNotContain(name);
        assertThat(sleeper.isAlive()).isFalse();
    }
}
