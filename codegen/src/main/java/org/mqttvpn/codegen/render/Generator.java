package org.mqttvpn.codegen.render;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mqttvpn.codegen.address.Assignments;
import org.mqttvpn.codegen.inventory.Device;
import org.mqttvpn.codegen.inventory.Host;
import org.mqttvpn.codegen.inventory.Inventory;
import org.mqttvpn.codegen.inventory.Member;
import org.mqttvpn.codegen.inventory.Platform;

/**
 * Renders, in memory, the output of a gen run: one directory per selected host and device,
 * and the output root's .gitignore. Pure: the same inventory, addresses and key give the same
 * bytes, with no time stamps and every list in a fixed order. Writes nothing.
 */
public final class Generator {
    /** File names that hold secrets wherever they are below the output root. */
    static final List<String> SECRET_PATTERNS = List.of(
            "*.env", "*.key", "*.password", "mqtt_vpn_config.h");

    private final TemplateRenderer renderer = new TemplateRenderer();

    /**
     * @param key          the network key's value, or null for an unencrypted network
     * @param only         names of the nodes to render; empty for all
     * @param outputDir    where the output will be written (the IDF projects refer to the
     *                     mqtt_vpn component by a path relative to it)
     * @param firmwareDir  this repository's firmware/ directory, or null when unknown (then no
     *                     esp32-idf device can be rendered)
     */
    public Generation generate(Inventory inventory, Assignments assignments, String key, Set<String> only,
                               Path outputDir, Path firmwareDir) {
        List<NodeOutput> nodes = new ArrayList<>();
        for (Member m : inventory.members()) {
            String name = m.name().value();
            if (!only.isEmpty() && !only.contains(name)) {
                continue;
            }
            Map<String, Object> model = NodeModel.of(inventory, m, assignments, key);
            List<RenderedFile> files;
            if (m instanceof Host h) {
                files = HostProject.render(renderer, model, inventory, h);
            } else {
                files = device((Device) m, model, inventory, key, outputDir, firmwareDir);
            }
            List<RenderedFile> sorted = new ArrayList<>(files);
            sorted.sort(Comparator.comparing(RenderedFile::path));
            nodes.add(new NodeOutput(name, List.copyOf(sorted)));
        }
        nodes.sort(Comparator.comparing(NodeOutput::name));
        RenderedFile gitignore = RenderedFile.text(".gitignore",
                renderer.render("output/gitignore.vm", Map.of("patterns", SECRET_PATTERNS)), false, false);
        return new Generation(List.copyOf(nodes), gitignore);
    }

    private List<RenderedFile> device(Device d, Map<String, Object> model, Inventory inventory, String key,
                                      Path outputDir, Path firmwareDir) {
        Platform p = d.platform().value();
        return switch (p) {
            case ESP8266_ARDUINO -> Esp8266ArduinoProject.render(renderer, model);
            case ESP32_IDF -> Esp32IdfProject.render(renderer, model, componentPath(d, outputDir, firmwareDir));
            case HOST_SIM -> HostSimProject.render(renderer, model, key,
                    NodeModel.value(inventory.network().brokerPassword()));
        };
    }

    /** The mqtt_vpn component's directory as seen from {@code <output>/<device>/main}. */
    private static Path componentPath(Device d, Path outputDir, Path firmwareDir) {
        if (firmwareDir == null) {
            throw new GenerationException("device '" + d.name().value() + "' (esp32-idf) refers to the mqtt_vpn"
                    + " component, but this repository's firmware/ directory was not found: pass --firmware DIR");
        }
        Path component = firmwareDir.toAbsolutePath().normalize().resolve("esp32-idf");
        if (!Files.isRegularFile(component.resolve("include/mqtt_vpn.h"))) {
            throw new GenerationException("--firmware " + firmwareDir + " has no esp32-idf/include/mqtt_vpn.h:"
                    + " pass the firmware/ directory of the mqttvpn repository");
        }
        Path main = outputDir.toAbsolutePath().normalize().resolve(d.name().value()).resolve("main");
        return main.relativize(component);
    }

    public static Set<String> secretPatterns() {
        return Set.copyOf(SECRET_PATTERNS);
    }
}
