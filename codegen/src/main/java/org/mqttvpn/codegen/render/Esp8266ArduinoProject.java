package org.mqttvpn.codegen.render;

import java.util.List;
import java.util.Map;

/**
 * An Arduino sketch for an ESP8266: {@code <device>/<device>.ino} (the app) and the generated
 * {@code mqtt_vpn_config.h} it includes (secrets: mode 0600). The sketch uses only the public
 * API of the mqtt_vpn_arduino library ({@code MqttVpn.h}).
 */
final class Esp8266ArduinoProject {
    private Esp8266ArduinoProject() {
    }

    static List<RenderedFile> render(TemplateRenderer renderer, Map<String, Object> model) {
        String name = (String) model.get("name");
        return List.of(
                RenderedFile.text(name + "/" + name + ".ino",
                        renderer.render("esp8266-arduino/" + model.get("app") + ".ino.vm", model), false, false),
                RenderedFile.text(name + "/mqtt_vpn_config.h",
                        renderer.render("firmware/mqtt_vpn_config.h.vm", model), true, false));
    }
}
