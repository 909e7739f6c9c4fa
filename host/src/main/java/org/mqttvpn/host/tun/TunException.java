package org.mqttvpn.host.tun;

import java.io.IOException;

/** A TUN device could not be created or configured; the message says what to do. */
public final class TunException extends IOException {
    /** What went wrong, so a caller can choose an exit code. */
    public enum Kind { PERMISSION, UNAVAILABLE, BUSY, BAD_NAME, CONFIGURATION, IO }

    private final Kind kind;

    public TunException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    static String needsNetAdmin(String what) {
        return what + " needs CAP_NET_ADMIN: run as root (sudo), or grant the capability to java"
                + " with 'sudo setcap cap_net_admin+ep $(readlink -f $(command -v java))'";
    }
}
