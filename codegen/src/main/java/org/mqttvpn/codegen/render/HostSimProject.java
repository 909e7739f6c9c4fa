package org.mqttvpn.codegen.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The virtual device's start script, {@code <device>/run.sh}: the {@code toolkit sim} command
 * line of this device. The key (and a broker password, and an OTA password) go into files
 * beside it (mode 0600), passed by path, so that no secret appears on a command line. With
 * updates through the VPN on, the device keeps its two program slots in {@code state/} beside
 * run.sh.
 */
final class HostSimProject {
    static final String KEY_FILE = "mqttvpn.key";
    static final String PASSWORD_FILE = "broker.password";
    static final String OTA_PASSWORD_FILE = "ota.password";

    private HostSimProject() {
    }

    /** @param otaPassword null: updates through the VPN are off */
    static List<RenderedFile> render(TemplateRenderer renderer, Map<String, Object> model, String key, String password,
                                     String otaPassword) {
        String name = (String) model.get("name");
        List<RenderedFile> files = new ArrayList<>();
        files.add(RenderedFile.text(name + "/run.sh", renderer.render("host-sim/run.sh.vm", model), false, true));
        if (key != null) {
            files.add(RenderedFile.text(name + "/" + KEY_FILE, key + "\n", true, false));
        }
        if (password != null) {
            files.add(RenderedFile.text(name + "/" + PASSWORD_FILE, password + "\n", true, false));
        }
        if (otaPassword != null) {
            files.add(RenderedFile.text(name + "/" + OTA_PASSWORD_FILE, otaPassword + "\n", true, false));
        }
        return files;
    }
}
