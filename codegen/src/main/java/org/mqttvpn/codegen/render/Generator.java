package org.mqttvpn.codegen.render;

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
 * the output root's .gitignore and the brokers' bridge configuration when the inventory asks.
 * Pure: the same inventory, addresses and key give the same bytes, with no time stamps and
 * every list in a fixed order. Writes nothing.
 */
public final class Generator {
    /** File names that hold secrets wherever they are below the output root. */
    static final List<String> SECRET_PATTERNS = List.of(
            "*.env", "*.key", "*.password", "mqtt_vpn_config.h");

    private final TemplateRenderer renderer = new TemplateRenderer();

    /**
     * @param key          the network key's value, or null for an unencrypted network
     * @param otaPasswords the OTA password of each device that takes updates through the VPN, by
     *                     name; a device not in it has them off
     * @param only         names of the nodes to render; empty for all
     * @param component    the packaged mqtt_vpn component (zip) that IDF projects include, or
     *                     null when there is none (then no esp32-idf device can be rendered)
     */
    public Generation generate(Inventory inventory, Assignments assignments, String key,
                               Map<String, String> otaPasswords, Set<String> only, Path component) {
        String fileName = inventory.file().getFileName().toString();
        if (fileName.chars().anyMatch(Character::isISOControl)) {
            throw new GenerationException("the inventory's file name, " + fileName.replaceAll("\\p{Cc}", "?")
                    + ", holds a control character, which would break the comment lines of generated files that name"
                    + " it; rename the file");
        }
        List<Member> selected = inventory.members().stream()
                .filter(m -> only.isEmpty() || only.contains(m.name().value())).toList();
        ComponentArchive idfComponent = selected.stream().anyMatch(m -> m instanceof Device d
                && d.platform().value() == Platform.ESP32_IDF) ? ComponentArchive.read(component) : null;
        List<NodeOutput> nodes = new ArrayList<>();
        for (Member m : selected) {
            String name = m.name().value();
            Map<String, Object> model = NodeModel.of(inventory, m, assignments, key, otaPasswords.get(name));
            List<RenderedFile> files;
            if (m instanceof Host h) {
                files = HostProject.render(renderer, model, inventory, h);
            } else {
                files = device((Device) m, model, inventory, key, otaPasswords.get(name), idfComponent);
            }
            List<RenderedFile> sorted = new ArrayList<>(files);
            sorted.sort(Comparator.comparing(RenderedFile::path));
            nodes.add(new NodeOutput(name, List.copyOf(sorted)));
        }
        nodes.sort(Comparator.comparing(NodeOutput::name));
        RenderedFile gitignore = RenderedFile.text(".gitignore",
                renderer.render("output/gitignore.vm", Map.of("patterns", SECRET_PATTERNS)), false, false);
        return new Generation(List.copyOf(nodes), gitignore, BridgeFiles.render(renderer, inventory, assignments));
    }

    private List<RenderedFile> device(Device d, Map<String, Object> model, Inventory inventory, String key,
                                      String otaPassword, ComponentArchive idfComponent) {
        Platform p = d.platform().value();
        return switch (p) {
            case ESP8266_ARDUINO -> Esp8266ArduinoProject.render(renderer, model);
            case ESP32_IDF -> {
                List<RenderedFile> files = new ArrayList<>(Esp32IdfProject.render(renderer, model));
                files.addAll(idfComponent.placedIn(d.name().value()));
                yield files;
            }
            case HOST_SIM -> HostSimProject.render(renderer, model, key,
                    NodeModel.value(inventory.network().brokerPassword()), otaPassword);
        };
    }
}
