package org.mqttvpn.codegen.render;

/** Quoting for POSIX sh and for systemd EnvironmentFile= files (unit files: {@link SystemdText}). */
public final class ShellText {
    private ShellText() {
    }

    /** A single sh word; plain when it has only safe characters, otherwise single-quoted. */
    public static String word(String text) {
        if (!text.isEmpty() && text.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 127
                || "@%+=:,./_-".indexOf(c) >= 0)) {
            return text;
        }
        return "'" + text.replace("'", "'\\''") + "'";
    }

    /**
     * A value for a systemd EnvironmentFile= line: single quotes keep it literal; a value that
     * itself holds a single quote is double-quoted with \" and \\ escaped.
     */
    public static String environmentValue(String text) {
        if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a value for an environment file cannot span lines");
        }
        if (text.indexOf('\'') < 0) {
            return "'" + text + "'";
        }
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
