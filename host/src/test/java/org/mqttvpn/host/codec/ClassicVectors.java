package org.mqttvpn.host.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HexFormat;

/** ../shared/vectors/classic.json, copied into the test resources: computed with libsodium. */
public final class ClassicVectors {
    private static JsonNode root;

    private ClassicVectors() {
    }

    public static synchronized JsonNode root() {
        if (root == null) {
            try (InputStream in = ClassicVectors.class.getResourceAsStream("/vectors/classic.json")) {
                root = new ObjectMapper().readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root;
    }

    public static byte[] hex(JsonNode node) {
        return HexFormat.of().parseHex(node.asText());
    }
}
