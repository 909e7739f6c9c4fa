package org.mqttvpn.host;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.mqttvpn.host.codec.ClassicCodec;
import org.mqttvpn.host.codec.DropReason;
import org.mqttvpn.host.codec.PacketCheck;
import org.mqttvpn.host.mqtt.BrokerLink;
import org.mqttvpn.host.topic.Topics;
import org.mqttvpn.host.tun.InterfaceSetup;
import org.mqttvpn.host.tun.TunDevice;
import org.mqttvpn.host.tun.TunException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host end of the tunnel: a TUN interface whose packets are published to
 * {@code <prefix>/<destination>}, and frames from the node's own topics written back to it.
 *
 * <p>Two threads carry packets. The reader thread: TUN read, topic, seal, publish. Paho's
 * callback thread: open, sanity check, TUN write, and then the kernel's immediate replies
 * (see {@link #forwardReplies}). Each direction owns its codec and buffers; the only
 * allocation per packet is the frame array that Paho keeps until it is sent (its API takes
 * whole arrays and sends asynchronously, so a reused buffer cannot serve).
 */
public final class VpnDaemon implements Closeable {
    private static final Logger log = LoggerFactory.getLogger("mqttvpn.vpn");
    private static final int READ_TIMEOUT_MS = 250;
    /** Packets the reader forwards per wake-up before it lets the callback thread in. */
    private static final int READER_BATCH = 64;
    /** Replies the callback thread forwards after one write. */
    private static final int CALLBACK_BATCH = 8;

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

    /** Creates and configures the interface, then starts the broker link and the reader. */
    public synchronized void start() throws IOException {
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
                        forwarder.drain(READER_BATCH, true);
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
     * TUN to broker: read, topic, seal, publish. Used by the reader thread and by Paho's
     * callback thread, always under {@link #forwarding}, so packets leave in the order the
     * kernel queued them and the buffers below have one user at a time.
     */
    private final class Forwarder {
        /*
         * One byte more than the MTU: the interface's MTU keeps packets within it, and a longer
         * one (truncated by the read) is still seen as too long. Kept small on purpose: the
         * libsodium binding copies whole arrays in and out of native memory on every call.
         */
        private final byte[] packet = new byte[config.mtu() + 1];
        private final ClassicCodec codec = new ClassicCodec(config.key(), config.mtu());
        private final Topics topics = new Topics(config.topicPrefix());

        /**
         * Forwards up to {@code max} queued packets. With {@code mayWait} false it stops
         * before a publish would have to wait for the in-flight window (Paho's callback thread
         * frees that window, so it must never wait for it).
         */
        void drain(int max, boolean mayWait) throws TunException {
            for (int i = 0; i < max; i++) {
                if (!mayWait && !link.canPublishNow()) {
                    return;
                }
                int n = tun.readIfReady(packet);
                if (n <= 0) {
                    return;
                }
                forward(n, mayWait);
            }
        }

        private void forward(int n, boolean mayWait) {
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
            if (!link.isConnected()) {
                counters.txNoBroker.incrementAndGet();
                return;
            }
            byte[] frame = new byte[codec.frameLength(n)];
            codec.seal(packet, n, frame);
            if (mayWait ? link.publish(topic, frame) : link.publishNow(topic, frame)) {
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
     * The kernel often answers a written packet at once (an echo reply, a TCP ACK): it is
     * queued on the interface before write() returns. Forwarding it from this thread saves
     * waking the reader thread, which is most of the tunnel's latency on an idle machine.
     * Never waits: if the reader holds the lock, it forwards the reply itself.
     */
    private void forwardReplies() throws TunException {
        if (forwarding.tryLock()) {
            try {
                forwarder.drain(CALLBACK_BATCH, false);
            } finally {
                forwarding.unlock();
            }
        }
    }

    /** Broker to TUN, on Paho's callback thread. */
    private final class Receiver implements BrokerLink.Receiver {
        private final byte[] packet = new byte[config.mtu()];
        private final ClassicCodec codec = new ClassicCodec(config.key(), config.mtu());

        @Override
        public void onFrame(String topic, byte[] frame) {
            if (!running) {
                return;
            }
            if (!readingTopics.contains(topic)) {
                counters.rxUnexpectedTopic.incrementAndGet();
                return;
            }
            int n = codec.open(frame, frame.length, packet);
            if (n < 0) {
                DropReason reason = ClassicCodec.dropReason(n);
                counters.drop(reason);
                if (debug) {
                    log.debug("mqtt->tun dropped a {}-byte frame on {}: {}", frame.length, topic, reason.counterName());
                }
                return;
            }
            try {
                if (!tun.write(codec.openedPacket(frame, packet), n)) {
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
                log.debug("mqtt->tun {} bytes from {}", n, topic);
            }
            try {
                forwardReplies();
            } catch (TunException e) {
                // the reader thread meets the same failure of the interface and reports it
                log.debug("forwarding replies: {}", e.getMessage());
            }
        }
    }
}
