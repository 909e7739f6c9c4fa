package org.mqttvpn.host.codec;

import com.goterl.lazysodium.SodiumJava;
import com.goterl.lazysodium.utils.LibraryLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.mqttvpn.host.NativeSearchPath;
import org.slf4j.LoggerFactory;

/**
 * The one libsodium binding of the process. Loading it unpacks a native library, so it is
 * done once, lazily, and shared by every codec.
 */
public final class Sodium {
    private static volatile SodiumJava instance;

    private Sodium() {
    }

    public static SodiumJava get() {
        SodiumJava s = instance;
        if (s == null) {
            synchronized (Sodium.class) {
                s = instance;
                if (s == null) {
                    s = load();
                    instance = s;
                }
            }
        }
        return s;
    }

    /**
     * The bundled build, a known libsodium; a system one only if the bundled one cannot load on
     * this platform. The bundled library is unpacked here, alone: lazysodium's own loader
     * (LibraryLoader.Mode.PREFER_BUNDLED) reads every entry of the jar it is in to find it,
     * which in toolkit.jar took about a second of the daemon's start with a key.
     */
    private static SodiumJava load() {
        NativeSearchPath.withoutLdconfig();
        Path dir = null;
        try (InputStream in = SodiumJava.class.getResourceAsStream("/" + LibraryLoader.getSodiumPathInResources())) {
            if (in != null) {
                dir = Files.createTempDirectory("mqttvpn-sodium-"); // owner-only: nobody else can swap the library
                Path library = dir.resolve(System.mapLibraryName("sodium"));
                Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
                return new SodiumJava(library.toAbsolutePath().toString());
            }
        } catch (IOException | RuntimeException | LinkageError e) {
            // a platform without a bundled build, or no writable temporary directory: lazysodium's way,
            // which costs about a second of every start (it reads every entry of the jar); say why
            LoggerFactory.getLogger("mqttvpn.crypto").info("libsodium: the bundled copy could not be loaded from a"
                    + " temporary directory ({}); using lazysodium's loader, which makes the start about a second"
                    + " slower (a writable, exec-allowed java.io.tmpdir avoids it)", e.toString());
        } finally {
            deleteQuietly(dir);
        }
        return new SodiumJava(LibraryLoader.Mode.PREFER_BUNDLED);
    }

    /** The loaded library stays mapped; its file is not needed after loading. */
    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try {
            Files.deleteIfExists(dir.resolve(System.mapLibraryName("sodium")));
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a leftover in the temporary directory
        }
    }
}
