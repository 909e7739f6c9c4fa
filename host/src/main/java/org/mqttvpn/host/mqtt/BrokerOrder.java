package org.mqttvpn.host.mqtt;

import java.util.Arrays;
import java.util.Locale;

/**
 * In which order a node tries the brokers it was given: as listed (the first is its home
 * broker), or in a random order, new for every round (to spread the nodes of a cluster).
 */
public enum BrokerOrder {
    IN_ORDER("in-order"),
    RANDOM("random");

    private final String word;

    BrokerOrder(String word) {
        this.word = word;
    }

    /** The word users write: {@code in-order} or {@code random}. */
    public String word() {
        return word;
    }

    /** The order a user's word names. */
    public static BrokerOrder parse(String text) {
        for (BrokerOrder o : values()) {
            if (o.word.equals(text == null ? null : text.trim().toLowerCase(Locale.ROOT))) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown broker order '" + text + "': use "
                + String.join(" or ", Arrays.stream(values()).map(BrokerOrder::word).toList()));
    }

    @Override
    public String toString() {
        return word;
    }
}
