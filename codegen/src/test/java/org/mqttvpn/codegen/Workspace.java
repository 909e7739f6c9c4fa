package org.mqttvpn.codegen;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A fixed layout under a test's temporary directory, so that generated relative paths do not
 * depend on where the temporary directory is: {@code project/} holds the inventory (copied
 * from test resources) and gets {@code project/out/}; {@code repo/mqtt_vpn-test.zip} stands
 * for the packaged ESP-IDF component: a small archive with the files gen checks for.
 */
public record Workspace(Path root) {
    /** The environment the test inventories reference. */
    public static final Map<String, String> ENV = Map.of(
            "MQTT_PASSWORD", "broker secret",
            "WIFI_PASSWORD", "wifi passw'rd",
            "AP_PASSWORD", "ap password 1",
            "OTA_PASSWORD", "ota passw'rd");

    public static Workspace of(Path tmp, String inventory) {
        Workspace w = new Workspace(tmp);
        try {
            Path from = Path.of("src/test/resources/inventories", inventory);
            Files.createDirectories(w.project());
            try (Stream<Path> files = Files.list(from)) {
                for (Path f : files.toList()) {
                    Files.copy(f, w.project().resolve(f.getFileName()));
                }
            }
            writeComponent(w.component());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w;
    }

    /** The repository's root (tests run in codegen/). */
    public static Path repository() {
        return Path.of("").toAbsolutePath().getParent();
    }

    public Path project() {
        return root.resolve("project");
    }

    public Path inventory() {
        return project().resolve("network.yaml");
    }

    public Path out() {
        return project().resolve("out");
    }

    public Path component() {
        return root.resolve("repo/mqtt_vpn-test.zip");
    }

    /** A stand-in for mqtt_vpn-VERSION.zip: fixed entries, including an example that gen leaves out. */
    static void writeComponent(Path zip) throws IOException {
        Files.createDirectories(zip.getParent());
        try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            for (String[] e : new String[][] {
                {"CMakeLists.txt", "idf_component_register(SRCS \"src/mqtt_vpn.c\" INCLUDE_DIRS \"include\")\n"},
                {"idf_component.yml", "version: \"0.0.0-test\"\n"},
                {"include/mqtt_vpn.h", "/* stands for the component's public header */\n"},
                {"examples/webserver/main/main.c", "/* left out */\n"}}) {
                out.putNextEntry(new java.util.zip.ZipEntry(e[0]));
                out.write(e[1].getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
    }

    public Gen.Request request(String device, boolean dryRun) {
        return new Gen.Request(inventory(), ENV, device, out(), component(), dryRun);
    }

    public Gen.Result gen() throws IOException {
        return Gen.run(request(null, false));
    }

    static String resource(String path) throws IOException {
        try (InputStream in = Workspace.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("no test resource " + path);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
