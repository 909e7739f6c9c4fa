package org.mqttvpn.tools.serial;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Which processes hold a device open, found by reading the fd symlinks under /proc (as fuser
 * does). Processes of other users are invisible without root; the list is then incomplete.
 */
public final class PortHolders {
    private final Path procRoot;

    public PortHolders() {
        this(Path.of("/proc"));
    }

    public PortHolders(Path procRoot) {
        this.procRoot = procRoot;
    }

    /** A process holding the port. */
    public record Holder(long pid, String command) {
        @Override
        public String toString() {
            return command + " (pid " + pid + ")";
        }
    }

    /** The processes other than this one that have {@code device} open. */
    public List<Holder> of(Path device) {
        List<Holder> holders = new ArrayList<>();
        Path target;
        try {
            target = device.toRealPath();
        } catch (IOException e) {
            return holders;
        }
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(procRoot, p -> isNumber(p.getFileName().toString()))) {
            for (Path proc : procs) {
                long pid = Long.parseLong(proc.getFileName().toString());
                if (pid != self && holds(proc.resolve("fd"), target)) {
                    holders.add(new Holder(pid, command(proc)));
                }
            }
        } catch (IOException e) {
            // no /proc: nothing to report
        }
        return holders;
    }

    private static boolean holds(Path fdDir, Path target) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdDir)) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).equals(target)) {
                        return true;
                    }
                } catch (IOException | UnsupportedOperationException e) {
                    // fd closed meanwhile
                }
            }
        } catch (IOException e) {
            // another user's process, or gone
        }
        return false;
    }

    private static String command(Path proc) {
        try {
            return Files.readString(proc.resolve("comm"), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** " Held by: screen (pid 12), minicom (pid 34)." or "" when none is known. */
    public static String describe(List<Holder> holders) {
        if (holders.isEmpty()) {
            return "";
        }
        StringBuilder s = new StringBuilder(" Held by: ");
        for (int i = 0; i < holders.size(); i++) {
            s.append(i == 0 ? "" : ", ").append(holders.get(i));
        }
        return s.append('.').toString();
    }
}
