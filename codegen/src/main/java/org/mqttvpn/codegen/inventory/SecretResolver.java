package org.mqttvpn.codegen.inventory;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.mqttvpn.host.secret.SecretFile;
import org.mqttvpn.host.secret.SecretFileException;

/**
 * Turns {@code env:NAME} and {@code file:PATH} references into their values, reporting every
 * reference that leads nowhere. Files are read by {@link SecretFile}, as {@code toolkit vpn
 * --key-file} and the virtual device read them (the first line of a small regular file);
 * environment variables are held to the same limits (one line, at most 1024 bytes).
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
        try {
            SecretFile.checkValue(value, "environment variable " + name);
        } catch (SecretFileException e) {
            problems.add(at, what + ": " + e.problem(), e.fix());
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
        try {
            return SecretFile.read(file);
        } catch (SecretFileException e) {
            String fix = e.kind() == SecretFileException.Kind.NOT_FOUND
                    ? e.fix() + "; relative paths start at " + baseDirectory : e.fix();
            problems.add(at, what + ": " + e.problem(), fix);
            return null;
        }
    }

    public Path resolvePath(String path) {
        return baseDirectory.resolve(path).normalize();
    }
}
