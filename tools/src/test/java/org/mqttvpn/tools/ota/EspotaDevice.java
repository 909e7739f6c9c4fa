package org.mqttvpn.tools.ota;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

/**
 * A device's end of espota on loopback, written from firmware/common/OTA-PROTOCOL.md alone
 * (nothing of the uploader's code): it answers invitations with an MD5 challenge (with
 * " mqttvpn/1" when {@link #mqttvpn}), checks the response against its password, takes a
 * SHA-256 only with the cnonce bound to it, connects back, reads the image while sending the
 * byte counts of what it "wrote", checks MD5 and SHA-256 and answers OK or ERROR; an mqttvpn
 * device answers the version query and "restarts" after an upload: silent for a while, then
 * answering with the version it came back with. The fields are its script; set them before
 * {@link #start}.
 */
final class EspotaDevice implements AutoCloseable {
    // -- the script
    String password = "ota password";
    /** Says mqttvpn/1 and answers 300 (mqttvpn's receiver); false: ArduinoOTA. */
    boolean mqttvpn = true;
    String version = "1.0.0";
    String slot = "a";
    /** Answers the invitation with "OK" at once, without a challenge (ArduinoOTA without a password). */
    boolean noPassword;
    /** Answers the invitation with "ERR: " + this. */
    String refuse;
    /** Never answers the invitation (but still the version query). */
    boolean ignoreInvitations;
    /** Closes the connection after this many bytes (-1: never): with a reset, as when the link breaks, or not. */
    long cutAfter = -1;
    boolean cutByReset = true;
    /** After every byte, "ERROR: " + this instead of OK. */
    String endError;
    /** Before connecting back, has this other local address connect to the uploader's port first. */
    InetAddress impostor;
    /** What the impostor's connection got before it was closed (null: it was not made). */
    volatile byte[] impostorGot;
    /** Sends its counts only once the whole image is in: an uploader that waits for them stalls. */
    boolean countsOnlyAtTheEnd;
    /** After OK: the old image answers the query this long before it restarts. */
    long oldAnswersForMillis;
    /** After OK (and the above): silent this long, then it is back. */
    long restartMillis = 300;
    /** After the restart: the version and slot it answers with; null: it never comes back. */
    String versionAfter = "1.1.0";
    String slotAfter = "b";

    // -- what happened
    final List<String> datagrams = Collections.synchronizedList(new ArrayList<>());
    volatile byte[] received;
    volatile String invitedMd5;
    volatile long invitedSize = -1;
    volatile String sha256Given;
    volatile Boolean md5Matched;
    volatile Boolean sha256Matched;
    volatile InetAddress connectedFrom;
    volatile long maxReadChunk;

    private final DatagramSocket udp;
    private final SecureRandom random = new SecureRandom();
    private volatile String nonce;
    private volatile SocketAddress uploader;
    private volatile int uploaderTcpPort;
    private volatile long backAt = -1; // System.nanoTime from which versionAfter is answered
    private volatile long silentFrom = -1;
    private Thread udpThread;
    private Thread tcpThread;

    EspotaDevice(InetSocketAddress bind) throws SocketException {
        udp = new DatagramSocket(bind);
    }

    EspotaDevice() throws SocketException {
        this(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    int port() {
        return udp.getLocalPort();
    }

    InetAddress address() {
        return udp.getLocalAddress();
    }

    EspotaDevice start() {
        udpThread = new Thread(this::serveUdp, "espota-device-udp");
        udpThread.setDaemon(true);
        udpThread.start();
        return this;
    }

    @Override
    public void close() throws InterruptedException {
        udp.close();
        udpThread.join(2000);
        if (tcpThread != null) {
            tcpThread.join(2000);
        }
    }

    static String md5hex(String s) {
        return hex("MD5", s.getBytes(StandardCharsets.UTF_8));
    }

    static String hex(String algorithm, byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private void reply(SocketAddress to, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        udp.send(new DatagramPacket(b, b.length, to));
    }

    private void serveUdp() {
        byte[] buf = new byte[1500];
        while (!udp.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                udp.receive(p);
                String text = new String(buf, 0, p.getLength(), StandardCharsets.US_ASCII);
                datagrams.add(text);
                handle(p.getSocketAddress(), text);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void handle(SocketAddress from, String text) throws IOException {
        String[] w = text.trim().split(" ");
        switch (w[0]) {
            case "300" -> answerVersion(from);
            case "0" -> invitation(from, w);
            case "200" -> authentication(from, w);
            default -> {
                // ArduinoOTA ignores other commands
            }
        }
    }

    private void answerVersion(SocketAddress from) throws IOException {
        if (!mqttvpn) {
            return;
        }
        long now = System.nanoTime();
        if (silentFrom >= 0 && now - silentFrom >= 0 && (backAt < 0 || now - backAt < 0)) {
            return; // restarting (or never back)
        }
        boolean back = backAt >= 0 && now - backAt >= 0;
        reply(from, "VERSION " + (back ? versionAfter : version) + " " + (back ? slotAfter : slot) + "\n");
    }

    private void invitation(SocketAddress from, String[] w) throws IOException {
        if (ignoreInvitations || w.length != 4) {
            return;
        }
        uploader = from;
        uploaderTcpPort = Integer.parseInt(w[1]);
        invitedSize = Long.parseLong(w[2]);
        invitedMd5 = w[3];
        if (refuse != null) {
            reply(from, "ERR: " + refuse);
            return;
        }
        if (noPassword) {
            reply(from, "OK");
            connectBack();
            return;
        }
        byte[] n = new byte[16];
        random.nextBytes(n);
        nonce = HexFormat.of().formatHex(n);
        reply(from, "AUTH " + nonce + (mqttvpn ? " mqttvpn/1" : ""));
    }

    private void authentication(SocketAddress from, String[] w) throws IOException {
        if (nonce == null || !from.equals(uploader) || w.length < 3) {
            return;
        }
        String cnonce = w[1];
        String response = w[2];
        String sha256 = w.length > 3 ? w[3] : null;
        boolean ok = cnonce.length() == 32 && response.equals(md5hex(md5hex(password) + ":" + nonce + ":" + cnonce));
        if (sha256 != null && (!mqttvpn || !cnonce.equals(md5hex("mqttvpn-sha256:" + sha256)))) {
            ok = false; // a SHA-256 counts only bound to the password through the cnonce
        }
        nonce = null;
        if (!ok) {
            reply(from, "Authentication Failed");
            return;
        }
        sha256Given = sha256;
        reply(from, "OK");
        connectBack();
    }

    private void connectBack() {
        InetSocketAddress back = new InetSocketAddress(((InetSocketAddress) uploader).getAddress(), uploaderTcpPort);
        tcpThread = new Thread(() -> receive(back), "espota-device-tcp");
        tcpThread.setDaemon(true);
        tcpThread.start();
    }

    private void receive(InetSocketAddress to) {
        if (impostor != null) {
            try (Socket s = new Socket()) {
                s.bind(new InetSocketAddress(impostor, 0));
                s.connect(to, 5000);
                s.setSoTimeout(5000);
                impostorGot = s.getInputStream().readAllBytes(); // until the uploader closes it
            } catch (IOException e) {
                impostorGot = new byte[0]; // reset: nothing got through either
            }
        }
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(udp.getLocalAddress(), 0)); // from its one address, as a device does
            s.connect(to, 5000);
            connectedFrom = s.getLocalAddress();
            s.setSoTimeout(10_000); // the receiver's idle timeout
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            ByteArrayOutputStream image = new ByteArrayOutputStream();
            byte[] buf = new byte[1460];
            List<Integer> counts = new ArrayList<>();
            while (image.size() < invitedSize) {
                if (cutAfter >= 0 && image.size() >= cutAfter) {
                    if (cutByReset) {
                        s.setSoLinger(true, 0);
                    }
                    received = image.toByteArray();
                    return;
                }
                int want = (int) Math.min(buf.length, invitedSize - image.size());
                if (cutAfter >= 0) {
                    want = (int) Math.min(want, cutAfter - image.size());
                }
                int n = in.read(buf, 0, want);
                if (n < 0) {
                    received = image.toByteArray();
                    return; // the uploader gave up: the running image stays
                }
                maxReadChunk = Math.max(maxReadChunk, n);
                image.write(buf, 0, n);
                if (countsOnlyAtTheEnd) {
                    counts.add(n);
                } else {
                    out.write(Integer.toString(n).getBytes(StandardCharsets.US_ASCII));
                }
            }
            for (int n : counts) {
                out.write(Integer.toString(n).getBytes(StandardCharsets.US_ASCII));
            }
            byte[] got = image.toByteArray();
            received = got;
            md5Matched = hex("MD5", got).equals(invitedMd5);
            sha256Matched = sha256Given == null ? null : hex("SHA-256", got).equals(sha256Given);
            if (!md5Matched || Boolean.FALSE.equals(sha256Matched)) {
                out.write("ERROR: hash mismatch".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            if (endError != null) {
                out.write(("ERROR: " + endError).getBytes(StandardCharsets.US_ASCII));
                return;
            }
            out.write("OK".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            return;
        }
        // the restart, after the connection is closed
        long now = System.nanoTime();
        silentFrom = now + oldAnswersForMillis * 1_000_000;
        if (versionAfter != null) {
            backAt = silentFrom + restartMillis * 1_000_000;
        }
    }
}
