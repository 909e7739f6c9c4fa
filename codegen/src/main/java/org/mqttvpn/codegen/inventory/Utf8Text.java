package org.mqttvpn.codegen.inventory;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The text of a file that must be UTF-8 (the inventory, its state file), or the one problem
 * that says what the file is instead: Java's own message for either case is only "Input
 * length = 1". A UTF-16 or UTF-32 byte order mark (or UTF-16 text without one: every other
 * byte zero) names the encoding; a byte that is not UTF-8 is named with its line and column,
 * as an editor counts them (Latin-1 files are the usual cause). A UTF-8 byte order mark is
 * dropped.
 */
public final class Utf8Text {
    private static final String SAVE = "save it as UTF-8";

    private Utf8Text() {
    }

    public static String decode(byte[] bytes, YamlFile file) {
        String other = otherEncoding(bytes);
        if (other != null) {
            throw InventoryException.of(file.start(), "not UTF-8 (looks like " + other + ")", SAVE);
        }
        int start = startsWith(bytes, 0xEF, 0xBB, 0xBF) ? 3 : 0;
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = decoder.decode(in, out, true);
        if (!r.isError()) {
            r = decoder.flush(out);
        }
        out.flip();
        if (r.isError()) {
            int bad = bytes[in.position()] & 0xff;
            throw InventoryException.of(positionAfter(out, file), String.format("byte 0x%02X is not UTF-8", bad)
                    + (bad >= 0x80 ? " (Latin-1?)" : ""), "save the file as UTF-8");
        }
        return out.toString();
    }

    /** The encoding the bytes are in when it is plainly not UTF-8, or null. */
    private static String otherEncoding(byte[] b) {
        // UTF-32 first: its little-endian mark begins with UTF-16's
        if (startsWith(b, 0x00, 0x00, 0xFE, 0xFF)) {
            return "UTF-32 BE, from its byte order mark";
        }
        if (startsWith(b, 0xFF, 0xFE, 0x00, 0x00)) {
            return "UTF-32 LE, from its byte order mark";
        }
        if (startsWith(b, 0xFE, 0xFF)) {
            return "UTF-16 BE, from its byte order mark";
        }
        if (startsWith(b, 0xFF, 0xFE)) {
            return "UTF-16 LE, from its byte order mark";
        }
        if (zeroEveryOtherByte(b, 1)) {
            return "UTF-16 LE without a byte order mark: every other byte is zero";
        }
        if (zeroEveryOtherByte(b, 0)) {
            return "UTF-16 BE without a byte order mark: every other byte is zero";
        }
        return null;
    }

    /** Whether the first bytes (at least 4) are zero exactly at the positions of parity {@code zeros}. */
    private static boolean zeroEveryOtherByte(byte[] b, int zeros) {
        int n = Math.min(b.length & ~1, 64);
        if (n < 4) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if ((b[i] == 0) != (i % 2 == zeros)) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] b, int... prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((b[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** The line and column just after the text read so far (line breaks: \n, \r\n, \r, as in YAML). */
    private static Position positionAfter(CharSequence read, YamlFile file) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < read.length(); i++) {
            char c = read.charAt(i);
            if (c == '\n' || c == '\r' && (i + 1 == read.length() || read.charAt(i + 1) != '\n')) {
                line++;
                column = 1;
            } else if (c != '\r' && !Character.isLowSurrogate(c)) {
                column++;
            }
        }
        return new Position(file.name(), line, column);
    }
}
