package org.mqttvpn.codegen.render;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mqttvpn.codegen.inventory.IdfTarget;

/**
 * A complete ESP-IDF project for an ESP32-family chip: top-level CMakeLists.txt and
 * sdkconfig.defaults (target, partitions, lwIP forwarding/NAPT, app rollback), with updates
 * through the VPN on also partitions.csv (two app slots), and the main component:
 * CMakeLists.txt, idf_component.yml, main.c (the app) and mqtt_vpn_config.h (secrets: mode
 * 0600). The mqtt_vpn component itself is copied in by {@link ComponentArchive}.
 */
final class Esp32IdfProject {
    private Esp32IdfProject() {
    }

    static List<RenderedFile> render(TemplateRenderer renderer, Map<String, Object> base) {
        Map<String, Object> model = new HashMap<>(base);
        String name = (String) model.get("name");
        String app = (String) model.get("app");
        model.put("remoteWifi", IdfTarget.REMOTE_WIFI.contains((String) model.get("target")));
        model.put("forwarding", app.equals("nat") || !((List<?>) model.get("natTargets")).isEmpty());
        model.put("requires", switch (app) {
            case "webserver" -> "mqtt_vpn esp_event esp_netif esp_wifi nvs_flash esp_http_server esp_timer";
            default -> "mqtt_vpn esp_event esp_netif esp_wifi nvs_flash lwip";
        });
        List<RenderedFile> files = new ArrayList<>(List.of(
                RenderedFile.text(name + "/CMakeLists.txt", renderer.render("esp32-idf/CMakeLists.txt.vm", model), false, false),
                RenderedFile.text(name + "/sdkconfig.defaults", renderer.render("esp32-idf/sdkconfig.defaults.vm", model), false, false),
                RenderedFile.text(name + "/main/CMakeLists.txt", renderer.render("esp32-idf/main.CMakeLists.txt.vm", model), false, false),
                RenderedFile.text(name + "/main/idf_component.yml", renderer.render("esp32-idf/idf_component.yml.vm", model), false, false),
                RenderedFile.text(name + "/main/main.c", renderer.render("esp32-idf/" + app + ".c.vm", model), false, false),
                RenderedFile.text(name + "/main/mqtt_vpn_config.h", renderer.render("firmware/mqtt_vpn_config.h.vm", model), true, false)));
        if ((Boolean) model.get("ota")) {
            files.add(RenderedFile.text(name + "/partitions.csv", renderer.render("esp32-idf/partitions.csv.vm", model), false, false));
        }
        return files;
    }
}
