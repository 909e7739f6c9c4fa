package org.mqttvpn.codegen.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqttvpn.codegen.Workspace;

/**
 * Compiles what gen renders, as far as this machine can:
 * <ul>
 *   <li>each ESP8266 config header with the ESP8266's compiler (xtensa-lx106-elf-gcc -std=c99
 *       -Wall -Wextra -Werror), from a C file that uses every macro it defines, alone and
 *       together with the portable core's headers (no clash of names);</li>
 *   <li>each ESP32 main.c with gcc -fsyntax-only against the mqtt_vpn component's public
 *       headers, Debian's lwIP headers and test-only declarations of the ESP-IDF APIs it
 *       uses (src/test/resources/idf-stubs, see its README);</li>
 *   <li>each sketch (no Arduino core here): every MqttVpn method and MqttVpnConfig field it
 *       uses is declared in MqttVpn.h.</li>
 * </ul>
 */
class CompileChecksTest {
    static final Path REPO = Workspace.repository();
    static final Path STUBS = Path.of("src/test/resources/idf-stubs").toAbsolutePath();

    @TempDir
    Path tmp;

    Workspace w;

    @BeforeEach
    void render() throws IOException {
        w = Workspace.of(tmp.resolve("ws"), "full");
        w.gen();
    }

    record Run(int exitCode, String output) {
    }

    static Run run(Path dir, List<String> command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError(command.get(0) + " is not installed: run sudo ci/deps (" + e.getMessage() + ")", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    private List<Path> generated(String platformPrefix, String file) throws IOException {
        List<Path> found = new ArrayList<>();
        try (var dirs = Files.list(w.out())) {
            for (Path d : dirs.sorted().toList()) {
                if (d.getFileName().toString().startsWith(platformPrefix) && Files.exists(d.resolve(file))) {
                    found.add(d.resolve(file));
                }
            }
        }
        assertThat(found).as("rendered %s/%s", platformPrefix, file).hasSize(4);
        return found;
    }

    /** A C file that uses every MQTTVPN_CFG_ macro of the header, each as the type its value has. */
    static String useEveryMacro(String header, boolean withCore) {
        Matcher m = Pattern.compile("(?m)^#define (MQTTVPN_CFG_\\w+) (.+)$").matcher(header);
        StringBuilder c = new StringBuilder();
        if (withCore) {
            c.append("#include \"mqttvpn/codec.h\"\n");
        }
        c.append("#include \"mqtt_vpn_config.h\"\n");
        int n = 0;
        while (m.find()) {
            String name = m.group(1);
            String value = m.group(2).trim();
            String v = "use_" + name.toLowerCase();
            if (value.startsWith("\"") || value.equals("NULL")) {
                c.append("const char *const ").append(v).append(" = ").append(name).append(";\n");
            } else if (value.startsWith("{")) {
                c.append("const unsigned char ").append(v).append("[][4] = ").append(name).append(";\n");
            } else if (value.contains(",")) {
                c.append("const unsigned char ").append(v).append("[4] = { ").append(name).append(" };\n");
            } else {
                c.append("const int ").append(v).append(" = ").append(name).append(";\n");
            }
            n++;
        }
        assertThat(n).as("macros in the header").isGreaterThan(15);
        return c.toString();
    }

    @Test
    void everyEsp8266ConfigHeaderCompilesWithTheEsp8266CompilerAloneAndWithTheCoreHeaders() throws Exception {
        for (Path header : generated("esp8266", "mqtt_vpn_config.h")) {
            for (boolean withCore : new boolean[] {false, true}) {
                Path dir = Files.createTempDirectory(tmp, "lx106");
                Files.copy(header, dir.resolve("mqtt_vpn_config.h"));
                Files.writeString(dir.resolve("use.c"), useEveryMacro(Files.readString(header), withCore));
                List<String> cmd = new ArrayList<>(List.of("xtensa-lx106-elf-gcc", "-std=c99", "-Wall", "-Wextra", "-Werror",
                        "-c", "use.c", "-o", "use.o"));
                if (withCore) {
                    cmd.add("-I" + REPO.resolve("firmware/common/include"));
                }
                Run r = run(dir, cmd);
                assertThat(r.exitCode()).as("%s (core headers: %s):\n%s", header, withCore, r.output()).isZero();
                assertThat(dir.resolve("use.o")).exists();
            }
        }
    }

    @Test
    void theHeaderCheckFailsOnAHeaderThatIsNotC99() throws Exception {
        Path dir = Files.createTempDirectory(tmp, "lx106");
        Files.writeString(dir.resolve("mqtt_vpn_config.h"), "#define MQTTVPN_CFG_ADDRESS IPAddress(10, 0, 1, 2)\n");
        Files.writeString(dir.resolve("use.c"), "#include \"mqtt_vpn_config.h\"\nconst int x = (MQTTVPN_CFG_ADDRESS, 1);\n");
        Run r = run(dir, List.of("xtensa-lx106-elf-gcc", "-std=c99", "-Wall", "-Wextra", "-Werror", "-c", "use.c"));
        assertThat(r.exitCode()).as(r.output()).isNotZero();
    }

    List<String> gccSyntaxOnly(Path mainC) throws IOException {
        return List.of("gcc", "-fsyntax-only", "-std=gnu11", "-Wall", "-Wextra", "-Werror",
                "-I" + STUBS, "-I" + REPO.resolve("firmware/esp32-idf/include"), "-I/usr/include/lwip", mainC.toString());
    }

    @Test
    void everyEsp32MainCompilesAgainstTheComponentLwipAndTheIdfDeclarations() throws Exception {
        for (Path main : generated("esp32", "main/main.c")) {
            Run r = run(main.getParent(), gccSyntaxOnly(main));
            assertThat(r.exitCode()).as("%s:\n%s", main, r.output()).isZero();
        }
    }

    @Test
    void theMainCheckFailsWhenMainPassesAWrongTypeToTheComponent() throws Exception {
        Path main = generated("esp32", "main/main.c").get(0);
        String broken = Files.readString(main).replace("mqtt_vpn_start(&config, &vpn)", "mqtt_vpn_start(config, &vpn)");
        assertThat(broken).isNotEqualTo(Files.readString(main));
        Files.writeString(main, broken);
        Run r = run(main.getParent(), gccSyntaxOnly(main));
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.output()).contains("mqtt_vpn_start");
    }

    @Test
    void theMainCheckFailsWhenMainSetsAnOtaFieldTheComponentDoesNotHave() throws Exception {
        Path main = w.out().resolve("esp32-web/main/main.c");
        String broken = Files.readString(main).replace("config.ota_rollback_timeout_ms =", "config.ota_rollback_timeout =");
        assertThat(broken).isNotEqualTo(Files.readString(main));
        Files.writeString(main, broken);
        Run r = run(main.getParent(), gccSyntaxOnly(main));
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.output()).contains("ota_rollback_timeout");
    }

    /** Methods of class MqttVpn and fields of struct MqttVpnConfig, as MqttVpn.h declares them. */
    static Map<String, Set<String>> arduinoApi() throws IOException {
        String h = Files.readString(REPO.resolve("firmware/esp8266-arduino/src/MqttVpn.h"));
        String config = h.substring(h.indexOf("struct MqttVpnConfig {"), h.indexOf("};", h.indexOf("struct MqttVpnConfig {")));
        String cls = h.substring(h.indexOf("class MqttVpn {"), h.indexOf("};", h.indexOf("class MqttVpn {")));
        Set<String> fields = new TreeSet<>();
        Matcher f = Pattern.compile("(?m)^\\s*[\\w:<>*\\s]+?[\\s*](\\w+)\\s*(=[^;]*)?;").matcher(config);
        while (f.find()) {
            fields.add(f.group(1));
        }
        Set<String> methods = new TreeSet<>();
        Matcher m = Pattern.compile("(\\w+)\\s*\\(").matcher(cls.substring(0, cls.indexOf("private:")));
        while (m.find()) {
            methods.add(m.group(1));
        }
        Map<String, Set<String>> api = new LinkedHashMap<>();
        api.put("fields", fields);
        api.put("methods", methods);
        return api;
    }

    @Test
    void everySketchUsesOnlyWhatMqttVpnHDeclares() throws Exception {
        Map<String, Set<String>> api = arduinoApi();
        assertThat(api.get("fields")).contains("broker", "port", "key", "address", "defaultRoute");
        assertThat(api.get("methods")).contains("begin", "loop", "addReadingTopic");
        int withOta = 0;
        int withFailover = 0;
        for (Path d : generated("esp8266", "mqtt_vpn_config.h")) {
            Path ino = d.getParent().resolve(d.getParent().getFileName() + ".ino");
            String sketch = Files.readString(ino);
            assertThat(sketch).contains("#include <MqttVpn.h>").contains("MqttVpn vpn;").contains("vpn.loop();");
            Matcher calls = Pattern.compile("\\bvpn\\.(\\w+)\\s*\\(").matcher(sketch);
            int n = 0;
            while (calls.find()) {
                assertThat(api.get("methods")).as("%s calls vpn.%s()", ino, calls.group(1)).contains(calls.group(1));
                n++;
            }
            assertThat(n).isGreaterThanOrEqualTo(2);
            Matcher fields = Pattern.compile("\\bconfig\\.(\\w+)\\s*=").matcher(sketch);
            Set<String> set = new TreeSet<>();
            while (fields.find()) {
                assertThat(api.get("fields")).as("%s sets config.%s", ino, fields.group(1)).contains(fields.group(1));
                assertThat(set.add(fields.group(1))).as("%s sets config.%s once", ino, fields.group(1)).isTrue();
            }
            // Every field, so that a new one is not forgotten, but those gen leaves at their defaults
            // on purpose: the plain OTA password (the sketch gets its MD5) and the version (the
            // library answers the running sketch's MD5); the OTA ones only where OTA is on.
            Set<String> expected = new TreeSet<>(api.get("fields"));
            expected.removeAll(Set.of("otaPassword", "firmwareVersion"));
            // moreBrokers is filled by addBroker(); the order and return only with several brokers
            expected.remove("moreBrokers");
            if (sketch.contains("config.addBroker(")) {
                withFailover++;
            } else {
                expected.removeAll(Set.of("brokerOrderRandom", "brokerReturnSeconds"));
            }
            if (sketch.contains("config.otaPasswordMd5")) {
                withOta++;
            } else {
                expected.removeAll(Set.of("otaPasswordMd5", "otaPort"));
            }
            assertThat(set).as("%s sets every field", ino).isEqualTo(expected);
            assertThat(sketch).as("the original C API is not needed").doesNotContain("mqtt_if_");
        }
        assertThat(withOta).as("sketches with OTA on").isPositive();
        assertThat(withFailover).as("sketches with several brokers").isPositive();
    }
}
