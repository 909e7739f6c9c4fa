package org.mqttvpn.host.codec;

import com.goterl.lazysodium.SodiumJava;
import com.goterl.lazysodium.utils.LibraryLoader;

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
                    // The bundled build is a known libsodium; a system one is used only if
                    // the bundled one cannot load on this platform.
                    s = new SodiumJava(LibraryLoader.Mode.PREFER_BUNDLED);
                    instance = s;
                }
            }
        }
        return s;
    }
}
