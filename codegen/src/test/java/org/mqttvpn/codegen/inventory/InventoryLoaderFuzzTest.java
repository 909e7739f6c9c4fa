package org.mqttvpn.codegen.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Any file given as an inventory either loads or is refused with an {@link InventoryException}
 * whose every problem points into that file (line and column from 1) and says what is wrong and
 * how to fix it. Any other exception or error is a finding.
 *
 * <p>Input: the file's bytes (not necessarily UTF-8, as a user's file may not be). Seeds:
 * {@code InventoryLoaderFuzzTestInputs/} (the example, the golden-file inventory, the SDK
 * check's, and broken ones). In a build it fuzzes for {@code fuzz.seconds}; {@code ci/fuzz} runs
 * it longer.
 */
class InventoryLoaderFuzzTest {
    private static final Path DIRECTORY;
    private static final Map<String, String> ENVIRONMENT = Map.of(
            "MQTT_PASSWORD", "broker secret", "WIFI_PASSWORD", "wifi secret", "OTA_PASSWORD", "ota secret",
            "AP_PASSWORD", "ap secret", "VPN_KEY", "a long random password");

    static {
        try {
            DIRECTORY = Files.createTempDirectory("inventory-fuzz");
            DIRECTORY.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest
    void loadsOrSaysWhereAndHowToFix(byte[] file) throws IOException {
        Path inventory = DIRECTORY.resolve("network.yaml");
        Files.write(inventory, file);
        try {
            Inventory loaded = InventoryLoader.load(inventory, ENVIRONMENT, InventoryLoader.MissingKey.TO_BE_GENERATED);
            assertThat(loaded).isNotNull();
        } catch (InventoryException e) {
            assertThat(e.problems()).isNotEmpty();
            for (Problem p : e.problems()) {
                assertThat(p.where().file()).as(p.toString()).startsWith(DIRECTORY.toString());
                assertThat(p.where().line()).as(p.toString()).isPositive();
                assertThat(p.where().column()).as(p.toString()).isPositive();
                assertThat(p.what()).as(p.toString()).isNotBlank();
                assertThat(p.fix()).as(p.toString()).isNotBlank();
            }
        }
    }
}
