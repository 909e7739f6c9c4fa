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
 * from test resources) and gets {@code project/out/}; {@code repo/firmware/} stands for this
 * repository's firmware directory, with the real mqtt_vpn.h.
 */
public record Workspace(Path root) {
    /** The environment the test inventories reference. */
    public static final Map<String, String> ENV = Map.of(
            "MQTT_PASSWORD", "broker secret",
            "WIFI_PASSWORD", "wifi passw'rd",
            "AP_PASSWORD", "ap password 1");

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
            Path include = w.firmware().resolve("esp32-idf/include");
            Files.createDirectories(include);
            Files.copy(repository().resolve("firmware/esp32-idf/include/mqtt_vpn.h"), include.resolve("mqtt_vpn.h"));
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

    public Path firmware() {
        return root.resolve("repo/firmware");
    }

    public Gen.Request request(String device, boolean dryRun) {
        return new Gen.Request(inventory(), ENV, device, out(), firmware(), dryRun);
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
