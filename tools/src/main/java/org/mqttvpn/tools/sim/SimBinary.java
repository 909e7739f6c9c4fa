package org.mqttvpn.tools.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.mqttvpn.tools.cli.ExitCode;
import org.mqttvpn.tools.cli.ToolkitException;
import org.mqttvpn.tools.firmware.CachedResource;

/**
 * Finds the virtual device program (firmware/host-sim, C): $MQTTVPN_SIM if set, else the
 * copy packaged inside toolkit.jar, unpacked into the user's cache.
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
        String arch = System.getProperty("os.arch");
        if (!"amd64".equals(arch) && !"x86_64".equals(arch)) {
            throw new ToolkitException(ExitCode.UNAVAILABLE, "toolkit.jar carries the virtual device for Linux x86_64 only;"
                    + " build firmware/host-sim on this machine (make -C firmware/host-sim) and point " + ENV + " at it");
        }
        Path binary;
        try {
            binary = CachedResource.unpack(RESOURCE, "mqttvpn-sim", true);
        } catch (IOException e) {
            throw new ToolkitException(ExitCode.FAILURE, "cannot unpack the virtual device into the cache ("
                    + e.getMessage() + "): make ~/.cache/mqttvpn writable, set XDG_CACHE_HOME to a writable"
                    + " directory, or point " + ENV + " at a built firmware/host-sim/build/mqttvpn-sim");
        }
        if (binary == null) {
            throw new ToolkitException(ExitCode.UNAVAILABLE, "this toolkit.jar was built without the virtual device:"
                    + " rebuild it with 'mvn package' (needs liblwip-dev and libmosquitto-dev: ci/deps installs them)");
        }
        return binary;
    }
}
