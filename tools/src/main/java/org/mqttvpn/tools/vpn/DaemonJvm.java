package org.mqttvpn.tools.vpn;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM options {@code toolkit vpn} runs with, as users run it: those of
 * {@code daemon.jvmopts} (the file the launcher hands to java), and the class data sharing
 * archive built with the jar when it is there and not older than the jar.
 */
public final class DaemonJvm {
    /** Next to toolkit.jar; built by the Maven build (see tools/pom.xml, ClassDataTraining). */
    public static final String ARCHIVE_NAME = "toolkit-vpn.jsa";
    private static final String OPTIONS = "daemon.jvmopts";
    /** glibc's malloc arenas the launcher allows the daemon (an environment variable, not a JVM option). */
    public static final String MALLOC_ARENA_MAX = "2";

    private DaemonJvm() {
    }

    /** The options of {@code daemon.jvmopts}, without comments and blank lines. */
    public static List<String> options() {
        return read(DaemonJvm.class, OPTIONS);
    }

    /**
     * The options of a launcher's options file (one option per line, {@code #} comments) kept as
     * a resource beside {@code owner}.
     */
    public static List<String> read(Class<?> owner, String file) {
        try (InputStream in = owner.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException(file + " is missing from the class path: rebuild toolkit.jar");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> parse(String text) {
        List<String> options = new ArrayList<>();
        for (String line : text.split("\n")) {
            String option = line.strip();
            if (!option.isEmpty() && !option.startsWith("#")) {
                options.add(option);
            }
        }
        return options;
    }

    /**
     * {@code -XX:SharedArchiveFile=...} for a class path of one jar with the archive next to it,
     * built after the jar; empty otherwise (the JVM then starts without it, only slower).
     */
    public static List<String> archiveOption(String classPath) {
        if (classPath.contains(java.io.File.pathSeparator) || !classPath.endsWith(".jar")) {
            return List.of();
        }
        Path jar = Path.of(classPath).toAbsolutePath();
        Path archive = jar.resolveSibling(ARCHIVE_NAME);
        try {
            if (Files.isRegularFile(archive)
                    && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) >= 0) {
                return List.of("-XX:SharedArchiveFile=" + archive);
            }
        } catch (IOException e) {
            // unreadable: start without it
        }
        return List.of();
    }
}
