package org.mqttvpn.host.codec;

/** Why a frame received from the broker was not written to the interface. */
public enum DropReason {
    /** Shorter than the 56-byte frame overhead plus a minimal IP header. */
    TOO_SHORT("too_short"),
    /** Poly1305 authentication failed: wrong key or a damaged frame. */
    AUTH_FAILED("auth_failed"),
    /** The plaintext is not a plausible IPv4 or IPv6 packet. */
    NOT_IP("not_ip"),
    /** The packet is longer than the interface MTU. */
    TOO_LONG("too_long");

    private final String counterName;

    DropReason(String counterName) {
        this.counterName = counterName;
    }

    /** The name used in the counters line, e.g. {@code drop_auth_failed}. */
    public String counterName() {
        return "drop_" + counterName;
    }
}
