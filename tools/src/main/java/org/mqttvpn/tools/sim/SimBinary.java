package org.mqttvpn.tools.sim;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.mqttvpn.tools.cli.ExitCode;
import org.mqttvpn.tools.cli.ToolkitException;

/**
 * Finds the virtual device program (firmware/host-sim, C): $MQTTVPN_SIM if set, else the
 * copy packaged inside toolkit.jar, unpacked once per content hash into the user's cache.
 */
public final class SimBinary {
    static final String RESOURCE = "/native/linux-x86_64/mqttvpn-sim";
    public static final String ENV = "MQTTVPN_SIM";

    private SimBinary() {
    }

    public static Path locate() {
        String override = System.getenv(ENV);
        if (override != null && !override.isBlank()) {
            Path p = Path.of(override);
            if (!Files.isExecutable(p)) {
                throw new ToolkitException(ExitCode.UNAVAILABLE, ENV + "=" + override + " is not an executable file");
            }
            return p;
        }
        if (!"amd64".equals(System.getProperty("os.arch")) && !"x86_64".equals(System.getProperty("os.arch"))) {
            throw new ToolkitException(ExitCode.UNAVAILABLE, "toolkit.jar carries the virtual device for Linux x86_64 only;"
                    + " build firmware/host-sim on this machine (make -C firmware/host-sim) and point " + ENV + " at it");
        }
        try {
            return unpack();
        } catch (IOException e) {
            throw new ToolkitException(ExitCode.FAILURE, "cannot unpack the virtual device: " + e.getMessage());
        }
    }

    private static Path unpack() throws IOException {
        byte[] bytes;
        try (InputStream in = SimBinary.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new ToolkitException(ExitCode.UNAVAILABLE, "this toolkit.jar was built without the virtual device:"
                        + " rebuild it with 'mvn package' (needs liblwip-dev and libmosquitto-dev: ci/deps installs them)");
            }
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (DigestInputStream din = new DigestInputStream(in, sha)) {
                bytes = din.readAllBytes();
            }
            String hash = HexFormat.of().formatHex(sha.digest()).substring(0, 16);
            Path dir = cacheDir().resolve("sim-" + hash);
            Path target = dir.resolve("mqttvpn-sim");
            if (Files.isExecutable(target) && Files.size(target) == bytes.length) {
                return target;
            }
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "mqttvpn-sim", ".tmp");
            Files.write(tmp, bytes);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path cacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("mqttvpn");
    }
}
