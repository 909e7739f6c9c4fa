package org.mqttvpn.codegen.inventory;

import java.net.InetAddress;

/** An address as the inventory gives it: a fixed one, or {@code auto} (fixed == null). */
public record AddressChoice<A extends InetAddress>(A fixed, Position at) {
    public static final String AUTO = "auto";

    public boolean auto() {
        return fixed == null;
    }
}
