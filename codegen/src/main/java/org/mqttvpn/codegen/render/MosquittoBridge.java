package org.mqttvpn.codegen.render;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.mqttvpn.host.topic.AddressText;

/**
 * The mosquitto bridge configuration of a network served by several brokers, one per site.
 *
 * <p>The brokers form a star around the first one, the hub: every other broker opens one
 * bridge ({@code connection}) to it. A star has one path between any two brokers, so a frame
 * never arrives twice and broadcast cannot loop; a full mesh of bridges would send a broadcast
 * round a triangle of brokers for ever. The star also suits sites behind NAT: only the hub
 * needs to be reachable.
 *
 * <p>In {@link Mode#PER_ADDRESS} a bridge carries only what the other side needs. A bridge
 * from broker S to the hub subscribes (mosquitto's {@code topic} lines; {@code out}: subscribe
 * on the local broker, publish to the remote one; {@code in}: subscribe on the remote broker,
 * publish locally):
 * <ul>
 *   <li>{@code topic <prefix>/<a> out 0} for every address {@code a} not homed on S: frames
 *       published at S for nodes elsewhere go to the hub (which hands them to their broker's
 *       bridge, or to its own nodes);
 *   <li>{@code topic <prefix>/<a> in 0} for every address homed on S: frames at the hub for
 *       S's nodes come to S;
 *   <li>{@code topic <prefix>/<b> both 0} for the broadcast addresses.
 * </ul>
 * Traffic between two nodes of one broker never crosses a bridge. Each address is one topic
 * level, so no wildcard could select a site: the lines are per address. {@link Mode#MIRROR}
 * is the simple {@code topic <prefix>/# both 0}, which copies every frame to every broker.
 *
 * <p>A node homed on a broker (the first of its list) is reachable from other brokers only
 * while it is connected to that broker.
 */
public final class MosquittoBridge {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,40}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9_.:\\[\\]-]{1,253}");
    private static final InetAddress LIMITED_BROADCAST = v4(255, 255, 255, 255);

    /** What crosses a bridge. */
    public enum Mode {
        /** Only the frames the other side's nodes need (per-address topic lines). */
        PER_ADDRESS,
        /** Every frame ({@code topic <prefix>/# both 0}). */
        MIRROR
    }

    /**
     * One broker of the network and the VPN addresses of the nodes homed on it: their IPv4 and
     * IPv6 addresses and the NAT targets ({@code -t}) they receive for.
     */
    public record Broker(String name, String host, int port, List<InetAddress> homed) {
        public Broker {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(host, "host");
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("broker name \"" + name + "\": use 1..40 letters, digits, '_', '.', '-'");
            }
            if (!HOST.matcher(host).matches()) {
                throw new IllegalArgumentException("broker " + name + ": host \"" + host + "\" is not a host name or address");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("broker " + name + ": port " + port + " is outside 1..65535");
            }
            homed = List.copyOf(homed);
        }

        /** {@code host:port} as mosquitto's {@code address} line wants it (IPv6 literals without brackets). */
        String address() {
            String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            return h + ":" + port;
        }
    }

    /** One {@code connection} block, as the template reads it. */
    public record Connection(String name, String address, boolean mirror, List<String> out, List<String> in,
            List<String> both) {
        public String getName() {
            return name;
        }

        public String getAddress() {
            return address;
        }

        public boolean isMirror() {
            return mirror;
        }

        public List<String> getOut() {
            return out;
        }

        public List<String> getIn() {
            return in;
        }

        public List<String> getBoth() {
            return both;
        }
    }

    private final List<Broker> brokers;
    private final String prefix;
    private final List<InetAddress> broadcast;
    private final Mode mode;

    /**
     * @param brokers   the network's brokers; the first is the hub
     * @param prefix    the topic prefix (checked by the inventory's rule before it gets here)
     * @param broadcast broadcast addresses besides 255.255.255.255 (the subnets' directed
     *                  broadcast addresses), whose frames go to every broker
     */
    public MosquittoBridge(List<Broker> brokers, String prefix, List<InetAddress> broadcast, Mode mode) {
        if (brokers.isEmpty()) {
            throw new IllegalArgumentException("no brokers: a bridge needs at least two");
        }
        this.brokers = List.copyOf(brokers);
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.mode = Objects.requireNonNull(mode, "mode");
        Set<InetAddress> b = new LinkedHashSet<>();
        b.add(LIMITED_BROADCAST);
        b.addAll(broadcast);
        this.broadcast = List.copyOf(b);
        Map<InetAddress, String> home = new LinkedHashMap<>();
        Set<String> names = new LinkedHashSet<>();
        for (Broker broker : brokers) {
            if (!names.add(broker.name())) {
                throw new IllegalArgumentException("broker " + broker.name() + " is listed twice");
            }
            for (InetAddress a : broker.homed()) {
                String other = home.putIfAbsent(a, broker.name());
                if (other != null) {
                    throw new IllegalArgumentException(AddressText.of(a) + " is homed on both " + other + " and "
                            + broker.name() + ": an address belongs to one node, a node to its first broker");
                }
            }
        }
    }

    public Broker hub() {
        return brokers.get(0);
    }

    /** The configuration to add to broker {@code name}'s mosquitto.conf. */
    public String render(String name) {
        return render(name, new TemplateRenderer());
    }

    String render(String name, TemplateRenderer renderer) {
        Broker broker = brokers.stream().filter(b -> b.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no broker named " + name));
        List<Connection> connections = broker == hub() ? List.of() : List.of(connectionToHub(broker));
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("broker", broker.name());
        model.put("hub", hub().name());
        model.put("prefix", prefix);
        model.put("connections", connections);
        return renderer.render("mosquitto/bridge.conf.vm", model);
    }

    /** The one bridge of a broker other than the hub. */
    Connection connectionToHub(Broker spoke) {
        List<String> out = new ArrayList<>();
        for (Broker other : brokers) {
            if (other != spoke) {
                other.homed().forEach(a -> out.add(AddressText.of(a)));
            }
        }
        List<String> in = spoke.homed().stream().map(AddressText::of).toList();
        List<String> both = broadcast.stream().map(AddressText::of).toList();
        return new Connection("mqttvpn-" + spoke.name() + "-to-" + hub().name(), hub().address(),
                mode == Mode.MIRROR, List.copyOf(out), in, both);
    }

    private static InetAddress v4(int a, int b, int c, int d) {
        try {
            return Inet4Address.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
