package org.mqttvpn.host.tun;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.io.Closeable;
import java.nio.charset.StandardCharsets;

/**
 * A Linux TUN interface in IFF_TUN | IFF_NO_PI mode: every read returns one IP packet, every
 * write sends one. The interface exists while this object is open (unless it was made
 * persistent elsewhere); {@link #close} removes it.
 *
 * <p>{@link #read} and {@link #write} may be called from different threads; each is
 * allocation-free.
 */
public final class TunDevice implements Closeable {
    private final int fd;
    private final String name;
    /** struct pollfd for the waiting reader (one waiter at a time). */
    private final Memory waitFd = pollFd();
    private volatile boolean closed;

    private TunDevice(int fd, String name) {
        this.fd = fd;
        this.name = name;
        waitFd.setInt(0, fd);
        waitFd.setShort(4, LibC.POLLIN);
        waitFd.setShort(6, (short) 0);
    }

    private static Memory pollFd() {
        return new Memory(8);
    }

    /**
     * Creates (or attaches to) the TUN interface {@code requestedName}; a name with
     * {@code %d} lets the kernel choose the number.
     */
    public static TunDevice open(String requestedName) throws TunException {
        validateName(requestedName);
        int fd;
        try {
            // Non-blocking: two threads read, and an empty interface must answer at once.
            fd = LibC.open("/dev/net/tun", LibC.O_RDWR | LibC.O_CLOEXEC | LibC.O_NONBLOCK);
        } catch (LastErrorException e) {
            int errno = e.getErrorCode();
            if (errno == LibC.EPERM || errno == LibC.EACCES) {
                throw new TunException(TunException.Kind.PERMISSION,
                        TunException.needsNetAdmin("opening /dev/net/tun"));
            }
            if (errno == LibC.ENOENT || errno == LibC.ENODEV) {
                throw new TunException(TunException.Kind.UNAVAILABLE,
                        "/dev/net/tun is missing: load the tun module ('sudo modprobe tun') or, in a container,"
                                + " pass the device in (docker: --device /dev/net/tun --cap-add NET_ADMIN)");
            }
            throw new TunException(TunException.Kind.IO, "opening /dev/net/tun: " + LibC.strerror(errno));
        }
        try (Memory ifr = new Memory(IfTun.IFREQ_SIZE)) {
            ifr.clear();
            ifr.write(0, requestedName.getBytes(StandardCharsets.US_ASCII), 0, requestedName.length());
            ifr.setShort(IfTun.IFR_UNION, (short) (IfTun.IFF_TUN | IfTun.IFF_NO_PI));
            LibC.ioctl(fd, IfTun.TUNSETIFF, ifr);
            String actual = ifr.getString(0, StandardCharsets.US_ASCII.name());
            return new TunDevice(fd, actual);
        } catch (LastErrorException e) {
            closeQuietly(fd);
            int errno = e.getErrorCode();
            if (errno == LibC.EPERM || errno == LibC.EACCES) {
                throw new TunException(TunException.Kind.PERMISSION,
                        TunException.needsNetAdmin("creating TUN interface " + requestedName));
            }
            if (errno == LibC.EBUSY) {
                throw new TunException(TunException.Kind.BUSY, "interface " + requestedName
                        + " is already in use by another process (is another mqttvpn running?): choose another name with -i");
            }
            if (errno == LibC.EINVAL) {
                throw new TunException(TunException.Kind.BAD_NAME, "interface " + requestedName
                        + " exists and is not a TUN device (or the name is invalid): choose another name with -i");
            }
            throw new TunException(TunException.Kind.IO,
                    "creating TUN interface " + requestedName + ": " + LibC.strerror(errno));
        }
    }

    /** Checks an interface name before anything is created: at most 15 printable characters, no '/' or ':'. */
    public static void validateName(String name) throws TunException {
        if (name == null || name.isEmpty()) {
            throw new TunException(TunException.Kind.BAD_NAME, "interface name is empty");
        }
        if (name.equals(".") || name.equals("..")) {
            // the kernel's dev_valid_name refuses them: they would be directories in /sys/class/net
            throw new TunException(TunException.Kind.BAD_NAME, "interface name '" + name + "' is not allowed: use letters,"
                    + " digits, '-', '_' or '.', like mq0");
        }
        if (name.length() >= IfTun.IFNAMSIZ) {
            throw new TunException(TunException.Kind.BAD_NAME,
                    "interface name '" + name + "' is longer than 15 characters");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 127 || c == '/' || c == ':') {
                throw new TunException(TunException.Kind.BAD_NAME, "interface name '" + name
                        + "' contains '" + c + "': use letters, digits, '-', '_' or '.'");
            }
        }
    }

    public String name() {
        return name;
    }

    /**
     * Waits until a packet can be read, at most {@code timeoutMs} (so a reader can notice a
     * shutdown). Only one thread may wait at a time.
     */
    public boolean awaitReadable(int timeoutMs) throws TunException {
        try {
            return LibC.poll(waitFd, 1, timeoutMs) > 0;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == LibC.EINTR) {
                return false;
            }
            throw failure("waiting for", e.getErrorCode());
        }
    }

    /**
     * Reads one packet into {@code buf} if one is queued, without waiting; returns its length
     * or 0. One system call, no allocation, also when nothing is queued.
     */
    public int readIfReady(byte[] buf) throws TunException {
        int n = LibC.read(fd, buf, buf.length);
        if (n > 0) {
            return n;
        }
        int errno = n < 0 ? Native.getLastError() : 0;
        if (n == 0 || errno == LibC.EAGAIN || errno == LibC.EINTR) {
            return 0;
        }
        throw failure("reading from", errno);
    }

    /** Writes one packet; returns false if the kernel refused it (the packet is dropped). */
    public boolean write(byte[] packet, int len) throws TunException {
        try {
            return LibC.write(fd, packet, len) == len;
        } catch (LastErrorException e) {
            int errno = e.getErrorCode();
            if (errno == LibC.EINVAL || errno == LibC.EAGAIN) {
                return false; // a packet the kernel will not take must not stop the daemon
            }
            throw failure("writing to", errno);
        }
    }

    /** What a failed read, write or wait means for the user. */
    private TunException failure(String doing, int errno) {
        if (errno == LibC.EBADFD) { // the kernel detached the descriptor: the interface is gone
            return new TunException(TunException.Kind.IO, "interface " + name + " was deleted while the daemon ran"
                    + " (ip link del?): start the daemon again to recreate it");
        }
        return new TunException(TunException.Kind.IO, doing + " " + name + ": " + LibC.strerror(errno));
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            closeQuietly(fd);
        }
    }

    private static void closeQuietly(int fd) {
        try {
            LibC.close(fd);
        } catch (LastErrorException ignored) {
            // nothing useful to do: the descriptor is gone either way
        }
    }
}
