package org.mqttvpn.tools.broker;

import com.sun.jna.LastErrorException;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The process's open-file limit (RLIMIT_NOFILE), which caps the clients a broker takes: every
 * client is one socket. Linux's default soft limit is 1024 (mosquitto with it took 1,014
 * devices); the hard limit is usually far higher, and a process may raise its soft limit up to
 * it. HotSpot does that by itself at start (-XX:+MaxFDLimit, on by default); this does not
 * rely on it.
 *
 * @param soft   the soft limit now (after {@link #raiseToHard()}), or {@link SysResource#RLIM_INFINITY}
 * @param hard   the hard limit
 * @param before the soft limit found at start
 * @param inUse  descriptors open when it was read (the JVM's own jars, sockets, ...)
 */
record OpenFileLimit(long soft, long hard, long before, long inUse) {
    /** Below this many clients, the broker warns at start. */
    static final long LOW = 2000;

    /** Raises the soft limit to the hard limit. */
    static OpenFileLimit raiseToHard() throws IOException {
        if (!Platform.isLinux()) {
            throw new IOException("reading the open-file limit is implemented for Linux only");
        }
        long[] rlim = new long[2];
        try {
            SysResource.getrlimit(SysResource.RLIMIT_NOFILE, rlim);
            long before = rlim[0];
            if (rlim[0] != rlim[1]) {
                SysResource.setrlimit(SysResource.RLIMIT_NOFILE, new long[] {rlim[1], rlim[1]});
                SysResource.getrlimit(SysResource.RLIMIT_NOFILE, rlim);
            }
            return new OpenFileLimit(rlim[0], rlim[1], before, openDescriptors());
        } catch (LastErrorException e) {
            throw new IOException("getrlimit/setrlimit(RLIMIT_NOFILE) failed: errno " + e.getErrorCode(), e);
        }
    }

    /** The same limits, with the descriptors open now (once the broker listens, say). */
    OpenFileLimit recount() throws IOException {
        return new OpenFileLimit(soft, hard, before, openDescriptors());
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    boolean unlimited() {
        return soft == SysResource.RLIM_INFINITY;
    }

    /** About how many clients fit: the limit less what is open, less a margin for the broker's own files. */
    long clients() {
        return unlimited() ? Long.MAX_VALUE : Math.max(0, soft - inUse - 16);
    }

    boolean low() {
        return clients() < LOW;
    }

    /** For the start line: "open-file limit 4096 (raised from 1024): room for about 4,040 clients". */
    String describe() {
        if (unlimited()) {
            return "open-file limit unlimited";
        }
        String raised = before != soft ? " (raised from " + (before == SysResource.RLIM_INFINITY ? "unlimited" : before) + ")" : "";
        return String.format(Locale.ROOT, "open-file limit %d%s: room for about %,d clients", soft, raised, clients());
    }

    /** What to do about a low limit. */
    String advice() {
        return String.format(Locale.ROOT, "the open-file limit (%d, the hard limit) lets at most about %,d clients connect: raise the hard"
                + " limit (systemd: LimitNOFILE=65536 in the unit; a shell: ulimit -Hn 65536 as root, or"
                + " /etc/security/limits.conf) and start the broker again", hard, clients());
    }
}
