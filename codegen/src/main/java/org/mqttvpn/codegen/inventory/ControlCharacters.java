package org.mqttvpn.codegen.inventory;

/**
 * Finds control characters (U+0000..U+001F, U+007F..U+009F) in inventory values. Every value
 * ends in a C string literal, a command line or a file name, where a NUL silently cuts the
 * value short and a line break starts a new line: the inventory refuses them, saying which
 * one, rather than let gen write "a\000b".
 */
final class ControlCharacters {
    private ControlCharacters() {
    }

    /** The first control character, named for a message ("U+0000 NUL"); null when there is none. */
    static String first(String text) {
        int i = index(text);
        return i < 0 ? null : name(text.charAt(i));
    }

    /** As {@link #first}, with its place: "U+0009 tab, character 3". */
    static String firstWithPlace(String text) {
        int i = index(text);
        return i < 0 ? null : name(text.charAt(i)) + ", character " + (text.codePointCount(0, i) + 1);
    }

    private static int index(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static String name(char c) {
        String code = String.format("U+%04X", (int) c);
        return switch (c) {
            case 0 -> code + " NUL";
            case '\t' -> code + " tab";
            case '\n' -> code + " line feed";
            case '\r' -> code + " carriage return";
            case 0x1b -> code + " escape";
            case 0x7f -> code + " delete";
            default -> code;
        };
    }
}
