package org.mqttvpn.tools.vpn;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.mqttvpn.host.codec.ClassicCodec;
import org.mqttvpn.host.codec.Key;
import org.mqttvpn.host.mqtt.BrokerLink;
import org.mqttvpn.host.mqtt.BrokerSettings;
import org.mqttvpn.host.mqtt.BrokerUri;
import org.mqttvpn.host.mqtt.PublishPacket;
import org.mqttvpn.tools.Main;
import org.slf4j.LoggerFactory;

/**
 * The training run of the build's class data sharing archive for {@code toolkit vpn} (see
 * tools/pom.xml): the JVM lists the classes this loads, and the build archives them, so the
 * daemon maps them ready-made instead of reading, verifying and linking them at every start.
 * It goes where the daemon goes, without root and without a TUN interface: the command line,
 * logging, the codec with a key (libsodium through JNA), the TUN binding's classes, and a
 * broker session against a minimal MQTT 3.1.1 broker on loopback (connect, subscribe, a frame
 * each way, disconnect). Not a user command.
 */
public final class ClassDataTraining {
    private static final String OWN_TOPIC = "mqttip/10.0.1.1";
    private static final long TIMEOUT_SECONDS = 20;

    private ClassDataTraining() {
    }

    public static void main(String[] args) throws Exception {
        Main.vpnCommandLine().parseArgs("vpn", "-i", "mq0", "-a", "10.0.1.1", "-b", "tcp://127.0.0.1:1883", "-k", "training");
        LoggerFactory.getLogger("mqttvpn.vpn").debug("class data sharing training run");
        for (String tunClass : new String[] {"LibC", "IfTun", "TunDevice", "InterfaceSetup"}) {
            Class.forName("org.mqttvpn.host.tun." + tunClass, true, ClassDataTraining.class.getClassLoader());
        }
        ClassicCodec codec = new ClassicCodec(Key.fromPassword("training"), ClassicCodec.DEFAULT_MTU);
        byte[] packet = ipv4Packet();
        byte[] frame = new byte[codec.frameLength(packet.length)];
        int frameLength = codec.seal(packet, packet.length, frame);
        if (codec.open(frame, frameLength, new byte[ClassicCodec.DEFAULT_MTU]) != packet.length) {
            throw new IllegalStateException("the codec did not open its own frame");
        }
        brokerSession(codec, packet, frame);
    }

    private static void brokerSession(ClassicCodec codec, byte[] packet, byte[] frame) throws Exception {
        CountDownLatch frameArrived = new CountDownLatch(1);
        CountDownLatch frameSent = new CountDownLatch(1);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread broker = new Thread(() -> serve(server, frame, frameSent), "training-broker");
            broker.setDaemon(true);
            broker.start();
            BrokerUri uri = BrokerUri.parse("tcp://127.0.0.1:" + server.getLocalPort());
            byte[] opened = new byte[ClassicCodec.DEFAULT_MTU];
            BrokerLink link = new BrokerLink(BrokerSettings.of(uri), List.of(OWN_TOPIC), new BrokerLink.Receiver() {
                @Override
                public void onFrame(int topic, byte[] buf, int off, int len) {
                    if (codec.open(buf, off, len, opened) > 0) {
                        frameArrived.countDown();
                    }
                }

                @Override
                public void onFrameTooLong(int topic, int len) {
                }
            }, new AtomicLong());
            try {
                link.start();
                if (!frameArrived.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IOException("no frame from the training broker within " + TIMEOUT_SECONDS + " s");
                }
                PublishPacket out = new PublishPacket(64, codec.frameLength(ClassicCodec.DEFAULT_MTU));
                int n = codec.seal(packet, packet.length, out.buffer(), out.payloadOffset());
                if (!link.send("mqttip/10.0.1.2", out, n) || !frameSent.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IOException("the frame to the training broker did not arrive");
                }
            } finally {
                link.close();
            }
        }
    }

    /** A minimal MQTT 3.1.1 broker for one client: acknowledges, sends one frame after the subscription. */
    private static void serve(ServerSocket server, byte[] frame, CountDownLatch frameSent) {
        try (Socket s = server.accept()) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            while (true) {
                int type = in.read();
                if (type < 0) {
                    return;
                }
                int length = 0;
                for (int shift = 0, b = 0x80; (b & 0x80) != 0; shift += 7) {
                    b = in.readUnsignedByte();
                    length |= (b & 0x7f) << shift;
                }
                byte[] body = new byte[length];
                in.readFully(body);
                switch (type >> 4) {
                    case 1 -> out.write(new byte[] {0x20, 2, 0, 0}); // CONNECT: CONNACK, accepted
                    case 8 -> { // SUBSCRIBE: SUBACK granting QoS 0 to each topic, then a frame on the first
                        int topics = 0;
                        for (int i = 2; i < body.length; i += 2 + (((body[i] & 0xff) << 8) | (body[i + 1] & 0xff)) + 1) {
                            topics++;
                        }
                        byte[] ack = new byte[4 + topics];
                        ack[0] = (byte) 0x90;
                        ack[1] = (byte) (2 + topics);
                        ack[2] = body[0];
                        ack[3] = body[1];
                        out.write(ack);
                        out.write(publish(OWN_TOPIC, frame));
                    }
                    case 3 -> frameSent.countDown(); // PUBLISH from the client
                    case 10 -> out.write(new byte[] {(byte) 0xb0, 2, body[0], body[1]}); // UNSUBSCRIBE: UNSUBACK
                    case 12 -> out.write(new byte[] {(byte) 0xd0, 0}); // PINGREQ: PINGRESP
                    case 14 -> {
                        return; // DISCONNECT
                    }
                    default -> {
                    }
                }
                out.flush();
            }
        } catch (IOException e) {
            // the client went: the training run ends with it
        }
    }

    private static byte[] publish(String topic, byte[] payload) {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        int remaining = 2 + t.length + payload.length;
        byte[] p = new byte[3 + remaining];
        p[0] = 0x30;
        p[1] = (byte) (0x80 | (remaining & 0x7f)); // two bytes of remaining length: 128..16383
        p[2] = (byte) (remaining >> 7);
        p[3] = (byte) (t.length >> 8);
        p[4] = (byte) t.length;
        System.arraycopy(t, 0, p, 5, t.length);
        System.arraycopy(payload, 0, p, 5 + t.length, payload.length);
        return p;
    }

    /** An IPv4 ICMP echo request from 10.0.1.1 to 10.0.1.2, as ping sends (84 bytes). */
    private static byte[] ipv4Packet() {
        byte[] p = new byte[84];
        p[0] = 0x45;
        p[3] = 84;
        p[8] = 64;
        p[9] = 1;
        p[12] = 10;
        p[14] = 1;
        p[15] = 1;
        p[16] = 10;
        p[18] = 1;
        p[19] = 2;
        p[20] = 8;
        return p;
    }
}
