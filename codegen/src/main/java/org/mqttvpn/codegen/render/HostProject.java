package org.mqttvpn.codegen.render;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mqttvpn.codegen.inventory.Host;
import org.mqttvpn.codegen.inventory.Inventory;
import org.mqttvpn.codegen.inventory.Network;
import org.mqttvpn.codegen.inventory.Secret;
import org.mqttvpn.codegen.inventory.SecretValue;

/**
 * A Linux host's service: {@code mqttvpn-<host>.service} (systemd unit running
 * {@code toolkit vpn --config ... --host <host>}) and {@code mqttvpn-<host>.env}, its
 * EnvironmentFile with the values of the inventory's {@code env:} references (secrets: 0600).
 */
final class HostProject {
    private HostProject() {
    }

    static List<RenderedFile> render(TemplateRenderer renderer, Map<String, Object> base, Inventory inventory, Host host) {
        Map<String, Object> model = new HashMap<>(base);
        String name = host.name().value();
        String configPath = host.inventoryPath() != null ? host.inventoryPath().value()
                : inventory.file().toAbsolutePath().normalize().toString();
        String configDir = configPath.substring(0, Math.max(1, configPath.lastIndexOf('/')));
        model.put("interface", host.interfaceName().value());
        model.put("configPath", ShellText.word(configPath));
        model.put("configDir", configDir);
        model.put("toolkit", ShellText.word(host.toolkitPath().value()));
        model.put("envFile", configDir + "/mqttvpn-" + name + ".env");
        String keyFileName = inventory.network().name().value() + ".key";
        model.put("keyFileName", keyFileName);
        model.put("keyFile", inventory.network().key().reference() instanceof Secret.Generate
                ? configDir + "/" + keyFileName : "");
        model.put("stateFile", Inventory.stateFileOf(inventory.file()).getFileName().toString());
        List<Map<String, String>> variables = new ArrayList<>();
        environmentReferences(inventory.network()).forEach((variable, value) -> variables.add(
                Map.of("name", variable, "value", value)));
        model.put("variables", variables);
        return List.of(
                RenderedFile.text(name + "/mqttvpn-" + name + ".env", renderer.render("host/mqttvpn.env.vm", model), true, false),
                RenderedFile.text(name + "/mqttvpn-" + name + ".service", renderer.render("host/mqttvpn.service.vm", model), false, false));
    }

    /**
     * The env: references toolkit vpn --config resolves for a host, by name, with their values
     * quoted for the EnvironmentFile.
     */
    private static Map<String, String> environmentReferences(Network n) {
        Map<String, String> env = new TreeMap<>();
        for (SecretValue s : new SecretValue[] {n.brokerUser(), n.brokerPassword(), n.key()}) {
            // one line each: SecretResolver refuses a value with a line break at its reference
            if (s != null && s.reference() instanceof Secret.Env e && s.value() != null) {
                env.put(e.variable(), ShellText.environmentValue(s.value()));
            }
        }
        return env;
    }
}
