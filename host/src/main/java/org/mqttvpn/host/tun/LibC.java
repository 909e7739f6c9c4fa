package org.mqttvpn.host.tun;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import org.mqttvpn.host.NativeSearchPath;

/**
 * The few libc calls the TUN device needs, direct-mapped (no per-call reflection or boxing).
 * Sizes are passed as int: libffi widens them to the register size on 64-bit targets, and
 * the data path never moves more than an MTU at a time.
 */
final class LibC {
    static {
        NativeSearchPath.withoutLdconfig();
        Native.register(Platform.C_LIBRARY_NAME);
    }

    static final int O_RDWR = 0x2;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;

    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOCK_DGRAM = 2;

    static final short POLLIN = 0x1;

    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EACCES = 13;
    static final int EBUSY = 16;
    static final int ENODEV = 19;
    static final int EINVAL = 22;
    static final int EBADFD = 77;

    private LibC() {
    }

    static native int open(String path, int flags) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    static native int ioctl(int fd, long request, Pointer argp) throws LastErrorException;

    /**
     * No exception on failure: an empty non-blocking interface (EAGAIN) is the normal end of
     * every batch, and an exception each time would allocate. Errors come from
     * {@link com.sun.jna.Native#getLastError()}.
     */
    static native int read(int fd, byte[] buf, int count);

    static native int write(int fd, byte[] buf, int count) throws LastErrorException;

    static native int poll(Pointer fds, int nfds, int timeoutMs) throws LastErrorException;

    static native int socket(int domain, int type, int protocol) throws LastErrorException;

    static native String strerror(int errnum);
}
