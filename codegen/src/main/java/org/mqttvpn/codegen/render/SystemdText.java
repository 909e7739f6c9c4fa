package org.mqttvpn.codegen.render;

/**
 * Text for systemd unit files, so that a value means itself whatever it holds (a path like
 * {@code /srv/x %n $HOME y}). systemd expands {@code %} specifiers in ExecStart= and in path
 * settings (systemd.unit(5), "Specifiers": {@code %%} is one %); it substitutes {@code $FOO}
 * and {@code ${FOO}} in ExecStart='s arguments ({@code $$} is one $), but not in its command;
 * and it splits ExecStart= into words at white space, unquoting "..." with C escapes
 * (systemd.syntax(7), "Quoting"). Control characters cannot be written at all: the inventory
 * refuses them, and a path from elsewhere is checked by the caller.
 */
final class SystemdText {
    private SystemdText() {
    }

    /** One argument of ExecStart= (after the command): %, $ doubled; quoted when it needs to be. */
    static String execArgument(String text) {
        return word(text.replace("$", "$$"));
    }

    /**
     * The command of ExecStart= (an absolute path): as an argument, but $ stays single: systemd
     * takes the command without substituting variables, so "$$" would remain two (systemd 252).
     */
    static String execCommand(String text) {
        return word(text);
    }

    /**
     * The value of a path setting such as EnvironmentFile=: the rest of the line, taken as it is
     * but for specifiers (% doubled); quotes, $ and spaces inside are plain characters there.
     */
    static String pathSetting(String text) {
        requireNoControl(text);
        return text.replace("%", "%%");
    }

    private static String word(String text) {
        requireNoControl(text);
        String escaped = text.replace("%", "%%");
        if (!escaped.isEmpty() && escaped.chars().noneMatch(c -> Character.isWhitespace(c) || "\"'\\;".indexOf(c) >= 0)) {
            return escaped;
        }
        return "\"" + escaped.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void requireNoControl(String text) {
        if (text.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("a systemd unit cannot carry a control character");
        }
    }
}
