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
        if (configPath.chars().anyMatch(Character::isISOControl)) {
            throw new GenerationException("the path of the inventory, " + configPath.replaceAll("\\p{Cc}", "?")
                    + ", holds a control character, which the host's systemd unit cannot carry; rename the directory"
                    + " or the file, or give host '" + name + "' inventory_path: with the path it has on the host");
        }
        String configDir = configPath.substring(0, Math.max(1, configPath.lastIndexOf('/')));
        String envFile = configDir + "/mqttvpn-" + name + ".env";
        String keyFileName = inventory.network().name().value() + ".key";
        boolean generatedKey = inventory.network().key().reference() instanceof Secret.Generate;
        model.put("interface", host.interfaceName().value());
        model.put("envFile", envFile);
        model.put("hasKeyFile", generatedKey);
        // the unit's settings, in systemd's syntax
        model.put("unit", Map.of(
                "envFile", SystemdText.pathSetting(envFile),
                "toolkit", SystemdText.execCommand(host.toolkitPath().value()),
                "configPath", SystemdText.execArgument(configPath)));
        // the install commands in the unit's comment, to paste into a shell
        model.put("install", Map.of(
                "configDir", ShellText.word(configDir),
                "configDirSlash", ShellText.word(configDir + "/"),
                "inventory", ShellText.word(inventory.file().getFileName().toString()),
                "stateFile", ShellText.word(Inventory.stateFileOf(inventory.file()).getFileName().toString()),
                "keyFileName", ShellText.word(keyFileName),
                "keyFile", ShellText.word(configDir + "/" + keyFileName),
                "envFile", ShellText.word(envFile)));
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
     * quoted for the EnvironmentFile (which cannot carry a line break: the inventory refuses
     * values with control characters).
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
