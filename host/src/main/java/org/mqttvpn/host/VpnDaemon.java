package org.mqttvpn.host;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.mqttvpn.host.ack.HeldAcks;
import org.mqttvpn.host.ack.PureAcks;
import org.mqttvpn.host.codec.ClassicCodec;
import org.mqttvpn.host.codec.DropReason;
import org.mqttvpn.host.codec.PacketCheck;
import org.mqttvpn.host.mqtt.BrokerLink;
import org.mqttvpn.host.mqtt.Outbox;
import org.mqttvpn.host.mqtt.PublishPacket;
import org.mqttvpn.host.topic.Topics;
import org.mqttvpn.host.tun.InterfaceSetup;
import org.mqttvpn.host.tun.TunDevice;
import org.mqttvpn.host.tun.TunException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host end of the tunnel: a TUN interface whose packets are published to
 * {@code <prefix>/<destination>}, and frames from the node's own topics written back to it
 * when their packet is for this node (or it routes for others: {@link OwnDestinations}).
 *
 * <p>Two threads carry packets. The reader thread: TUN read, topic, seal, publish (written to
 * the socket by that thread, see {@link BrokerLink#send}). The thread that reads the broker's
 * socket: open, sanity check, TUN write, and then the kernel's immediate replies (see
 * {@link Receiver}). Each direction owns its codec and buffers: nothing is allocated per
 * packet.
 */
public final class VpnDaemon implements Closeable {
    private static final Logger log = LoggerFactory.getLogger("mqttvpn.vpn");
    private static final int READ_TIMEOUT_MS = 250;
    /** Packets the reader forwards per wake-up before it lets the receiving thread in. */
    private static final int READER_BATCH = 64;
    /** Replies the receiving thread forwards after a batch of frames. */
    private static final int REPLY_BATCH = 256;
    /** Bytes of PUBLISH packets written to the socket at once, at most. */
    private static final int OUTBOX_BYTES = 64 * 1024;
    /** Pure ACKs held at most before they are sent. */
    private static final int HELD_ACKS = 64;
    /** The longest address in a topic: an IPv6 address in full (RFC 5952 text). */
    private static final int MAX_ADDRESS_TEXT = 39;

    private final VpnConfig config;
    private final Counters counters = new Counters();
    private final Set<String> readingTopics;
    private final boolean debug;
    private TunDevice tun;
    private BrokerLink link;
    private Thread reader;
    private final ReentrantLock forwarding = new ReentrantLock();
    private Forwarder forwarder;
    private ScheduledExecutorService statsTimer;
    private volatile boolean running;
    private volatile String failure;
    private final CountDownLatch ended = new CountDownLatch(1);
    private boolean closed;

    public VpnDaemon(VpnConfig config) {
        this.config = config;
        this.debug = config.debug();
        this.readingTopics = readingTopics(config);
    }

    /** Own address, the IPv4 broadcast, the own IPv6 address, then every NAT target. */
    static Set<String> readingTopics(VpnConfig c) {
        Topics topics = new Topics(c.topicPrefix());
        Set<String> set = new LinkedHashSet<>();
        set.add(topics.forAddress(c.address()));
        set.add(topics.broadcast());
        if (c.address6() != null) {
            set.add(topics.forAddress(c.address6()));
        }
        for (InetAddress target : c.natTargets()) {
            set.add(topics.forAddress(target));
        }
        return set;
    }

    /**
     * Creates and configures the interface, then starts the broker link and the reader. Does
     * nothing when the daemon was closed before.
     */
    public synchronized void start() throws IOException {
        if (closed) {
            return; // closed before it started (a stop signal while starting up): nothing to undo
        }
        tun = TunDevice.open(config.interfaceName());
        try {
            String name = tun.name();
            InterfaceSetup.setMtu(name, config.mtu());
            InterfaceSetup.setIpv4(name, config.address(), config.netmask());
            if (config.address6() != null) {
                InterfaceSetup.setIpv6(name, config.address6(), config.prefixLength6());
            }
            InterfaceSetup.up(name);
            log.info("interface {} up: {}/{}{} mtu {}, {}", name, config.address().getHostAddress(),
                    prefixLength(config.netmask().getAddress()),
                    config.address6() == null ? "" : ", " + config.address6().getHostAddress() + "/" + config.prefixLength6(),
                    config.mtu(), config.key().encrypts() ? "encrypted (classic secretbox)" : "NOT encrypted (no key)");
            link = new BrokerLink(config.broker(), List.copyOf(readingTopics), new Receiver(), counters.reconnects);
            forwarder = new Forwarder();
            running = true;
            link.start();
            reader = new Thread(new Reader(), "mqttvpn-tun-reader");
            reader.start();
            if (debug) {
                long every = Math.max(1, config.statsInterval().toSeconds());
                statsTimer = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "mqttvpn-stats");
                    t.setDaemon(true);
                    return t;
                });
                statsTimer.scheduleAtFixedRate(() -> log.info("counters {}", counters.line()), every, every, TimeUnit.SECONDS);
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Blocks until the daemon is closed (returns null) or can no longer work, for example
     * because its interface was deleted (returns why). A lost broker is not such a reason.
     */
    public String awaitTermination() throws InterruptedException {
        ended.await();
        return failure;
    }

    /** Stops the reader, leaves the broker cleanly, removes the interface, logs the counters. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        running = false;
        if (reader != null) {
            try {
                reader.join(2 * READ_TIMEOUT_MS + 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (statsTimer != null) {
            statsTimer.shutdownNow();
        }
        if (link != null) {
            link.close(); // no frame arrives after this, so the interface can go
        }
        if (tun != null) {
            tun.close();
            log.info("interface {} removed; counters {}", tun.name(), counters.line());
        }
        ended.countDown();
    }

    static int prefixLength(byte[] mask) {
        int bits = 0;
        for (byte b : mask) {
            bits += Integer.bitCount(b & 0xff);
        }
        return bits;
    }

    /** The reader thread: waits for the interface, then forwards what is queued. */
    private final class Reader implements Runnable {
        @Override
        public void run() {
            while (running) {
                try {
                    if (!tun.awaitReadable(READ_TIMEOUT_MS)) {
                        continue;
                    }
                    forwarding.lock();
                    try {
                        forwarder.drain(READER_BATCH);
                    } finally {
                        forwarding.unlock();
                    }
                } catch (TunException e) {
                    if (running) {
                        failure = e.getMessage();
                        log.error("{}", e.getMessage());
                        ended.countDown();
                    }
                    return;
                }
            }
        }
    }

    /**
     * TUN to broker: read, topic, seal, publish. Used by the reader thread and by the
     * receiving thread, always under {@link #forwarding}, so packets leave in the order the
     * kernel queued them and the buffers below have one user at a time.
     */
    private final class Forwarder {
        /*
         * One byte more than the MTU: the interface's MTU keeps packets within it, and a longer
         * one (truncated by the read) is still seen as too long. Kept small on purpose: the
         * libsodium binding copies whole arrays in and out of native memory on every call.
         */
        private byte[] packet = new byte[config.mtu() + 1];
        private final HeldAcks held = new HeldAcks(HELD_ACKS, config.mtu() + 1);
        private final Outbox outbox = new Outbox(OUTBOX_BYTES);
        private final ClassicCodec codec = new ClassicCodec(config.key(), config.mtu());
        private final Topics topics = new Topics(config.topicPrefix());
        /** The PUBLISH being sent: the frame is sealed right into it. */
        private final PublishPacket out = new PublishPacket(
                config.topicPrefix().getBytes(StandardCharsets.UTF_8).length + 1 + MAX_ADDRESS_TEXT,
                codec.frameLength(config.mtu()));

        /**
         * Forwards up to {@code max} queued packets. Pure ACKs wait for the next read, so
         * that a later ACK of the same connection can make them redundant (see
         * {@link org.mqttvpn.host.ack.PureAcks}).
         */
        void drain(int max) throws TunException {
            try {
                for (int i = 0; i < max; i++) {
                    int n = tun.readIfReady(packet);
                    if (n <= 0) {
                        return;
                    }
                    if (n <= config.mtu() && PureAcks.tcpOffset(packet, n) >= 0) {
                        if (held.isFull()) {
                            sendHeld();
                        }
                        packet = held.add(packet, n);
                        counters.txAcksMerged.addAndGet(held.lastDropped());
                        continue;
                    }
                    sendHeld();
                    forward(packet, n);
                }
            } finally {
                sendHeld();
                int lost = link.flush(outbox);
                if (lost > 0) {
                    counters.txPackets.addAndGet(-lost);
                    counters.txNoBroker.addAndGet(lost);
                }
            }
        }

        private void sendHeld() {
            for (int i = 0; i < held.size(); i++) {
                if (held.length(i) > 0) {
                    forward(held.packet(i), held.length(i));
                }
            }
            held.clear();
        }

        private void forward(byte[] packet, int n) {
            if (n > config.mtu()) {
                counters.txTooLong.incrementAndGet();
                return;
            }
            if (!PacketCheck.isIp(packet, 0, n)) {
                counters.txNotIp.incrementAndGet();
                return;
            }
            String topic = topics.forPacket(packet, n);
            if (topic == null) {
                counters.txMulticast6.incrementAndGet();
                return;
            }
            int frameLength = codec.seal(packet, n, out.buffer(), out.payloadOffset());
            if (link.queue(topic, out, frameLength, outbox)) {
                counters.txPackets.incrementAndGet();
                counters.txBytes.addAndGet(n);
                if (debug) {
                    log.debug("tun->mqtt {} bytes to {}", n, topic);
                }
            } else {
                counters.txNoBroker.incrementAndGet();
            }
        }
    }

    /**
     * Broker to TUN, on the thread that reads the broker's socket, a batch at a time: the
     * frames that arrived together are written, then the kernel's immediate replies to them
     * (an echo reply, TCP ACKs) are forwarded from this thread, which saves handing them to
     * the reader thread, and lets the ACKs of a batch be merged (see PureAcks). The thread
     * holds {@link #forwarding} from its first frame to the end of the batch, so the reader
     * does not take those replies one by one meanwhile.
     */
    private final class Receiver implements BrokerLink.Receiver {
        private final byte[] packet = new byte[config.mtu()];
        private final ClassicCodec codec = new ClassicCodec(config.key(), config.mtu());
        private final String[] topicNames = readingTopics.toArray(new String[0]);
        private final boolean routeForOthers = config.routeForOthers();
        private final OwnDestinations destinations = new OwnDestinations(config.address(), config.netmask(),
                config.address6(), config.natTargets());
        private final KeyMismatchWarning keyMismatch = new KeyMismatchWarning(config.key().encrypts(), System::nanoTime,
                log::warn);

        @Override
        public void onFrameTooLong(int topic, int len) {
            if (!running) {
                return;
            }
            if (topic < 0) {
                counters.rxUnexpectedTopic.incrementAndGet();
            } else {
                drop(topic, len, DropReason.TOO_LONG);
            }
        }

        private void drop(int topic, int len, DropReason reason) {
            counters.drop(reason);
            keyMismatch.dropped(topicNames[topic], reason);
            if (debug) {
                log.debug("mqtt->tun dropped a {}-byte frame on {}: {}", len, topicNames[topic], reason.counterName());
            }
        }

        @Override
        public void onFrame(int topic, byte[] buf, int off, int len) {
            if (!running) {
                return;
            }
            if (topic < 0) {
                counters.rxUnexpectedTopic.incrementAndGet();
                return;
            }
            if (!forwarding.isHeldByCurrentThread()) {
                forwarding.lock(); // until onBatchEnd
            }
            int n = codec.open(buf, off, len, packet);
            if (n < 0) {
                drop(topic, len, ClassicCodec.dropReason(n));
                return;
            }
            if (!routeForOthers && !destinations.accepts(packet, n)) {
                counters.rxNotForUs.incrementAndGet();
                if (debug) {
                    log.debug("mqtt->tun dropped a {}-byte packet on {}: drop_not_for_us (not for an address of this node;"
                            + " --route-for-others delivers it)", n, topicNames[topic]);
                }
                return;
            }
            try {
                if (!tun.write(packet, n)) {
                    counters.rxRefused.incrementAndGet();
                    return;
                }
            } catch (TunException e) {
                counters.rxRefused.incrementAndGet();
                if (running) {
                    log.error("{}", e.getMessage());
                }
                return;
            }
            counters.rxPackets.incrementAndGet();
            counters.rxBytes.addAndGet(n);
            if (debug) {
                log.debug("mqtt->tun {} bytes from {}", n, topicNames[topic]);
            }
        }

        @Override
        public void onBatchEnd() {
            if (!forwarding.isHeldByCurrentThread()) {
                return;
            }
            try {
                if (running) {
                    forwarder.drain(REPLY_BATCH);
                }
            } catch (TunException e) {
                // the reader thread meets the same failure of the interface and reports it
                log.debug("forwarding replies: {}", e.getMessage());
            } finally {
                forwarding.unlock();
            }
        }
    }
}
