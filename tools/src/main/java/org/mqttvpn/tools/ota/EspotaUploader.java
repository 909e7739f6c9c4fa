package org.mqttvpn.tools.ota;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.mqttvpn.tools.cli.ExitCode;
import org.mqttvpn.tools.cli.ToolkitException;

/**
 * The uploader's side of espota (firmware/common/OTA-PROTOCOL.md) for one device: the
 * invitation and the authentication over UDP, the image over the TCP connection the device
 * opens back to us, and mqttvpn's version query before and after.
 *
 * <p>The image is streamed as fast as TCP takes it: the device's acknowledgements (decimal
 * counts) are read beside the writing thread, only for the final 'O' (OK) or 'E' (ERROR ...),
 * never waited for chunk by chunk, so the device's TCP window, not a round trip per chunk
 * through the tunnel, sets the pace. Each failure ends in a {@link ToolkitException} whose exit
 * code names its kind ({@link ExitCode#OTA_NO_ANSWER} ... {@link ExitCode#OTA_TRANSFER_FAILED})
 * and whose message says what to do. Not thread-safe; one upload at a time.
 */
public final class EspotaUploader {
    /** Bytes per write to the socket. */
    private static final int CHUNK = 16 * 1024;
    /**
     * The socket's send buffer: keeps what counts as sent (the progress) close to what the
     * device has, and is still far more than the device's TCP window, which bounds the bytes in
     * flight anyway.
     */
    private static final int SEND_BUFFER = 64 * 1024;
    /** How often the reading loop wakes up to show progress and check for a stall. */
    private static final int TICK_MILLIS = 100;
    /** After the first byte of an "E..." reply, how long the rest of its line may take. */
    private static final long ERROR_TEXT_NANOS = Duration.ofSeconds(2).toNanos();
    private static final int MAX_REPLY_TEXT = 300;

    /**
     * @param answer how long the device has for each answer: to the invitation, to the password,
     *               and to connect back (espota.py waits 10 s)
     * @param idle   how long a transfer may go without a byte taken or received (the device may
     *               erase flash at the start, which holds TCP back for seconds)
     * @param poll   how often the version query is sent while waiting for the device to come back
     */
    public record Timing(Duration answer, Duration idle, Duration poll) {
        public static final Timing DEFAULT = new Timing(Duration.ofSeconds(10), Duration.ofSeconds(60),
                Duration.ofSeconds(1));
    }

    /** What a transfer shows its user; called from the uploading thread. */
    public interface Listener {
        /**
         * The device took the password (or asked for none); the transfer follows.
         *
         * @param mqttvpn the device is an mqttvpn receiver
         * @param before  its answer to the version query, or null
         */
        default void authenticated(boolean mqttvpn, DeviceVersion before) {
        }

        /** The device connected back; {@code size} bytes are about to go. */
        void transferStarted(long size);

        /** {@code bytes} of the image are handed to TCP so far. */
        void sent(long bytes);

        /** The transfer is over, whichever way (after {@link #transferStarted}). */
        void transferEnded();

        Listener SILENT = new Listener() {
            @Override
            public void transferStarted(long size) {
            }

            @Override
            public void sent(long bytes) {
            }

            @Override
            public void transferEnded() {
            }
        };
    }

    /**
     * A completed upload: the device has the whole image, checked, and restarts into it.
     *
     * @param mqttvpn  the device is an mqttvpn receiver (SHA-256 sent, version query answered)
     * @param before   what it ran before, or null (not an mqttvpn receiver, or no answer to the query)
     * @param transfer from the device's connection to its OK
     */
    public record Upload(boolean mqttvpn, DeviceVersion before, long bytes, Duration transfer) {
        /** KB (1024 bytes) per second over {@link #transfer}. */
        public double kilobytesPerSecond() {
            return bytes / 1024.0 / Math.max(transfer.toNanos(), 1) * 1e9;
        }
    }

    /** How a device came back after an upload. */
    public enum Outcome {
        /** Running a different image (slot) than before: the update took. */
        UPDATED,
        /** Running the image it ran before: it returned to it, or never left it. */
        ROLLED_BACK,
        /**
         * A device without slots (the ESP8266: one sketch, no rollback) went away and came back
         * with the version it had: it restarted into an image that reports the same version.
         */
        SAME_VERSION,
        /** No answer to the version query within the time given. */
        NOT_BACK,
        /** Answering, but what it ran before is not known (no answer to the query then). */
        BACK_BEFORE_UNKNOWN
    }

    /** @param version what it answered (null for NOT_BACK); @param after time since the wait began */
    public record ComeBack(Outcome outcome, DeviceVersion version, Duration after) {
    }

    private final InetAddress address;
    private final int port;
    private final Timing timing;

    public EspotaUploader(InetAddress address, int port, Timing timing) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of 1..65535: " + port);
        }
        this.address = address;
        this.port = port;
        this.timing = timing;
    }

    /** "10.0.1.5 port 3232", for messages. */
    public String where() {
        return address.getHostAddress() + " port " + port;
    }

    /**
     * Invites the device, authenticates, streams the image and waits for its verdict. Before the
     * invitation (in the same breath, so that a device that does not know the query costs no
     * wait) the version query goes out; an mqttvpn receiver's answer is in the result.
     */
    public Upload upload(OtaImage image, String password, Listener listener) throws InterruptedException {
        try (DatagramSocket udp = openUdp(); ServerSocket server = listenBeside(udp)) {
            Handshake h = new Handshake(udp);
            h.send(Espota.VERSION_QUERY);
            h.send(Espota.invitation(server.getLocalPort(), image.size(), image.md5()));
            Espota.Answer answer = h.await("the invitation");
            boolean mqttvpn = false;
            if (answer instanceof Espota.Answer.Auth auth) {
                mqttvpn = auth.mqttvpn();
                h.send(Espota.authentication(password, auth.nonce(), mqttvpn ? image.sha256() : null));
                answer = h.await("the password");
            }
            if (answer instanceof Espota.Answer.AuthFailed) {
                throw new ToolkitException(ExitCode.OTA_AUTH_FAILED, where() + " refused the password (Authentication"
                        + " Failed): it is not the OTA password the device's firmware was built with; check"
                        + " --password-file or the inventory's ota_password (after changing it: gen, build and flash"
                        + " once by cable)");
            }
            if (answer instanceof Espota.Answer.Refused refused) {
                throw new ToolkitException(ExitCode.OTA_REFUSED, where() + " refused the image: '" + refused.text()
                        + "' (too large: the image does not fit the device's free slot, build a smaller one; busy:"
                        + " another upload is under way, try again when it is over)");
            }
            if (!(answer instanceof Espota.Answer.Ok)) {
                throw notEspota(answer);
            }
            listener.authenticated(mqttvpn, mqttvpn ? h.version : null);
            Duration took;
            try {
                took = transfer(server, image, listener);
            } catch (IOException e) {
                throw new ToolkitException(ExitCode.OTA_TRANSFER_FAILED, "the connection from " + where() + " failed ("
                        + e.getMessage() + "): the device keeps its running image; try again");
            }
            return new Upload(mqttvpn, mqttvpn ? h.version : null, image.size(), took);
        } catch (IOException e) {
            throw new ToolkitException(ExitCode.FAILURE, "cannot close the sockets of the upload to " + where() + ": "
                    + e.getMessage());
        }
    }

    /**
     * The TCP port the device is invited to connect to, on the local address of the route to it
     * (the VPN interface's), not on every interface.
     */
    private static ServerSocket listenBeside(DatagramSocket udp) {
        ServerSocket server = null;
        try {
            server = new ServerSocket();
            server.bind(new InetSocketAddress(udp.getLocalAddress(), 0), 1);
            return server;
        } catch (IOException e) {
            try {
                if (server != null) {
                    server.close();
                }
            } catch (IOException ignored) {
                // the bind failure is what gets reported
            }
            throw new ToolkitException(ExitCode.FAILURE, "cannot listen on a TCP port of " + udp.getLocalAddress()
                    .getHostAddress() + " for the device to connect to: " + e.getMessage());
        }
    }

    /**
     * Asks the device what it runs (mqttvpn receivers answer; others never do), until it answers
     * or {@code timeout} is over. Used after an upload, while the device restarts: an answer with
     * the image it ran before counts as a return to it (rolled back) only after the device has
     * been silent at least once (it went away and came back), because the old image may still
     * answer in the moment before its restart; when such answers come up to the end without a
     * silence after them, the device never left its old image, and that is the verdict then.
     */
    public ComeBack awaitComeBack(DeviceVersion before, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        boolean silent = false;
        DeviceVersion unchanged = null;
        try (DatagramSocket udp = openUdp()) {
            while (System.nanoTime() - deadline < 0) {
                long roundEnd = Math.min(System.nanoTime() + timing.poll().toNanos(), deadline);
                DeviceVersion v = queryOnce(udp, roundEnd);
                Duration after = Duration.ofNanos(System.nanoTime() - start);
                if (v == null) {
                    silent = true;
                    unchanged = null; // it went away after that answer: the old image was about to restart
                } else if (before == null) {
                    return new ComeBack(Outcome.BACK_BEFORE_UNKNOWN, v, after);
                } else if (!before.sameImageAs(v)) {
                    return new ComeBack(Outcome.UPDATED, v, after);
                } else if (silent) {
                    // Without slots there is nothing to return to: the restart ran the new image
                    boolean slotless = before.slot().isEmpty() && v.slot().isEmpty();
                    return new ComeBack(slotless ? Outcome.SAME_VERSION : Outcome.ROLLED_BACK, v, after);
                } else {
                    unchanged = v;
                }
                sleepUntil(roundEnd);
            }
        }
        Duration waited = Duration.ofNanos(System.nanoTime() - start);
        return unchanged != null ? new ComeBack(Outcome.ROLLED_BACK, unchanged, waited)
                : new ComeBack(Outcome.NOT_BACK, null, waited);
    }

    /** One version query; null when no answer came before {@code until} (System.nanoTime). */
    private DeviceVersion queryOnce(DatagramSocket udp, long until) throws InterruptedException {
        try {
            send(udp, Espota.VERSION_QUERY);
            while (true) {
                String datagram = receive(udp, until);
                if (datagram == null) {
                    return null;
                }
                if (Espota.parse(datagram) instanceof Espota.Answer.Version v) {
                    return v.version();
                }
            }
        } catch (PortUnreachableException e) {
            return null; // restarting: nothing listens on the port yet
        } catch (IOException e) {
            return null; // no route for a moment (the interface is re-created): as good as silent
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        }
    }

    /** A UDP socket that talks to the device's OTA port only (and hears only it). */
    private DatagramSocket openUdp() {
        DatagramSocket udp;
        try {
            udp = new DatagramSocket();
        } catch (IOException e) {
            throw new ToolkitException(ExitCode.FAILURE, "cannot open a UDP socket: " + e.getMessage());
        }
        try {
            udp.connect(address, port);
        } catch (UncheckedIOException e) {
            udp.close();
            throw new ToolkitException(ExitCode.OTA_NO_ANSWER, "cannot reach " + where() + " (" + e.getCause().getMessage()
                    + "): this machine has no route to it; is the VPN up here (toolkit vpn), and is this the device's"
                    + " VPN address?");
        }
        return udp;
    }

    private static void send(DatagramSocket udp, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        udp.send(new DatagramPacket(b, b.length));
    }

    /** The next datagram's text, or null when none came before {@code until} (System.nanoTime). */
    private static String receive(DatagramSocket udp, long until) throws IOException {
        long left = until - System.nanoTime();
        if (left <= 0) {
            return null;
        }
        udp.setSoTimeout((int) Math.max(1, left / 1_000_000));
        byte[] buf = new byte[512];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
            udp.receive(p);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return new String(buf, 0, p.getLength(), StandardCharsets.US_ASCII);
    }

    /** The UDP exchange before the transfer; keeps a VERSION answer that comes along. */
    private final class Handshake {
        private final DatagramSocket udp;
        DeviceVersion version;

        Handshake(DatagramSocket udp) {
            this.udp = udp;
        }

        void send(String text) {
            try {
                EspotaUploader.send(udp, text);
            } catch (PortUnreachableException e) {
                throw nothingListens();
            } catch (IOException e) {
                throw new ToolkitException(ExitCode.OTA_NO_ANSWER, "cannot send to " + where() + " (" + e.getMessage()
                        + "): is the VPN up on this machine (toolkit vpn)?");
            }
        }

        /** The device's next answer that is not a VERSION; fails when none comes in time. */
        Espota.Answer await(String toWhat) throws InterruptedException {
            long until = System.nanoTime() + timing.answer().toNanos();
            while (true) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                String datagram;
                try {
                    datagram = receive(udp, until);
                } catch (PortUnreachableException e) {
                    throw nothingListens();
                } catch (IOException e) {
                    throw new ToolkitException(ExitCode.OTA_NO_ANSWER, "no answer from " + where() + " to " + toWhat
                            + " (" + e.getMessage() + "): is the VPN up on this machine (toolkit vpn)?");
                }
                if (datagram == null) {
                    throw new ToolkitException(ExitCode.OTA_NO_ANSWER, "no answer from " + where() + " to " + toWhat
                            + " within " + timing.answer().toSeconds() + " s: is the device reachable through the VPN"
                            + " (ping it), is OTA on in the firmware it runs (an ota_password in the inventory, then"
                            + " gen, build and flash once by cable), and is " + port + " its OTA port (8266 on an"
                            + " ESP8266, 3232 on ESP-IDF and host-sim)?");
                }
                Espota.Answer a = Espota.parse(datagram);
                if (a instanceof Espota.Answer.Version v) {
                    version = v.version();
                } else {
                    return a;
                }
            }
        }

        private ToolkitException nothingListens() {
            return new ToolkitException(ExitCode.OTA_NO_ANSWER, "nothing listens on UDP port " + port + " of "
                    + address.getHostAddress() + " (it answered 'port unreachable'): the firmware it runs has no OTA,"
                    + " or its OTA port is another one (8266 on an ESP8266, 3232 on ESP-IDF and host-sim); is OTA on"
                    + " for it in the inventory, and was that firmware flashed?");
        }
    }

    private ToolkitException notEspota(Espota.Answer answer) {
        String text = answer instanceof Espota.Answer.Other o ? o.text() : answer.getClass().getSimpleName();
        return new ToolkitException(ExitCode.OTA_NO_ANSWER, where() + " answered '" + Espota.printable(text)
                + "', which is not the espota protocol: is " + port + " the device's OTA port?");
    }

    /** Accepts the device's connection and streams the image; returns the time to the device's OK. */
    private Duration transfer(ServerSocket server, OtaImage image, Listener listener) throws IOException,
            InterruptedException {
        try (Socket socket = acceptDevice(server)) {
            long start = System.nanoTime();
            socket.setTcpNoDelay(true);
            socket.setSendBufferSize(SEND_BUFFER);
            socket.setSoTimeout(TICK_MILLIS);
            AtomicLong sent = new AtomicLong();
            AtomicReference<IOException> writeFailure = new AtomicReference<>();
            OutputStream out = socket.getOutputStream();
            Thread writer = new Thread(() -> {
                byte[] data = image.data();
                try {
                    for (int off = 0; off < data.length; ) {
                        int n = Math.min(CHUNK, data.length - off);
                        out.write(data, off, n);
                        off += n;
                        sent.set(off);
                    }
                    out.flush();
                } catch (IOException e) {
                    writeFailure.set(e);
                }
            }, "ota-upload");
            writer.setDaemon(true);
            listener.transferStarted(image.size());
            writer.start();
            try {
                awaitVerdict(socket.getInputStream(), sent, writeFailure, image.size(), listener);
                listener.sent(sent.get());
                return Duration.ofNanos(System.nanoTime() - start);
            } finally {
                socket.close(); // ends a write still blocked
                writer.join(5000);
                listener.transferEnded();
            }
        }
    }

    /** The device's connection from its own address; others are turned away. */
    private Socket acceptDevice(ServerSocket server) throws IOException {
        long until = System.nanoTime() + timing.answer().toNanos();
        while (true) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                throw noConnection(server);
            }
            server.setSoTimeout((int) Math.max(1, left / 1_000_000));
            Socket s;
            try {
                s = server.accept();
            } catch (SocketTimeoutException e) {
                throw noConnection(server);
            }
            if (s.getInetAddress().equals(address)) {
                return s;
            }
            s.close(); // someone else found the port: the image is only for the device
        }
    }

    private ToolkitException noConnection(ServerSocket server) {
        return new ToolkitException(ExitCode.OTA_TRANSFER_FAILED, where() + " accepted the password but did not connect"
                + " back to " + server.getInetAddress().getHostAddress() + " port " + server.getLocalPort() + " within "
                + timing.answer().toSeconds() + " s: a firewall on this machine may block TCP from the VPN (allow it"
                + " from " + address.getHostAddress() + "), or the device cannot reach this address");
    }

    /**
     * Reads what the device sends while the image goes out: digits (its progress, skipped), then
     * 'O' (OK: done) or 'E' (an error, whose text follows). Returns on OK; fails on an error, a
     * cut connection, or {@code idle} without a byte taken or received.
     */
    private void awaitVerdict(InputStream in, AtomicLong sent, AtomicReference<IOException> writeFailure, long size,
                              Listener listener) throws InterruptedException {
        byte[] buf = new byte[512];
        StringBuilder error = null;
        long errorSince = 0;
        long lastSent = 0;
        long lastActivity = System.nanoTime();
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            int n;
            try {
                n = in.read(buf);
            } catch (SocketTimeoutException e) {
                n = 0;
            } catch (IOException e) {
                throw error != null ? deviceError(error, sent.get(), size) : cut(sent.get(), size, e.getMessage());
            }
            long now = System.nanoTime();
            if (n < 0) {
                if (error != null) {
                    throw deviceError(error, sent.get(), size);
                }
                IOException w = writeFailure.get();
                throw cut(sent.get(), size, w != null ? w.getMessage() : "the device closed it");
            }
            for (int i = 0; i < n; i++) {
                char c = (char) (buf[i] & 0xff);
                if (error != null) {
                    if (error.length() < MAX_REPLY_TEXT) {
                        error.append(c);
                    }
                } else if (c == 'O') {
                    return;
                } else if (c == 'E') {
                    error = new StringBuilder("E");
                    errorSince = now;
                }
                // digits (progress) and anything else before the verdict: skipped
            }
            if (n > 0) {
                lastActivity = now;
            }
            long s = sent.get();
            if (s != lastSent) {
                lastSent = s;
                lastActivity = now;
                listener.sent(s);
            }
            if (error != null && (error.indexOf("\n") >= 0 || now - errorSince > ERROR_TEXT_NANOS)) {
                throw deviceError(error, s, size);
            }
            if (now - lastActivity > timing.idle().toNanos()) {
                throw new ToolkitException(ExitCode.OTA_TRANSFER_FAILED, where() + " took no data and sent nothing for "
                        + timing.idle().toSeconds() + " s, after " + s + " of " + size + " bytes: the upload is"
                        + " abandoned and the device keeps its running image; check the VPN and try again");
            }
        }
    }

    private ToolkitException cut(long sent, long size, String why) {
        return new ToolkitException(ExitCode.OTA_TRANSFER_FAILED, "the connection to " + where() + " was cut after "
                + sent + " of " + size + " bytes (" + why + "): the device keeps its running image; check that the VPN"
                + " holds (ping the device) and try again");
    }

    private ToolkitException deviceError(StringBuilder text, long sent, long size) {
        return new ToolkitException(ExitCode.OTA_TRANSFER_FAILED, where() + " reported an error after " + sent + " of "
                + size + " bytes: '" + Espota.printable(text.toString().strip()) + "'; it keeps its running image"
                + " (a hash mismatch: the image changed or was damaged on the way, try again; a write error: the"
                + " device's flash)");
    }
}
