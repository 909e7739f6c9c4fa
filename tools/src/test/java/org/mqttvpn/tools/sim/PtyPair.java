package org.mqttvpn.tools.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Two connected pseudo-terminals made by {@code socat -d -d pty,raw,echo=0 pty,raw,echo=0}: what
 * one end writes the other reads, like the two ends of a USB-serial cable. The ends appear as
 * symlinks {@code host} and {@code device} in a directory, so a test can also make the host end
 * vanish (close) and come back under the same name (a new pair), like USB re-enumeration.
 */
public final class PtyPair implements AutoCloseable {
    private final Process socat;
    private final Path host;
    private final Path device;
    private final StringBuilder log = new StringBuilder();

    private PtyPair(Process socat, Path host, Path device) {
        this.socat = socat;
        this.host = host;
        this.device = device;
    }

    /** Starts socat and waits until both ends exist and it is copying. */
    public static PtyPair start(Path dir) throws IOException, InterruptedException {
        return start(dir.resolve("host"), dir.resolve("device"));
    }

    public static PtyPair start(Path host, Path device) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("socat", "-d", "-d",
                "pty,raw,echo=0,link=" + host, "pty,raw,echo=0,link=" + device)
                .redirectErrorStream(true).start();
        PtyPair pair = new PtyPair(p, host, device);
        CountDownLatch ready = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (pair.log) {
                        pair.log.append(line).append('\n');
                    }
                    if (line.contains("starting data transfer loop")) {
                        ready.countDown();
                    }
                }
            } catch (IOException e) {
                // socat ended
            }
        }, "socat-log");
        reader.setDaemon(true);
        reader.start();
        if (!ready.await(10, TimeUnit.SECONDS) || !Files.exists(host) || !Files.exists(device)) {
            pair.close();
            throw new IOException("socat did not start a pty pair: " + pair.log());
        }
        return pair;
    }

    public Path host() {
        return host;
    }

    public Path device() {
        return device;
    }

    public String log() {
        synchronized (log) {
            return log.toString();
        }
    }

    public boolean isAlive() {
        return socat.isAlive();
    }

    /** Ends socat: both ptys and their symlinks disappear. */
    @Override
    public void close() throws InterruptedException {
        socat.destroy();
        if (!socat.waitFor(5, TimeUnit.SECONDS)) {
            socat.destroyForcibly();
            socat.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
