package org.mqttvpn.codegen.render;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.velocity.exception.ResourceNotFoundException;
import org.apache.velocity.runtime.resource.loader.ClasspathResourceLoader;

/**
 * Loads templates from the class path, and lets C, C++ and sketch templates keep their
 * preprocessor lines as they are. Velocity would read {@code #include}, {@code #define},
 * {@code #if FOO}, {@code #else} as its own directives; in templates named {@code *.c.vm},
 * {@code *.h.vm} and {@code *.ino.vm} a line starting with a C preprocessor directive is
 * therefore C: its '#' is escaped before Velocity parses the template.
 *
 * <p>The rule for template authors: in those templates, write Velocity's directives with a
 * parenthesis right after the name ({@code #if($x)}, {@code #foreach(...)}) and its else as
 * {@code #{else}}; never start a C {@code #if} with a parenthesis.
 */
final class CTemplateLoader extends ClasspathResourceLoader {
    private static final Pattern C_DIRECTIVE = Pattern.compile(
            "^([ \\t]*)#([ \\t]*)(include|define|undef|ifdef|ifndef|if|elif|else|endif|pragma|error|warning)\\b(?![ \\t]*\\()",
            Pattern.MULTILINE);

    @Override
    public Reader getResourceReader(String name, String encoding) throws ResourceNotFoundException {
        Reader reader = super.getResourceReader(name, encoding);
        if (!isC(name)) {
            return reader;
        }
        try (reader) {
            StringBuilder b = new StringBuilder();
            char[] buf = new char[8192];
            for (int n; (n = reader.read(buf)) > 0; ) {
                b.append(buf, 0, n);
            }
            return new StringReader(escapeDirectives(b.toString()));
        } catch (IOException e) {
            throw new ResourceNotFoundException("cannot read template " + name + ": " + e.getMessage(), e);
        }
    }

    static boolean isC(String name) {
        return name.endsWith(".c.vm") || name.endsWith(".h.vm") || name.endsWith(".ino.vm");
    }

    static String escapeDirectives(String template) {
        Matcher m = C_DIRECTIVE.matcher(template);
        return m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + "#[[#]]#" + r.group(2) + r.group(3)));
    }
}
