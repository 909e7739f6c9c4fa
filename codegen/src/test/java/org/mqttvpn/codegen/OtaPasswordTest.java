package org.mqttvpn.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqttvpn.codegen.inventory.Device;
import org.mqttvpn.codegen.inventory.Inventory;
import org.mqttvpn.codegen.inventory.InventoryLoader;
import org.mqttvpn.codegen.inventory.SecretValue;

/**
 * Updates through the VPN in the inventory: which password each device gets (its own, the
 * network's, none), {@code generate}, and what gen renders for each platform with them on and
 * off.
 */
class OtaPasswordTest {
    @TempDir
    Path dir;

    private final Map<String, String> env = new HashMap<>(Map.of("WIFI_PASSWORD", "wifi password",
            "NET_OTA", "network ota password", "OWN_OTA", "own ota password"));

    /** One device of each platform, plus a second host-sim; network and device lines given. */
    private Path inventory(String networkLines, String esp8266Lines, String esp32Lines, String simLines) throws IOException {
        Path file = dir.resolve("network.yaml");
        Files.writeString(file, """
                network:
                  name: lab
                  subnet: 10.0.1.0/24
                  broker: mqtt://broker.local
                  key: none
                """ + networkLines + """
                devices:
                  - name: sensor
                    platform: esp8266-arduino
                    address: 10.0.1.10
                    wifi: {ssid: lab, password: env:WIFI_PASSWORD}
                    app: webserver
                """ + esp8266Lines + """
                  - name: gw
                    platform: esp32-idf
                    target: esp32c3
                    address: 10.0.1.11
                    wifi: {ssid: lab, password: env:WIFI_PASSWORD}
                """ + esp32Lines + """
                  - name: sim
                    platform: host-sim
                    address: 10.0.1.12
                """ + simLines + """
                  - name: sim-plain
                    platform: host-sim
                    address: 10.0.1.13
                """);
        return file;
    }

    private Inventory load(Path file) {
        return InventoryLoader.load(file, env, InventoryLoader.MissingKey.TO_BE_GENERATED);
    }

    private static String password(Inventory inv, String device) {
        Device d = inv.device(device).orElseThrow();
        return inv.otaPassword(d).map(SecretValue::value).orElse(null);
    }

    private Gen.Result gen(Path file, boolean dryRun) throws IOException {
        Path component = dir.resolve("mqtt_vpn-test.zip");
        if (!Files.exists(component)) {
            Workspace.writeComponent(component);
        }
        return Gen.run(new Gen.Request(file, env, null, dir.resolve("out"), component, dryRun));
    }

    private String out(String path) throws IOException {
        return Files.readString(dir.resolve("out").resolve(path));
    }

    static String md5Hex(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theNetworksPasswordIsEveryDevicesUnlessItHasItsOwnOrOtaFalse() throws IOException {
        Files.writeString(dir.resolve("sim.ota"), "file ota password\nnot this line\n");
        Inventory inv = load(inventory("  ota_password: env:NET_OTA\n", "    ota_password: env:OWN_OTA\n",
                "    ota: false\n", "    ota_password: file:sim.ota\n"));
        assertThat(password(inv, "sensor")).isEqualTo("own ota password");
        assertThat(password(inv, "gw")).isNull();
        assertThat(inv.otaPassword(inv.device("gw").orElseThrow())).isEmpty();
        assertThat(password(inv, "sim")).isEqualTo("file ota password");
        assertThat(password(inv, "sim-plain")).isEqualTo("network ota password");
    }

    @Test
    void withoutAnOtaPasswordUpdatesAreOffAndNothingOfThemIsRendered() throws Exception {
        Inventory inv = load(inventory("", "", "", ""));
        for (Device d : inv.devices()) {
            assertThat(inv.otaPassword(d)).as(d.name().value()).isEmpty();
        }
        Gen.Result r = gen(dir.resolve("network.yaml"), false);
        assertThat(r.otaPasswordsGenerated()).isEmpty();
        for (String f : List.of("sensor/sensor.ino", "sensor/mqtt_vpn_config.h", "gw/main/main.c",
                "gw/main/mqtt_vpn_config.h", "gw/sdkconfig.defaults", "sim/run.sh")) {
            assertThat(out(f)).as(f).doesNotContainIgnoringCase("ota");
        }
        assertThat(out("gw/sdkconfig.defaults")).contains("CONFIG_PARTITION_TABLE_SINGLE_APP_LARGE=y");
        assertThat(dir.resolve("out/gw/partitions.csv")).doesNotExist();
        assertThat(dir.resolve("out/sim/ota.password")).doesNotExist();
    }

    @Test
    void withAnOtaPasswordEachPlatformGetsItsPiecesAndOnlyTheDevicesWithOneDo() throws Exception {
        gen(inventory("  ota_password: env:NET_OTA\n", "", "", "    ota: false\n"), false);
        // ESP8266: the library's receiver with the password's MD5 on port 8266, not ArduinoOTA,
        // whose transfer blocks loop() while the library serves the VPN only after loop() returns
        String sketch = out("sensor/sensor.ino");
        assertThat(sketch).contains("config.otaPasswordMd5 = MQTTVPN_CFG_OTA_PASSWORD_MD5;",
                "config.otaPort = MQTTVPN_CFG_OTA_PORT;");
        assertThat(sketch.indexOf("config.otaPasswordMd5")).as("set before begin()").isLessThan(sketch.indexOf("vpn.begin(config)"));
        assertThat(sketch).doesNotContain("ArduinoOTA").doesNotContain("config.otaPassword =");
        String header = out("sensor/mqtt_vpn_config.h");
        assertThat(header).contains("#define MQTTVPN_CFG_OTA_PORT 8266\n",
                "#define MQTTVPN_CFG_OTA_PASSWORD_MD5 \"" + md5Hex("network ota password") + "\"\n");
        assertThat(header + sketch).as("the ESP8266 firmware holds the MD5, not the password")
                .doesNotContain("network ota password");
        // ESP-IDF: the component's fields, two app slots, rollback
        assertThat(out("gw/main/mqtt_vpn_config.h")).contains("#define MQTTVPN_CFG_OTA_PASSWORD \"network ota password\"\n",
                "#define MQTTVPN_CFG_OTA_ROLLBACK_TIMEOUT_MS 120000\n");
        assertThat(out("gw/main/main.c")).contains("config.ota_password = MQTTVPN_CFG_OTA_PASSWORD;",
                "config.ota_rollback_timeout_ms = MQTTVPN_CFG_OTA_ROLLBACK_TIMEOUT_MS;");
        assertThat(out("gw/sdkconfig.defaults")).contains("CONFIG_PARTITION_TABLE_CUSTOM=y\n",
                "CONFIG_PARTITION_TABLE_CUSTOM_FILENAME=\"partitions.csv\"\n", "CONFIG_ESPTOOLPY_FLASHSIZE_4MB=y\n",
                "CONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE=y\n").doesNotContain("SINGLE_APP");
        assertThat(out("gw/partitions.csv").lines().filter(l -> !l.startsWith("#")).map(l -> l.split(",")[0].trim()))
                .containsExactly("nvs", "otadata", "phy_init", "ota_0", "ota_1");
        // host-sim: the password in a file beside run.sh, passed by path; its slots outside the
        // directory gen replaces
        String run = out("sim-plain/run.sh");
        assertThat(run).contains("state=\"$here/../.state/sim-plain\"\n", "mkdir -p \"$state\"\n",
                "  --state-dir \"$state\" \\\n", "  --ota-password-file \"$here/ota.password\" \\\n")
                .doesNotContain("network ota password");
        assertThat(out("sim-plain/ota.password")).isEqualTo("network ota password\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("out/sim-plain/ota.password"))))
                .isEqualTo("rw-------");
        // ota: false on the other virtual device
        assertThat(out("sim/run.sh")).doesNotContain("--ota-password-file").doesNotContain("--state-dir");
        assertThat(dir.resolve("out/sim/ota.password")).doesNotExist();
    }

    @Test
    void aVirtualDevicesUpdatedProgramSurvivesTheNextGen() throws Exception {
        Path file = inventory("  ota_password: env:NET_OTA\n", "", "", "");
        gen(file, false);
        // where run.sh keeps the device's slots (state="$here/..."), with an updated program in it
        Matcher m = Pattern.compile("\nstate=\"\\$here/([^\"]+)\"\n").matcher(out("sim/run.sh"));
        assertThat(m.find()).as(out("sim/run.sh")).isTrue();
        Path state = dir.resolve("out/sim").resolve(m.group(1)).normalize();
        Files.createDirectories(state);
        Files.writeString(state.resolve("slot-b"), "the updated program");
        gen(file, false);
        assertThat(state.resolve("slot-b")).hasContent("the updated program");
        assertThat(dir.resolve("out/sim/run.sh")).exists();
    }

    @Test
    void aGeneratedPasswordIsMadeOncePerFileKeptBesideTheInventoryAndReused() throws Exception {
        Path file = inventory("  ota_password: generate\n", "    ota_password: generate\n", "", "");
        Gen.Result dry = gen(file, true);
        Path network = dir.resolve("lab.ota-password");
        Path own = dir.resolve("lab.sensor.ota-password");
        assertThat(dry.otaPasswordsGenerated()).containsExactlyInAnyOrder(network, own);
        assertThat(dry.plan()).extracting(Gen.Planned::path).contains(network.toString(), own.toString());
        assertThat(network).as("a dry run writes nothing").doesNotExist();

        Gen.Result first = gen(file, false);
        assertThat(first.otaPasswordsGenerated()).containsExactlyInAnyOrder(network, own);
        String shared = Files.readString(network);
        String sensors = Files.readString(own);
        assertThat(shared).matches("[0-9a-f]{64}\n");
        assertThat(sensors).matches("[0-9a-f]{64}\n").isNotEqualTo(shared);
        for (Path p : List.of(network, own)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).isEqualTo("rw-------");
        }
        assertThat(out("gw/main/mqtt_vpn_config.h")).contains("\"" + shared.trim() + "\"");
        assertThat(out("sim/ota.password")).isEqualTo(shared);
        assertThat(out("sim-plain/ota.password")).isEqualTo(shared);
        assertThat(out("sensor/mqtt_vpn_config.h")).contains("\"" + md5Hex(sensors.trim()) + "\"");

        Inventory inv = load(file);
        assertThat(password(inv, "sim")).as("read back by later commands").isEqualTo(shared.trim());
        assertThat(inv.generatedOtaPasswordFile(inv.device("sensor").orElseThrow())).isEqualTo(own);
        assertThat(gen(file, false).otaPasswordsGenerated()).as("made once, then reused").isEmpty();
        assertThat(Files.readString(network)).isEqualTo(shared);
        assertThat(out("sim/ota.password")).isEqualTo(shared);
    }

    @Test
    void aGeneratedPasswordThatNoDeviceUsesIsNotMade() throws Exception {
        Path file = inventory("  ota_password: generate\n", "    ota: false\n", "    ota: false\n", "    ota: false\n")
                .resolveSibling("network.yaml");
        Files.writeString(file, Files.readString(file).replace("  - name: sim-plain\n    platform: host-sim\n"
                + "    address: 10.0.1.13\n", ""));
        assertThat(gen(file, false).otaPasswordsGenerated()).isEmpty();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".ota-password"));
        }
    }
}
