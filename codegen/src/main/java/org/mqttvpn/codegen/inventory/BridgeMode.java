package org.mqttvpn.codegen.inventory;

/**
 * The network's {@code bridge:}: gen renders the mosquitto bridge configuration of its brokers,
 * either with a topic line per address (only what the other side's nodes need) or mirroring
 * every frame ({@code <prefix>/# both}).
 */
public enum BridgeMode {
    PER_ADDRESS("per-address"),
    MIRROR("mirror");

    private final String word;

    BridgeMode(String word) {
        this.word = word;
    }

    /** The word users write. */
    public String word() {
        return word;
    }
}
