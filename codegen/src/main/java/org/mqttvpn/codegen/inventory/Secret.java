package org.mqttvpn.codegen.inventory;

/**
 * How the inventory names a secret. The inventory never holds a secret itself: it says where
 * to find it, so that the file can be shared and committed.
 */
public sealed interface Secret {
    /** {@code env:NAME}: the value of an environment variable when the command runs. */
    record Env(String variable) implements Secret {
        @Override
        public String toString() {
            return "env:" + variable;
        }
    }

    /** {@code file:PATH}: the first line of a file; a relative PATH is relative to the inventory's directory. */
    record FileRef(String path) implements Secret {
        @Override
        public String toString() {
            return "file:" + path;
        }
    }

    /**
     * {@code generate} (the network key and OTA passwords): a random secret gen makes once and
     * keeps in a file beside the inventory.
     */
    record Generate() implements Secret {
        @Override
        public String toString() {
            return "generate";
        }
    }

    /** {@code none} (the network key only): frames are not encrypted. Must be written out. */
    record None() implements Secret {
        @Override
        public String toString() {
            return "none";
        }
    }

    /** A value written in the inventory itself; accepted only where it is not a secret (a user name). */
    record Literal(String value) implements Secret {
        @Override
        public String toString() {
            return value;
        }
    }

    /** Reads {@code env:NAME} and {@code file:PATH}; anything else is a literal (or generate/none, if allowed). */
    static Secret parse(String text, boolean keyWords) {
        if (text.startsWith("env:")) {
            return new Env(text.substring(4));
        }
        if (text.startsWith("file:")) {
            return new FileRef(text.substring(5));
        }
        if (keyWords && text.equals("generate")) {
            return new Generate();
        }
        if (keyWords && text.equals("none")) {
            return new None();
        }
        return new Literal(text);
    }
}
