package org.mqttvpn.tools.ota;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The uploader's messages of the espota protocol and what it makes of the device's, as
 * firmware/common/OTA-PROTOCOL.md defines them (the protocol of espota.py and ArduinoOTA, and
 * what mqttvpn adds: the SHA-256 bound to the password, the version query). Text only: the
 * sockets are {@link EspotaUploader}'s.
 */
final class Espota {
    /** Invitation command: a firmware image (100 would be a file system image, which we never send). */
    static final int COMMAND_FIRMWARE = 0;
    /** Authentication command. */
    static final int COMMAND_AUTH = 200;
    /** mqttvpn's version query, answered with {@code VERSION <version> <slot>}. */
    static final String VERSION_QUERY = "300\n";
    /** What an mqttvpn receiver appends to its AUTH: it understands the SHA-256 and the version query. */
    static final String MQTTVPN_EXTENSION = "mqttvpn/1";
    private static final String SHA256_CNONCE_PREFIX = "mqttvpn-sha256:";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Espota() {
    }

    /** {@code <command> <port> <size> <md5>\n}: the device connects back to {@code port}. */
    static String invitation(int port, long size, String md5) {
        return COMMAND_FIRMWARE + " " + port + " " + size + " " + md5 + "\n";
    }

    /**
     * The answer to {@code AUTH <nonce>}: {@code 200 <cnonce> <response>\n}, or with the image's
     * SHA-256 appended when the device speaks mqttvpn/1 (sha256 not null); the cnonce is then
     * md5hex("mqttvpn-sha256:" + sha256), so that the password's response covers the SHA-256.
     */
    static String authentication(String password, String nonce, String sha256) {
        String cnonce = sha256 == null ? randomCnonce() : md5Hex(SHA256_CNONCE_PREFIX + sha256);
        String response = md5Hex(md5Hex(password) + ":" + nonce + ":" + cnonce);
        return COMMAND_AUTH + " " + cnonce + " " + response + (sha256 == null ? "" : " " + sha256) + "\n";
    }

    /** 32 hex digits that say nothing about the image (espota.py hashes the file name and size into its own). */
    static String randomCnonce() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** espota's md5hex(): the MD5 of the text's UTF-8 bytes as lower-case hex. */
    static String md5Hex(String text) {
        return hex("MD5", text.getBytes(StandardCharsets.UTF_8));
    }

    static String hex(String algorithm, byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this Java runtime", e);
        }
    }

    /** What a device said over UDP, sorted into the answers the protocol has. */
    sealed interface Answer {
        /** {@code AUTH <nonce> [mqttvpn/1]}: send the password's response. */
        record Auth(String nonce, boolean mqttvpn) implements Answer {
        }

        /** {@code OK}: go ahead (after the authentication, or at once from a device without a password). */
        record Ok() implements Answer {
        }

        /** {@code ERR: <reason>}: the device cannot take the image. */
        record Refused(String text) implements Answer {
        }

        /** {@code Authentication Failed}. */
        record AuthFailed() implements Answer {
        }

        /** {@code VERSION <version> <slot>} (mqttvpn). */
        record Version(DeviceVersion version) implements Answer {
        }

        /** Anything else: not the espota protocol. */
        record Other(String text) implements Answer {
        }
    }

    static Answer parse(String datagram) {
        String text = datagram.strip();
        if (text.startsWith("AUTH ")) {
            String[] words = text.split(" +");
            if (words.length >= 2 && !words[1].isEmpty()) {
                boolean mqttvpn = false;
                for (int i = 2; i < words.length; i++) {
                    mqttvpn |= words[i].equals(MQTTVPN_EXTENSION);
                }
                return new Answer.Auth(words[1], mqttvpn);
            }
        } else if (text.equals("OK")) {
            return new Answer.Ok();
        } else if (text.startsWith("ERR")) {
            return new Answer.Refused(text);
        } else if (text.toLowerCase(Locale.ROOT).startsWith("authentication failed")) {
            return new Answer.AuthFailed();
        } else if (datagram.startsWith("VERSION ")) {
            return new Answer.Version(DeviceVersion.parse(datagram));
        }
        return new Answer.Other(text);
    }

    /** The text as it may be shown in a message: printable ASCII, at most 200 characters. */
    static String printable(String text) {
        StringBuilder b = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (b.length() >= 200) {
                return b.append("...").toString();
            }
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }
}
