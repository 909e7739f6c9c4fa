package org.mqttvpn.tools.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * Random bytes to a discard service (RFC 863: the virtual device's port 9) over one TCP
 * connection (socat): the one-way rate into a device. socat half-closes after the last byte and
 * waits for the device to close its side, which it does only once it has read everything; so the
 * time covers delivery, not just the sender's buffer.
 */
public record TcpDiscard(long bytes, long millis) {
    public double megabytesPerSecond() {
        return bytes / 1e6 / (millis / 1000.0);
    }

    public static TcpDiscard run(NetworkLab lab, Netns from, String address, int size) throws IOException, InterruptedException {
        Path sent = lab.dir().resolve("discard-sent.bin");
        byte[] data = new byte[size];
        new SecureRandom().nextBytes(data);
        Files.write(sent, data);
        long t0 = System.nanoTime();
        Shell.check(180, from.wrap("socat", "-t", "30", "-T", "30", "OPEN:" + sent + "!!OPEN:/dev/null",
                "TCP:" + address + ":9,connect-timeout=10"));
        return new TcpDiscard(size, (System.nanoTime() - t0) / 1_000_000);
    }
}
