package org.mqttvpn.host.mqtt;

import java.security.SecureRandom;

/**
 * Client ids {@code MQTT_VPN_<14 hex digits>}: 56 bits from a CSPRNG, so two daemons started
 * in the same second do not collide (the original seeded rand() with the time, and two such
 * daemons kicked each other off the broker forever). 23 characters, the MQTT 3.1 limit.
 */
public final class ClientIds {
    public static final String PREFIX = "MQTT_VPN_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ClientIds() {
    }

    public static String random() {
        long bits = RANDOM.nextLong() & 0x00ff_ffff_ffff_ffffL;
        return PREFIX + String.format("%014x", bits);
    }
}
