package org.mqttvpn.codegen.inventory;

/**
 * A secret reference and the value it resolved to. The value is null only for a network key or
 * OTA password to be generated that does not exist yet ({@link Secret.Generate}) and for
 * {@link Secret.None}.
 * {@link #toString} never shows the value.
 */
public record SecretValue(Secret reference, String value, Position at) {
    public boolean present() {
        return value != null && !value.isEmpty();
    }

    @Override
    public String toString() {
        return reference instanceof Secret.Literal ? reference.toString() : reference + " (hidden)";
    }
}
