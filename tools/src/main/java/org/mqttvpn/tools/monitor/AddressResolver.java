package org.mqttvpn.tools.monitor;

import java.util.List;

/** Turns code addresses into "function at file:line" lines. */
public interface AddressResolver {
    /**
     * One or more lines per address, in order ("0x40201004: deep_function at crash.c:2", plus
     * "(inlined by) ..." lines); or a single line saying why nothing could be resolved.
     */
    List<String> resolve(Toolchain toolchain, List<Long> addresses);
}
