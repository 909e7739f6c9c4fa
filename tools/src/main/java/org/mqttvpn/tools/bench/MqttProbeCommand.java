package org.mqttvpn.tools.bench;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.mqttvpn.host.mqtt.BrokerLink;
import org.mqttvpn.host.mqtt.BrokerSettings;
import org.mqttvpn.host.mqtt.BrokerUri;
import org.mqttvpn.host.mqtt.Outbox;
import org.mqttvpn.host.mqtt.PublishPacket;
import org.mqttvpn.tools.cli.ExitCode;
import org.mqttvpn.tools.cli.ToolkitException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The raw MQTT path, measured with the daemon's own client path ({@link BrokerLink}: Paho
 * for the session, frames straight to and from the socket), so that the benchmark compares
 * the tunnel with what MQTT alone gives on this machine. Prints one "key=value" result line
 * on stdout.
 */
@Command(name = "mqtt-probe", hidden = true, description = "Benchmark helper: raw MQTT round trip, echo, source and sink.")
public final class MqttProbeCommand implements Callable<Integer> {
    private static final int MAX_SIZE = 65_536;

    @Parameters(index = "0", description = "echo | rtt | source | sink")
    String mode;

    @Option(names = "--broker", required = true)
    String broker;

    @Option(names = "--out", description = "Topic to publish to.")
    String out = "bench/ping";

    @Option(names = "--in", description = "Topic to subscribe to.")
    String in = "bench/pong";

    @Option(names = "--count", defaultValue = "1000")
    int count;

    @Option(names = "--size", defaultValue = "84")
    int size;

    @Option(names = "--spacing-us", defaultValue = "0", description = "rtt: pause between round trips; 0 = back to back.")
    long spacingMicros;

    @Option(names = "--warmup", defaultValue = "3000",
            description = "rtt: back-to-back round trips before measuring, so that the JIT has compiled the path.")
    int warmup;

    @Option(names = "--rate", defaultValue = "0", description = "source: messages per second; 0 = as fast as possible.")
    long rate;

    @Option(names = "--timeout-s", defaultValue = "60")
    int timeoutSeconds;

    private final PublishPacket packet = new PublishPacket(256, MAX_SIZE);
    private final Outbox outbox = new Outbox(64 * 1024);

    @Override
    public Integer call() throws Exception {
        if (size < 0 || size > MAX_SIZE) {
            throw new ToolkitException(ExitCode.USAGE, "--size must be 0.." + MAX_SIZE);
        }
        return switch (mode) {
            case "echo" -> echo();
            case "rtt" -> rtt();
            case "source" -> source();
            case "sink" -> sink();
            default -> throw new ToolkitException(ExitCode.USAGE, "mode must be echo, rtt, source or sink: " + mode);
        };
    }

    /** A connected link subscribed to {@code topics}, delivering to {@code onFrame}. */
    private BrokerLink connect(List<String> topics, FrameHandler onFrame) throws Exception {
        return connect(topics, onFrame, () -> { });
    }

    /** The same, also telling {@code onBatchEnd} when the frames that arrived together are delivered. */
    private BrokerLink connect(List<String> topics, FrameHandler onFrame, Runnable onBatchEnd) throws Exception {
        BrokerLink link = new BrokerLink(BrokerSettings.of(BrokerUri.parse(broker)), topics, new BrokerLink.Receiver() {
            @Override
            public void onFrame(int topic, byte[] buf, int off, int len) {
                onFrame.frame(buf, off, len);
            }

            @Override
            public void onFrameTooLong(int topic, int len) {
                System.err.println("frame of " + len + " bytes skipped");
            }

            @Override
            public void onBatchEnd() {
                onBatchEnd.run();
            }
        }, new AtomicLong());
        link.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (!link.isConnected()) {
            if (System.nanoTime() > deadline) {
                link.close();
                throw new ToolkitException(ExitCode.FAILURE, "no connection to " + broker + " in " + timeoutSeconds + " s");
            }
            Thread.sleep(10);
        }
        return link;
    }

    private interface FrameHandler {
        void frame(byte[] buf, int off, int len);
    }

    private int echo() throws Exception {
        // As the daemon answers: queued per frame, written at the end of each batch. Frames
        // arrive on one thread, so one packet buffer serves.
        BrokerLink[] link = new BrokerLink[1];
        link[0] = connect(List.of(in), (buf, off, len) -> {
            if (link[0] != null) {
                System.arraycopy(buf, off, packet.buffer(), packet.payloadOffset(), len);
                queueOrFail(link[0], len);
            }
        }, () -> link[0].flush(outbox));
        System.out.println("echo ready");
        System.out.flush();
        new CountDownLatch(1).await(); // until killed
        return ExitCode.OK;
    }

    private int rtt() throws Exception {
        BlockingQueue<Long> arrivals = new ArrayBlockingQueue<>(16);
        BrokerLink link = connect(List.of(in), (buf, off, len) -> arrivals.offer(System.nanoTime()));
        for (int i = 0; i < warmup; i++) {
            sendOrFail(link, size);
            arrivals.poll(1, TimeUnit.SECONDS);
        }
        long[] rtts = new long[count];
        int lost = 0;
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            sendOrFail(link, size);
            Long t1 = arrivals.poll(1, TimeUnit.SECONDS);
            if (t1 == null) {
                lost++;
                rtts[i] = Long.MAX_VALUE;
            } else {
                rtts[i] = t1 - t0;
            }
            if (spacingMicros > 0) {
                LockSupport.parkNanos(spacingMicros * 1000);
            }
        }
        long[] ok = Arrays.stream(rtts).filter(r -> r != Long.MAX_VALUE).sorted().toArray();
        double avg = Arrays.stream(ok).average().orElse(Double.NaN) / 1000.0;
        double p99 = ok.length == 0 ? Double.NaN : ok[Math.min(ok.length - 1, (int) Math.ceil(0.99 * ok.length) - 1)] / 1000.0;
        System.out.printf("rtt count=%d lost=%d avg_us=%.1f p99_us=%.1f min_us=%.1f%n", count, lost, avg, p99,
                ok.length == 0 ? Double.NaN : ok[0] / 1000.0);
        link.close();
        return ExitCode.OK;
    }

    private int source() throws Exception {
        BrokerLink link = connect(List.of(), (buf, off, len) -> { });
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            if (rate > 0) {
                long due = start + i * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            // As the daemon's reader: written when nothing more is due (or the outbox is full).
            queueOrFail(link, size);
            boolean nextDue = rate == 0 || start + (i + 1) * 1_000_000_000L / rate <= System.nanoTime();
            if (!nextDue) {
                link.flush(outbox);
            }
        }
        link.flush(outbox);
        long ns = System.nanoTime() - start;
        System.out.printf("source sent=%d seconds=%.3f rate=%.0f%n", count, ns / 1e9, count / (ns / 1e9));
        link.close();
        return ExitCode.OK;
    }

    /**
     * Counts what arrives. The rate is taken after the first fifth of the messages, so that
     * both JVMs' warm-up (the JIT) does not count against the broker.
     */
    private int sink() throws Exception {
        AtomicLong received = new AtomicLong();
        AtomicLong warm = new AtomicLong();
        AtomicLong last = new AtomicLong();
        long warmupCount = count / 5;
        CountDownLatch all = new CountDownLatch(1);
        BrokerLink link = connect(List.of(in), (buf, off, len) -> {
            long now = System.nanoTime();
            long n = received.incrementAndGet();
            if (n == warmupCount + 1) {
                warm.set(now);
            }
            last.set(now);
            if (n >= count) {
                all.countDown();
            }
        });
        System.out.println("sink ready");
        System.out.flush();
        // Wait for all, or until nothing arrived for 2 s after the first message.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (!all.await(200, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline) {
            if (received.get() > 0 && System.nanoTime() - last.get() > 2_000_000_000L) {
                break;
            }
        }
        long n = received.get();
        double seconds = (last.get() - warm.get()) / 1e9;
        double perSecond = n > warmupCount + 1 && seconds > 0 ? (n - warmupCount - 1) / seconds : 0.0;
        System.out.printf("sink received=%d seconds=%.3f rate=%.0f%n", n, seconds, perSecond);
        link.close();
        return ExitCode.OK;
    }

    private void queueOrFail(BrokerLink link, int len) {
        if (!link.queue(out, packet, len, outbox)) {
            throw new IllegalStateException("publish failed: not connected to " + broker);
        }
    }

    private void sendOrFail(BrokerLink link, int len) {
        if (!link.send(out, packet, len)) {
            throw new IllegalStateException("publish failed: not connected to " + broker);
        }
    }
}
