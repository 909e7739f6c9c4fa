package org.mqttvpn.codegen.render;

import java.nio.charset.StandardCharsets;

/**
 * One output file: its path below the output directory ('/'-separated), its bytes, whether it
 * holds a secret (written with mode 0600 and listed in the .gitignore) and whether it is a
 * program (mode 0755).
 */
public record RenderedFile(String path, byte[] content, boolean secret, boolean executable) {
    public static RenderedFile text(String path, String text, boolean secret, boolean executable) {
        return new RenderedFile(path, text.getBytes(StandardCharsets.UTF_8), secret, executable);
    }

    public String text() {
        return new String(content, StandardCharsets.UTF_8);
    }
}
