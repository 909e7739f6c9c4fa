package org.mqttvpn.host.mqtt;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Client ids {@code MQTT_VPN_<14 hex digits>}: 56 bits from a CSPRNG, so two daemons started
 * in the same second do not collide (the original seeded rand() with the time, and two such
 * daemons kicked each other off the broker forever). 23 characters, the MQTT 3.1 limit.
 */
public final class ClientIds {
    public static final String PREFIX = "MQTT_VPN_";
    /** The longest client id every MQTT broker takes (MQTT 3.1; 3.1.1 only allows more). */
    public static final int MAX_LENGTH = 23;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_.-]{1," + MAX_LENGTH + "}");

    private ClientIds() {
    }

    /**
     * Checks a client id given by a user: 1 to 23 letters, digits, '_', '.' or '-', which every
     * broker accepts (the rule of the inventory's client_id and of vpn -n).
     *
     * @return the id
     * @throws IllegalArgumentException saying what is wrong
     */
    public static String valid(String id) {
        if (!VALID.matcher(id).matches()) {
            String shown = id.length() > 40 ? id.substring(0, 40) + "... (" + id.length() + " characters)" : id;
            throw new IllegalArgumentException("client id '" + shown.replaceAll("\\p{Cntrl}", "?") + "' is not 1 to "
                    + MAX_LENGTH + " letters, digits, '_', '.' or '-'");
        }
        return id;
    }

    public static String random() {
        String hex = Long.toHexString(randomBits() & 0x00ff_ffff_ffff_ffffL);
        return PREFIX + "0".repeat(14 - hex.length()) + hex;
    }

    /**
     * 64 bits from the kernel's CSPRNG, read as SecureRandom's NativePRNG reads them on Linux,
     * with the hex digits written here rather than by String.format (java.util.Formatter is
     * classes the daemon loads for nothing else); SecureRandom where there is no /dev/urandom.
     */
    private static long randomBits() {
        try (InputStream in = new FileInputStream("/dev/urandom")) {
            byte[] b = in.readNBytes(Long.BYTES);
            if (b.length == Long.BYTES) {
                long bits = 0;
                for (byte x : b) {
                    bits = bits << 8 | (x & 0xff);
                }
                return bits;
            }
        } catch (IOException e) {
            // no such device here: the portable way below
        }
        return new SecureRandom().nextLong();
    }

    /**
     * The id of the short connection that checks whether the home broker answers again, while
     * {@code id} is connected elsewhere: the node's id with {@code _r} at its end (cut to stay
     * within 23 characters), so that a broker (or a cluster) never mistakes it for the node's
     * own session and closes that one, and an ACL on the id's prefix still admits it.
     */
    public static String probe(String id) {
        String base = id.length() > MAX_LENGTH - 2 ? id.substring(0, MAX_LENGTH - 2) : id;
        return base + "_r";
    }
}
