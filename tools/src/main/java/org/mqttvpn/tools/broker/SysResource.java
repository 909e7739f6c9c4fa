package org.mqttvpn.tools.broker;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * {@code <sys/resource.h>}: getrlimit and setrlimit, direct-mapped. A {@code struct rlimit}
 * is two {@code rlim_t} (unsigned long on Linux: 64 bits on the 64-bit targets the toolkit
 * runs on), passed as a {@code long[2]}: {@code {rlim_cur, rlim_max}}.
 */
final class SysResource {
    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    /** Linux's RLIMIT_NOFILE on x86, ARM and RISC-V. */
    static final int RLIMIT_NOFILE = 7;
    /** RLIM_INFINITY: all bits set. */
    static final long RLIM_INFINITY = -1L;

    private SysResource() {
    }

    static native int getrlimit(int resource, long[] rlim) throws LastErrorException;

    static native int setrlimit(int resource, long[] rlim) throws LastErrorException;
}
