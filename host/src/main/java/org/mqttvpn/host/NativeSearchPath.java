package org.mqttvpn.host;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * Where JNA looks for a library given by name. Unless {@code jna.platform.library.path} is set,
 * JNA runs {@code /sbin/ldconfig -p} the first time it loads a library on Linux, to learn the
 * system's directories: a child process, the JDK's process classes and a reaper thread in every
 * daemon. The daemon needs no search (libc is the process's own, which JNA opens without a path;
 * libsodium is loaded from where it was unpacked), so the usual directories are given instead,
 * for the one fallback that searches (a system libsodium). A value the user set stays.
 */
public final class NativeSearchPath {
    static final String PROPERTY = "jna.platform.library.path";

    private NativeSearchPath() {
    }

    /** Call before the first use of JNA's NativeLibrary (registering a library). */
    public static void withoutLdconfig() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, String.join(File.pathSeparator, usualDirectories()));
        }
    }

    /** /usr/local/lib, the multiarch directories (x86_64-linux-gnu, ...), lib64, lib. */
    static List<String> usualDirectories() {
        List<String> dirs = new ArrayList<>();
        addIfDirectory(dirs, new File("/usr/local/lib"));
        for (String root : new String[] {"/usr/lib", "/lib"}) {
            File[] multiarch = new File(root).listFiles(f -> f.isDirectory() && f.getName().contains("-linux-"));
            if (multiarch != null) {
                for (File f : multiarch) {
                    dirs.add(f.getPath());
                }
            }
        }
        for (String dir : new String[] {"/usr/lib64", "/lib64", "/usr/lib", "/lib"}) {
            addIfDirectory(dirs, new File(dir));
        }
        return dirs;
    }

    private static void addIfDirectory(List<String> dirs, File dir) {
        if (dir.isDirectory()) {
            dirs.add(dir.getPath());
        }
    }
}
