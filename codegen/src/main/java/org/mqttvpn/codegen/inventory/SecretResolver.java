package org.mqttvpn.codegen.inventory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.mqttvpn.host.codec.Key;

/**
 * Turns {@code env:NAME} and {@code file:PATH} references into their values, reporting every
 * reference that leads nowhere. Files are read as the first line, without its line end (as
 * {@code toolkit vpn --key-file} reads them), so that an editor's trailing newline is harmless.
 */
public final class SecretResolver {
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Path baseDirectory;
    private final Map<String, String> environment;
    private final Problems problems;

    public SecretResolver(Path baseDirectory, Map<String, String> environment, Problems problems) {
        this.baseDirectory = baseDirectory;
        this.environment = environment;
        this.problems = problems;
    }

    /** The value behind the reference, or null (and a problem recorded) when there is none. */
    public String resolve(Secret secret, Position at, String what) {
        if (secret instanceof Secret.Env env) {
            return fromEnvironment(env, at, what);
        }
        if (secret instanceof Secret.FileRef file) {
            return fromFile(file, at, what);
        }
        if (secret instanceof Secret.Literal literal) {
            return literal.value();
        }
        return null;
    }

    private String fromEnvironment(Secret.Env env, Position at, String what) {
        String name = env.variable();
        if (!ENV_NAME.matcher(name).matches()) {
            problems.add(at, what + ": 'env:" + name + "' is not an environment variable name",
                    "write env:NAME with letters, digits and '_', like env:MQTT_PASSWORD");
            return null;
        }
        String value = environment.get(name);
        if (value == null) {
            problems.add(at, what + ": environment variable " + name + " is not set",
                    "export " + name + "=... before running, or write file:PATH to read it from a file");
            return null;
        }
        if (value.isEmpty()) {
            problems.add(at, what + ": environment variable " + name + " is empty",
                    "give " + name + " a value, or remove the entry");
            return null;
        }
        return value;
    }

    private String fromFile(Secret.FileRef ref, Position at, String what) {
        if (ref.path().isBlank()) {
            problems.add(at, what + ": 'file:' names no file", "write file:PATH, relative to the inventory's directory");
            return null;
        }
        Path file = resolvePath(ref.path());
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            problems.add(at, what + ": file " + file + " does not exist",
                    "create it (the secret on its first line) or correct the path; relative paths start at " + baseDirectory);
            return null;
        } catch (AccessDeniedException e) {
            problems.add(at, what + ": file " + file + " is not readable by this user", "run as its owner, or chmod it");
            return null;
        } catch (IOException e) {
            problems.add(at, what + ": cannot read " + file + " (" + e.getMessage() + ")", "check that it is a readable text file");
            return null;
        }
        String line = Key.firstLine(text);
        if (line.isEmpty()) {
            problems.add(at, what + ": the first line of " + file + " is empty", "put the secret on the first line");
            return null;
        }
        return line;
    }

    public Path resolvePath(String path) {
        return baseDirectory.resolve(path).normalize();
    }
}
