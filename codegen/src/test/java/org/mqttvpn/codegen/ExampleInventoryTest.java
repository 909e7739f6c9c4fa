package org.mqttvpn.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqttvpn.codegen.inventory.Inventory;
import org.mqttvpn.codegen.inventory.InventoryLoader;

/** The example toolkit init writes is a valid inventory, with exactly the variables its comments name. */
class ExampleInventoryTest {
    @TempDir
    Path dir;

    @Test
    void theExampleValidatesAndRendersWithTheVariablesItDocuments() throws IOException {
        Path file = dir.resolve("network.yaml");
        try (InputStream in = getClass().getResourceAsStream("/example/network.yaml")) {
            Files.copy(in, file);
        }
        String text = Files.readString(file);
        Map<String, String> env = Map.of("MQTT_PASSWORD", "p", "WIFI_PASSWORD", "wifi password", "AP_PASSWORD", "ap password");
        for (String variable : env.keySet()) {
            assertThat(text).contains("export " + variable + "=");
        }
        Inventory inv = InventoryLoader.load(file, env, InventoryLoader.MissingKey.TO_BE_GENERATED);
        assertThat(inv.hosts()).hasSize(1);
        assertThat(inv.devices()).extracting(d -> d.platform().value().id())
                .containsExactly("esp8266-arduino", "esp32-idf", "host-sim");
        Workspace w = Workspace.of(dir.resolve("ws"), "full");
        Gen.Result r = Gen.run(new Gen.Request(file, env, null, dir.resolve("out"), w.component(), false));
        assertThat(r.keyGenerated()).isTrue();
        assertThat(r.otaPasswordsGenerated()).containsExactly(dir.resolve("home.ota-password"));
        assertThat(text).contains("home.ota-password");
        assertThat(dir.resolve("out/gateway-1/main/main.c")).exists();
        assertThat(dir.resolve("out/gateway-1/partitions.csv")).exists();
    }
}
