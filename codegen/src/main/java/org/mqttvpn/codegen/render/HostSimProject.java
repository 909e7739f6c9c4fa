package org.mqttvpn.codegen.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The virtual device's start script, {@code <device>/run.sh}: the {@code toolkit sim} command
 * line of this device. The key (and a broker password) go into files beside it (mode 0600),
 * passed by path, so that the key never appears on a command line.
 */
final class HostSimProject {
    static final String KEY_FILE = "mqttvpn.key";
    static final String PASSWORD_FILE = "broker.password";

    private HostSimProject() {
    }

    static List<RenderedFile> render(TemplateRenderer renderer, Map<String, Object> model, String key, String password) {
        String name = (String) model.get("name");
        List<RenderedFile> files = new ArrayList<>();
        files.add(RenderedFile.text(name + "/run.sh", renderer.render("host-sim/run.sh.vm", model), false, true));
        if (key != null) {
            files.add(RenderedFile.text(name + "/" + KEY_FILE, key + "\n", true, false));
        }
        if (password != null) {
            files.add(RenderedFile.text(name + "/" + PASSWORD_FILE, password + "\n", true, false));
        }
        return files;
    }
}
