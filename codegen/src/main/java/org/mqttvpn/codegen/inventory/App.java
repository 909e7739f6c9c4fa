package org.mqttvpn.codegen.inventory;

/** The program a firmware device runs on top of the VPN. */
public enum App {
    /** A console on TCP port 23 (settings.telnet_port): status and counters. */
    TELNET("telnet"),
    /** An HTTP status page on port 80 (settings.http_port). */
    WEBSERVER("webserver"),
    /** A Wi-Fi access point whose clients are NAPT-translated; hosts behind it are reachable as NAT targets. */
    NAT("nat"),
    /** Only Wi-Fi and the VPN: a starting point for your own code. */
    BLANK("blank");

    private final String id;

    App(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
