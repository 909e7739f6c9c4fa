package org.mqttvpn.codegen.render;

/** gen cannot render what was asked (not a problem of the inventory's text): the message says what to do. */
public final class GenerationException extends RuntimeException {
    public GenerationException(String message) {
        super(message);
    }
}
