package org.mqttvpn.tools.lab;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Random bytes over one TCP connection between two lab namespaces (socat at both ends). */
public final class TcpTransfer {
    public record Result(long bytes, long millis, String sentSha256, String receivedSha256) {
        public boolean intact() {
            return sentSha256.equals(receivedSha256);
        }

        public double megabytesPerSecond() {
            return bytes / 1e6 / Math.max(millis, 1) * 1000.0;
        }
    }

    private TcpTransfer() {
    }

    public static Result run(NetworkLab lab, Netns from, Netns to, String toAddress, int port, int size)
            throws IOException, InterruptedException {
        Path sent = lab.dir().resolve("sent-" + port + ".bin");
        Path received = lab.dir().resolve("received-" + port + ".bin");
        byte[] data = new byte[size];
        new SecureRandom().nextBytes(data);
        Files.write(sent, data);
        Files.deleteIfExists(received);
        LabProcess sink = lab.start(to, "tcp-sink-" + port, List.of("socat", "-u",
                "TCP-LISTEN:" + port + ",reuseaddr", "OPEN:" + received + ",creat,trunc"));
        lab.awaitListening(to, port, sink);
        long t0 = System.nanoTime();
        Shell.check(180, from.wrap("socat", "-u", "OPEN:" + sent, "TCP:" + toAddress + ":" + port + ",connect-timeout=10"));
        if (!sink.process().waitFor(60, TimeUnit.SECONDS)) {
            sink.kill();
            throw new IOException("the receiving end did not finish within 60 s of the sender");
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        return new Result(size, ms, sha256(sent), Files.exists(received) ? sha256(received) : "(nothing received)");
    }

    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
