package org.mqttvpn.tools.system;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * An espota uploader written for the system tests from firmware/common/OTA-PROTOCOL.md alone,
 * in the lock step of espota.py (a 1460-byte piece, then one read), sharing no code with
 * {@code toolkit ota}: so that our uploader and our receiver cannot pass on a misreading they
 * share. It runs as its own process inside a test namespace (the tunnel is only reachable there):
 *
 * <pre>EspotaTestUploader ADDRESS PORT PASSWORD_FILE IMAGE [--wrong-md5]</pre>
 *
 * --wrong-md5 announces the MD5 of other bytes than it sends (a corrupted image). Prints one
 * {@code result: ...} line; exits 0 on the device's OK, 1 otherwise.
 */
public final class EspotaTestUploader {
    private EspotaTestUploader() {
    }

    public static void main(String[] args) throws Exception {
        InetAddress device = InetAddress.getByName(args[0]);
        int port = Integer.parseInt(args[1]);
        String password = Files.readAllLines(Path.of(args[2])).get(0);
        byte[] image = Files.readAllBytes(Path.of(args[3]));
        boolean wrongMd5 = args.length > 4 && args[4].equals("--wrong-md5");
        String md5 = md5hex(image);
        if (wrongMd5) {
            byte[] other = image.clone();
            other[other.length / 2] ^= 1;
            md5 = md5hex(other);
        }
        try (ServerSocket server = new ServerSocket(0); DatagramSocket udp = new DatagramSocket()) {
            udp.setSoTimeout(10_000);
            // §1: the invitation
            String reply = exchange(udp, device, port, "0 " + server.getLocalPort() + " " + image.length + " " + md5 + "\n");
            // §2: the challenge
            if (!reply.startsWith("AUTH ")) {
                finish("no challenge: " + reply);
                return;
            }
            String nonce = reply.split(" ")[1];
            String cnonce = md5hex(("test-uploader" + image.length + md5).getBytes(StandardCharsets.US_ASCII));
            String response = md5hex((md5hex(password.getBytes(StandardCharsets.UTF_8)) + ":" + nonce + ":" + cnonce)
                    .getBytes(StandardCharsets.US_ASCII));
            reply = exchange(udp, device, port, "200 " + cnonce + " " + response + "\n");
            if (!reply.equals("OK")) {
                finish("not authenticated: " + reply);
                return;
            }
            // §3: the device connects back; a piece, then one read, as espota.py does
            server.setSoTimeout(10_000);
            try (Socket s = server.accept()) {
                s.setSoTimeout(60_000);
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                byte[] buf = new byte[64];
                for (int off = 0; off < image.length; off += 1460) {
                    out.write(image, off, Math.min(1460, image.length - off));
                    out.flush();
                    if (in.read(buf) < 0) {
                        finish("the device closed the connection at byte " + off);
                        return;
                    }
                }
                StringBuilder tail = new StringBuilder();
                int n;
                while ((n = in.read(buf)) > 0) {
                    String text = new String(buf, 0, n, StandardCharsets.US_ASCII);
                    tail.append(text);
                    if (text.indexOf('E') >= 0 || text.indexOf('O') >= 0) {
                        break;
                    }
                }
                String t = tail.toString();
                int e = t.indexOf('E');
                if (e >= 0) {
                    while ((n = in.read(buf)) > 0) {
                        tail.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
                    }
                    finish("ERROR from the device: " + tail.substring(tail.indexOf("E")).strip());
                } else if (t.indexOf('O') >= 0) {
                    System.out.println("result: OK");
                    System.exit(0);
                } else {
                    finish("no result before the device closed");
                }
            }
        }
    }

    private static String exchange(DatagramSocket udp, InetAddress device, int port, String message) throws Exception {
        byte[] m = message.getBytes(StandardCharsets.US_ASCII);
        udp.send(new DatagramPacket(m, m.length, new InetSocketAddress(device, port)));
        DatagramPacket p = new DatagramPacket(new byte[256], 256);
        udp.receive(p);
        return new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII).strip();
    }

    private static String md5hex(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }

    private static void finish(String why) {
        System.out.println("result: " + why);
        System.exit(1);
    }
}
