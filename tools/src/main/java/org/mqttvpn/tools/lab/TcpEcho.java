package org.mqttvpn.tools.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/** Random bytes to an echo service and back over one TCP connection (socat), hashed at both ends. */
public record TcpEcho(long millis, String sentSha256, String receivedSha256) {
    public boolean intact() {
        return sentSha256.equals(receivedSha256);
    }

    public static TcpEcho run(NetworkLab lab, Netns from, String address, int port, int size)
            throws IOException, InterruptedException {
        Path sent = lab.dir().resolve("echo-sent.bin");
        Path received = lab.dir().resolve("echo-received.bin");
        byte[] data = new byte[size];
        new SecureRandom().nextBytes(data);
        Files.write(sent, data);
        long t0 = System.nanoTime();
        // Reads the file into the connection and writes what comes back to the other file;
        // after the file ends, waits up to 20 s for the rest of the echo.
        Shell.check(180, from.wrap("socat", "-t", "20", "-T", "20",
                "OPEN:" + sent + "!!OPEN:" + received + ",creat,trunc", "TCP:" + address + ":" + port + ",connect-timeout=10"));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        return new TcpEcho(ms, TcpTransfer.sha256(sent), Files.exists(received) ? TcpTransfer.sha256(received) : "(nothing)");
    }
}
