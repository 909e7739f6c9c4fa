package org.mqttvpn.tools.bench;

import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.mqttvpn.host.mqtt.BrokerUri;
import org.mqttvpn.host.mqtt.BrokerLink;
import org.mqttvpn.host.mqtt.BrokerSettings;
import org.mqttvpn.tools.cli.ExitCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The raw MQTT path, measured with the same client library (Paho) and the same in-flight
 * window as the daemon, so that the benchmark compares the tunnel with what MQTT alone gives
 * on this machine. Prints one "key=value" result line on stdout.
 */
@Command(name = "mqtt-probe", hidden = true, description = "Benchmark helper: raw MQTT round trip, echo, source and sink.")
public final class MqttProbeCommand implements Callable<Integer> {
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

    @Option(names = "--rate", defaultValue = "0", description = "source: messages per second; 0 = as fast as possible.")
    long rate;

    @Option(names = "--timeout-s", defaultValue = "60")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        BrokerSettings settings = BrokerSettings.of(BrokerUri.parse(broker));
        MqttAsyncClient client = new MqttAsyncClient(settings.uri().pahoUri(), settings.clientId(), new MemoryPersistence());
        // The daemon's own options (TCP_NODELAY, window, keepalive): the same client path.
        MqttConnectOptions o = BrokerLink.connectOptions(settings);
        return switch (mode) {
            case "echo" -> echo(client, o);
            case "rtt" -> rtt(client, o);
            case "source" -> source(client, o);
            case "sink" -> sink(client, o);
            default -> throw new IllegalArgumentException("mode must be echo, rtt, source or sink: " + mode);
        };
    }

    private int echo(MqttAsyncClient client, MqttConnectOptions o) throws Exception {
        client.setCallback(new Handler() {
            @Override
            public void messageArrived(String topic, MqttMessage message) throws Exception {
                client.publish(out, message.getPayload(), 0, false);
            }
        });
        client.connect(o).waitForCompletion();
        client.subscribe(in, 0).waitForCompletion();
        System.out.println("echo ready");
        System.out.flush();
        new CountDownLatch(1).await(); // until killed
        return ExitCode.OK;
    }

    private int rtt(MqttAsyncClient client, MqttConnectOptions o) throws Exception {
        BlockingQueue<Long> arrivals = new ArrayBlockingQueue<>(16);
        client.setCallback(new Handler() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                arrivals.offer(System.nanoTime());
            }
        });
        client.connect(o).waitForCompletion();
        client.subscribe(in, 0).waitForCompletion();
        byte[] payload = new byte[size];
        int warmup = Math.min(500, count);
        long[] rtts = new long[count];
        int lost = 0;
        for (int i = -warmup; i < count; i++) {
            long t0 = System.nanoTime();
            client.publish(out, payload, 0, false);
            Long t1 = arrivals.poll(1, TimeUnit.SECONDS);
            if (i >= 0) {
                if (t1 == null) {
                    lost++;
                    rtts[i] = Long.MAX_VALUE;
                } else {
                    rtts[i] = t1 - t0;
                }
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
        client.disconnect().waitForCompletion();
        client.close();
        return ExitCode.OK;
    }

    private int source(MqttAsyncClient client, MqttConnectOptions o) throws Exception {
        client.setCallback(new Handler());
        client.connect(o).waitForCompletion();
        byte[] payload = new byte[size];
        Semaphore window = new Semaphore(256); // the daemon's window
        IMqttActionListener release = new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                window.release();
            }

            @Override
            public void onFailure(IMqttToken token, Throwable exception) {
                window.release();
            }
        };
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            if (rate > 0) {
                long due = start + i * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            window.acquire();
            client.publish(out, payload, 0, false, null, release);
        }
        window.acquire(256);
        long ns = System.nanoTime() - start;
        System.out.printf("source sent=%d seconds=%.3f rate=%.0f%n", count, ns / 1e9, count / (ns / 1e9));
        client.disconnect().waitForCompletion();
        client.close();
        return ExitCode.OK;
    }

    /**
     * Counts what arrives. The rate is taken after the first fifth of the messages, so that
     * both JVMs' warm-up (the JIT) does not count against the broker.
     */
    private int sink(MqttAsyncClient client, MqttConnectOptions o) throws Exception {
        AtomicLong received = new AtomicLong();
        AtomicLong warm = new AtomicLong();
        AtomicLong last = new AtomicLong();
        long warmup = count / 5;
        CountDownLatch all = new CountDownLatch(1);
        client.setCallback(new Handler() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                long now = System.nanoTime();
                if (received.incrementAndGet() == warmup + 1) {
                    warm.set(now);
                }
                last.set(now);
                if (received.get() >= count) {
                    all.countDown();
                }
            }
        });
        client.connect(o).waitForCompletion();
        client.subscribe(in, 0).waitForCompletion();
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
        double rate = n > warmup + 1 && seconds > 0 ? (n - warmup - 1) / seconds : 0.0;
        System.out.printf("sink received=%d seconds=%.3f rate=%.0f%n", n, seconds, rate);
        client.disconnect().waitForCompletion();
        client.close();
        return ExitCode.OK;
    }

    private static class Handler implements MqttCallback {
        @Override
        public void connectionLost(Throwable cause) {
            System.err.println("connection lost: " + cause);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) throws Exception {
            // ignored
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // QoS 0
        }
    }
}
