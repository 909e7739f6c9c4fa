package org.mqttvpn.codegen.inventory;

/**
 * One thing wrong with an input file, written for the person who must fix it:
 * {@code file:line:column: what is wrong; how to fix it}.
 */
public record Problem(Position where, String what, String fix) {
    @Override
    public String toString() {
        return where + ": " + what + "; " + fix;
    }
}
