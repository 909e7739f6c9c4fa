package org.mqttvpn.codegen.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqttvpn.codegen.Workspace;

/** gen with bridge: in the inventory writes each broker's bridge from where the nodes are homed. */
class BridgeFilesTest {
    @TempDir
    Path tmp;

    @Test
    void eachBrokerGetsItsBridgeWithTheAddressesHomedOnEitherSide() throws IOException {
        Workspace w = Workspace.of(tmp, "bridged");
        w.gen();
        Path dir = w.out().resolve("mosquitto.d");
        assertThat(Files.list(dir).map(p -> p.getFileName().toString()).sorted().toList())
                .containsExactly("site-a.example.conf", "site-b.example.conf");

        String hub = Files.readString(dir.resolve("site-a.example.conf"));
        assertThat(hub).contains("\"site-a.example\" is the hub").doesNotContain("connection ");

        String site = Files.readString(dir.resolve("site-b.example.conf"));
        assertThat(site).contains("connection mqttvpn-site-b.example-to-site-a.example",
                "address site-a.example:1883");
        // homed on the hub (site A): the laptop with both its addresses, sim-1
        assertThat(site).contains("topic mqttip/10.0.1.1 out 0", "topic mqttip/fd00:1::1 out 0",
                "topic mqttip/10.0.1.2 out 0");
        // homed here (site B): sim-2 and the NAT target it receives for
        assertThat(site).contains("topic mqttip/10.0.1.3 in 0", "topic mqttip/192.168.4.1 in 0");
        assertThat(site).contains("topic mqttip/255.255.255.255 both 0", "topic mqttip/10.0.1.255 both 0");
        assertThat(site).doesNotContain("mqttip/10.0.1.3 out", "mqttip/10.0.1.1 in", "mqttip/# both");
    }

    @Test
    void mirrorModeCopiesEveryFrame() throws IOException {
        Workspace w = Workspace.of(tmp, "bridged");
        Path inventory = w.inventory();
        Files.writeString(inventory, Files.readString(inventory).replace("bridge: per-address", "bridge: mirror"));
        w.gen();
        String site = Files.readString(w.out().resolve("mosquitto.d/site-b.example.conf"));
        assertThat(site).contains("topic mqttip/# both 0").doesNotContain("topic mqttip/10.0.1.3");
    }

    @Test
    void withoutBridgeNothingIsWrittenForTheBrokers() throws IOException {
        Workspace w = Workspace.of(tmp, "bridged");
        Path inventory = w.inventory();
        Files.writeString(inventory, Files.readString(inventory).replace("  bridge: per-address\n", ""));
        w.gen();
        assertThat(w.out().resolve("mosquitto.d")).doesNotExist();
        assertThat(w.out().resolve("sim-2/run.sh")).exists();
    }

    @Test
    void hostsThatShareTheirFirst30CharactersGetFilesOfTheirOwn() throws IOException {
        Workspace w = Workspace.of(tmp, "bridged");
        Path inventory = w.inventory();
        String longA = "broker-at-the-site-with-a-long-name-a.example";
        String longB = "broker-at-the-site-with-a-long-name-b.example";
        Files.writeString(inventory, Files.readString(inventory).replace("site-a.example", longA)
                .replace("site-b.example", longB));
        w.gen();
        try (var files = Files.list(w.out().resolve("mosquitto.d"))) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactlyInAnyOrder("broker-at-the-site-with-a-long.conf", "broker-at-the-site-with-a-long-1883.conf");
        }
    }
}
