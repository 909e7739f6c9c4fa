package org.mqttvpn.tools.vpn;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A Linux PM QoS request (the kernel's /dev/cpu_dma_latency interface): while it is held, no
 * CPU enters an idle state that takes longer than 0 µs to leave. On an idle machine, and
 * above all on a virtual machine whose idle vCPUs halt, every packet otherwise first waits for
 * a CPU to wake and then runs with cold caches; a tunnel pays that on each of its system
 * calls. The price is power: the CPUs poll instead of sleeping. The kernel drops the request
 * when the file is closed, also when the process dies.
 */
public final class LowLatency implements Closeable {
    static final Path DEVICE = Path.of("/dev/cpu_dma_latency");

    private final FileChannel channel;

    private LowLatency(FileChannel channel) {
        this.channel = channel;
    }

    /** Makes the request; the reason it cannot, as a message a user can act on. */
    public static LowLatency request() throws IOException {
        FileChannel c;
        try {
            c = FileChannel.open(DEVICE, StandardOpenOption.WRITE);
        } catch (AccessDeniedException e) {
            throw new IOException("cannot open " + DEVICE + ": permission denied (it needs root)");
        } catch (NoSuchFileException e) {
            throw new IOException(DEVICE + " does not exist: this kernel has no PM QoS interface");
        }
        try {
            c.write(value(0));
            return new LowLatency(c);
        } catch (IOException e) {
            c.close();
            throw new IOException("writing to " + DEVICE + ": " + e.getMessage(), e);
        }
    }

    /** The system-wide limit in force now, in microseconds (2000000000: none). */
    public static int currentLimitMicros() throws IOException {
        try (FileChannel c = FileChannel.open(DEVICE, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder());
            while (b.hasRemaining() && c.read(b) > 0) {
                // the kernel answers with the four bytes at once
            }
            return b.flip().getInt();
        }
    }

    private static ByteBuffer value(int micros) {
        ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(micros);
        return b.flip();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
