package org.mqttvpn.tools.lab;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import org.mqttvpn.codegen.render.MosquittoBridge;

/**
 * Two sites, each a {@link NetworkLab} with its own mosquitto, whose broker namespaces are
 * joined by a link: a node of one site reaches only its own site's broker, and the brokers
 * reach each other, as with one broker per building. The first site is the hub; the second
 * site's mosquitto opens the bridge to it.
 */
public final class BridgedSites implements Closeable {
    public static final int PORT = 1883;
    private final NetworkLab hub;
    private final NetworkLab site;
    private final String hubAddress;
    private LabProcess hubBroker;
    private LabProcess siteBroker;

    private BridgedSites(NetworkLab hub, NetworkLab site, String hubAddress) {
        this.hub = hub;
        this.site = site;
        this.hubAddress = hubAddress;
    }

    /** Creates both labs and the link between their brokers; needs root. */
    public static BridgedSites create() throws IOException, InterruptedException {
        NetworkLab hub = NetworkLab.create();
        NetworkLab site = null;
        try {
            site = NetworkLab.create();
            return new BridgedSites(hub, site, hub.linkBroker(site));
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (site != null) {
                site.close();
            }
            hub.close();
            throw e;
        }
    }

    public NetworkLab hub() {
        return hub;
    }

    public NetworkLab site() {
        return site;
    }

    public LabProcess hubBroker() {
        return hubBroker;
    }

    public LabProcess siteBroker() {
        return siteBroker;
    }

    /**
     * The bridge as {@code toolkit gen} would render it: the hub's broker serves the nodes of
     * {@code hubNodes}, the site's those of {@code siteNodes} (their addresses and NAT targets).
     */
    public MosquittoBridge bridge(List<InetAddress> hubNodes, List<InetAddress> siteNodes, String prefix,
            MosquittoBridge.Mode mode) {
        return new MosquittoBridge(List.of(
                new MosquittoBridge.Broker("hub", hubAddress, PORT, hubNodes),
                new MosquittoBridge.Broker("site", "127.0.0.1", PORT, siteNodes)), prefix, List.of(), mode);
    }

    /** Starts both brokers with the bridge's configuration for each. */
    public void startBrokers(MosquittoBridge bridge) throws IOException, InterruptedException {
        startBrokers(bridge.render("hub"), bridge.render("site"));
    }

    /**
     * Starts both brokers with the given additions to their configuration, and returns when the
     * site's bridge connection to the hub is established (when the site has one).
     */
    public void startBrokers(String hubConfig, String siteConfig) throws IOException, InterruptedException {
        hubBroker = hub.startMosquitto(PORT, hubConfig);
        siteBroker = site.startMosquitto(PORT, siteConfig);
        if (siteConfig.contains("\nconnection ")) {
            awaitBridge();
        }
    }

    private void awaitBridge() throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            Shell.Result r = site.broker().run(5, "ss", "-Htn", "state", "established", "dst", hubAddress);
            if (r.ok() && !r.output().isBlank()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IOException("the site's bridge did not connect to the hub at " + hubAddress + ":" + PORT
                + " within 15 s:\n" + siteBroker.log());
    }

    public String hubAddress() {
        return hubAddress;
    }

    @Override
    public void close() {
        site.close();
        hub.close();
    }
}
