package org.mqttvpn.codegen.render;

import java.nio.charset.StandardCharsets;

/**
 * C and C++ string literals for any text (Wi-Fi passwords, keys, host names): printable ASCII
 * stays readable, everything else becomes a three-digit octal escape (which, unlike \x, cannot
 * swallow the next character), and '?' is escaped so that no trigraph forms under -std=c99.
 * Text with a NUL is refused: in C the string would end there, a shorter value than given
 * (the inventory refuses control characters before anything is rendered).
 */
public final class CText {
    private CText() {
    }

    public static String literal(String text) {
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a C string cannot hold a NUL character: the value would end there");
        }
        StringBuilder b = new StringBuilder("\"");
        for (byte raw : text.getBytes(StandardCharsets.UTF_8)) {
            int c = raw & 0xff;
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '?' -> b.append("\\?");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        b.append((char) c);
                    } else {
                        b.append('\\').append((char) ('0' + (c >> 6))).append((char) ('0' + ((c >> 3) & 7)))
                                .append((char) ('0' + (c & 7)));
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** A literal, or NULL for no value. */
    public static String literalOrNull(String text) {
        return text == null ? "NULL" : literal(text);
    }
}
