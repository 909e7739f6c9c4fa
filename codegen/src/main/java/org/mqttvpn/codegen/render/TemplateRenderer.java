package org.mqttvpn.codegen.render;

import java.io.StringWriter;
import java.util.Map;
import java.util.Properties;
import org.apache.velocity.Template;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.VelocityEngine;

/**
 * Renders the templates under {@code templates/<target>/<file>.vm} on the class path
 * ({@code firmware/} for what both firmware targets share) with Apache Velocity, in strict
 * mode: a reference the model does not have is an error, never a silently empty or literal
 * {@code $name} in generated code.
 */
public final class TemplateRenderer {
    private final VelocityEngine engine;

    public TemplateRenderer() {
        Properties p = new Properties();
        p.setProperty("resource.loaders", "templates");
        p.put("resource.loader.templates.instance", new CTemplateLoader());
        p.setProperty("resource.loader.templates.cache", "true");
        p.setProperty("runtime.strict_mode.enable", "true");
        p.setProperty("resource.default_encoding", "UTF-8");
        p.setProperty("parser.space_gobbling", "lines");
        engine = new VelocityEngine(p);
        engine.init();
    }

    /**
     * Renders {@code templates/<template>} (like {@code esp32-idf/main.c.vm}) with the model's
     * entries as variables. Package-visible so that tests render one template alone.
     */
    String render(String template, Map<String, ?> model) {
        Template t = engine.getTemplate("templates/" + template, "UTF-8");
        VelocityContext context = new VelocityContext();
        model.forEach(context::put);
        StringWriter out = new StringWriter();
        t.merge(context, out);
        return out.toString();
    }
}
