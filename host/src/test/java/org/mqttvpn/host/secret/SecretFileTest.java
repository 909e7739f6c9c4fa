package org.mqttvpn.host.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mqttvpn.host.codec.Key;
import org.mqttvpn.host.secret.SecretFileException.Kind;

class SecretFileTest {
    @TempDir
    Path dir;

    /** One row of firmware/host-sim/test/secret_files.txt, which the virtual device's C test runs too. */
    record Case(String name, byte[] file, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> table() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (InputStream in = SecretFileTest.class.getResourceAsStream("/vectors/secret_files.txt")) {
            assertThat(in).as("secret_files.txt among the test resources").isNotNull();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                String[] f = t.split("\\s+");
                assertThat(f).as(line).hasSize(3);
                cases.add(new Case(f[0], bytes(f[1]), f[2]));
            }
        }
        return cases;
    }

    /** "-", or hex parts joined by '+', each repeated N times when followed by *N. */
    static byte[] bytes(String spec) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (spec.equals("-")) {
            return out.toByteArray();
        }
        for (String part : spec.split("\\+")) {
            String[] repeat = part.split("\\*");
            byte[] b = HexFormat.of().parseHex(repeat[0]);
            int n = repeat.length == 2 ? Integer.parseInt(repeat[1]) : 1;
            for (int i = 0; i < n; i++) {
                out.writeBytes(b);
            }
        }
        return out.toByteArray();
    }

    static Stream<Arguments> cases() throws IOException {
        return table().stream().map(Arguments::of);
    }

    @Test
    void theSharedTableCoversEveryProblemOfTheContent() throws IOException {
        List<String> expected = table().stream().map(c -> c.expected().replaceAll("[@:].*", "")).distinct().toList();
        assertThat(expected).containsExactlyInAnyOrder("ok", "empty", "too_long", "file_too_big", "nul", "stray_cr",
                "bom", "not_utf8");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyCaseOfTheSharedTableReadsAsTheVirtualDeviceReadsIt(Case c) throws IOException {
        Path file = Files.write(dir.resolve(c.name()), c.file());
        if (c.expected().startsWith("ok:")) {
            String secret = assertDoesNotFail(file);
            assertThat(HexFormat.of().formatHex(secret.getBytes(StandardCharsets.UTF_8)))
                    .isEqualTo(HexFormat.of().formatHex(bytes(c.expected().substring(3))));
            return;
        }
        SecretFileException e = catchThrowableOfType(() -> SecretFile.read(file), SecretFileException.class);
        assertThat(e).as("%s is refused", c.name()).isNotNull();
        String[] kindAt = c.expected().split("@");
        assertThat(e.kind().tableName()).as(e.getMessage()).isEqualTo(kindAt[0]);
        assertThat(e.offset()).as(e.getMessage()).isEqualTo(kindAt.length == 2 ? Integer.parseInt(kindAt[1]) : -1);
        assertThat(e.problem()).contains(file.toString());
        assertThat(e.fix()).isNotBlank();
    }

    private static String assertDoesNotFail(Path file) {
        try {
            return SecretFile.read(file);
        } catch (SecretFileException e) {
            throw new AssertionError("refused: " + e.getMessage(), e);
        }
    }

    @Test
    void theKeyIsSha512OfTheLinesBytesExactly() throws Exception {
        byte[] line = "  clé  ".getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("k");
        Files.write(file, concat(line, "\r\nsecond line\n".getBytes(StandardCharsets.US_ASCII)));
        byte[] sha512 = MessageDigest.getInstance("SHA-512").digest(line);
        assertThat(Key.fromPassword(SecretFile.read(file)).copyOfBytes()).isEqualTo(Arrays.copyOf(sha512, Key.BYTES));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // blocking or reading forever fails here
    void filesThatCouldBlockOrNeverEndAreRefusedAtOnce() throws Exception {
        assertRefused(Path.of("/dev/zero"), Kind.NOT_REGULAR, "/dev/zero is not a regular file (a pipe, a socket or a device)");
        assertRefused(Path.of("/dev/urandom"), Kind.NOT_REGULAR, "/dev/urandom is not a regular file");
        Path fifo = dir.resolve("key.fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(mkfifo.exitValue()).isZero();
        assertRefused(fifo, Kind.NOT_REGULAR, fifo + " is not a regular file");
        assertRefused(Files.createDirectory(dir.resolve("keys")), Kind.DIRECTORY, dir.resolve("keys") + " is a directory");
        Path big = Files.write(dir.resolve("big"), new byte[1 << 20]);
        assertRefused(big, Kind.FILE_TOO_BIG, big + " is longer than 4096 bytes");
        Path link = Files.createSymbolicLink(dir.resolve("link"), Path.of("/dev/zero"));
        assertRefused(link, Kind.NOT_REGULAR, link + " is not a regular file");
    }

    @Test
    void aMissingFileAndALongSecretAreNamedWithWhatToDo() throws IOException {
        Path missing = dir.resolve("nope");
        SecretFileException e = assertRefused(missing, Kind.NOT_FOUND, missing + " does not exist");
        assertThat(e.fix()).contains("create it");
        Path longKey = Files.writeString(dir.resolve("long"), "a".repeat(2000) + "\n");
        e = assertRefused(longKey, Kind.TOO_LONG, "the first line of " + longKey + " is longer than 1024 bytes (2000)");
        assertThat(e.getMessage()).endsWith(": use a shorter secret: 64 random hex digits (256 bits) are plenty");
    }

    @Test
    void aValueGivenAnotherWayHasTheSameLimits() throws SecretFileException {
        SecretFile.checkValue("a".repeat(1024), "-k");
        SecretFile.checkValue("é".repeat(512), "-k");
        SecretFile.checkValue("", "-k");
        assertValueRefused("é".repeat(513), Kind.TOO_LONG, "environment variable K is longer than 1024 bytes (1026)");
        assertValueRefused("two\nlines", Kind.LINE_BREAK, "environment variable K holds a line break (byte 4)");
        assertValueRefused("cr\r", Kind.LINE_BREAK, "environment variable K holds a line break (byte 3)");
        assertValueRefused("n\0ul", Kind.NUL, "environment variable K holds a NUL byte (byte 2)");
    }

    private static void assertValueRefused(String value, Kind kind, String problem) {
        SecretFileException e = catchThrowableOfType(() -> SecretFile.checkValue(value, "environment variable K"),
                SecretFileException.class);
        assertThat(e).isNotNull();
        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.problem()).isEqualTo(problem);
    }

    private static SecretFileException assertRefused(Path file, Kind kind, String problem) {
        SecretFileException e = catchThrowableOfType(() -> SecretFile.read(file), SecretFileException.class);
        assertThat(e).as("%s is refused", file).isNotNull();
        assertThat(e.kind()).as(e.getMessage()).isEqualTo(kind);
        assertThat(e.problem()).startsWith(problem);
        return e;
    }
}
