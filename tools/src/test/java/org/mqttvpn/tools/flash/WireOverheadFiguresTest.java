package org.mqttvpn.tools.flash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqttvpn.tools.serial.PortOpener;
import org.mqttvpn.tools.serial.SerialLink;
import org.mqttvpn.tools.sim.SimChip;
import org.mqttvpn.tools.sim.SimulatedBoard;
import org.mqttvpn.tools.sim.TestImages;

/**
 * Bytes on the serial line per byte of image for a 1 MiB write to the simulated ESP32 ROM, counted
 * by the flasher at the port (SLIP framing, headers, checksums, FLASH_BEGIN, every response with
 * its 4 status bytes, and the MD5 check), with and without compression, for firmware-like and for
 * random content. Writes the table to target/flash-overhead.txt.
 */
class WireOverheadFiguresTest {
    static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    record Row(String content, boolean compressionAsked, FlashReport.FileResult r) {
        String line() {
            double out = (double) r.wireBytesOut() / r.length();
            double in = (double) r.wireBytesIn() / r.length();
            return String.format(Locale.ROOT, "| %-35s | %-3s | %-3s | %9d | %9d | %7d | %.4f | %.4f | %.4f |",
                    content, compressionAsked ? "yes" : "no", r.compressed() ? "yes" : "no", r.sentLength(),
                    r.wireBytesOut(), r.wireBytesIn(), out, in, out + in);
        }
    }

    FlashReport.FileResult flash(byte[] image, boolean compress, String name) throws Exception {
        Path sim = Files.createDirectories(dir.resolve(name));
        try (SimulatedBoard board = SimulatedBoard.start(sim, SimChip.ESP32);
                SerialLink link = new PortOpener().open(board.hostPath(), FlashOptions.ROM_BAUD)) {
            FlashOptions o = FlasherSimulatorTest.options().withCompress(compress).withBaud(FlashOptions.ROM_BAUD);
            FlashReport r = new Flasher(link, false, o, FlashListener.SILENT)
                    .flash(List.of(new FlashImage(name, 0x10000, image, true)));
            FlasherSimulatorTest.assertFlashHolds(board, 0x10000, image);
            return r.files().get(0);
        }
    }

    @Test
    void measuresTheWireBytesOfA1MibImage() throws Exception {
        byte[] code = TestImages.codeLike(MIB, 50);
        byte[] noise = TestImages.random(MIB, 51);
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("firmware-like (TestImages.codeLike)", false, flash(code, false, "code-plain")));
        rows.add(new Row("firmware-like (TestImages.codeLike)", true, flash(code, true, "code-defl")));
        rows.add(new Row("random (incompressible)", false, flash(noise, false, "rand-plain")));
        rows.add(new Row("random (incompressible)", true, flash(noise, true, "rand-defl")));

        StringBuilder table = new StringBuilder("1 MiB image to the simulated ESP32 ROM at 0x10000, 0x400-byte blocks\n"
                + "| content                             | -z  | sent| data sent | wire out  | wire in | out/B  | in/B   | total/B|\n");
        for (Row row : rows) {
            table.append(row.line()).append('\n');
        }
        Files.writeString(Path.of("target/flash-overhead.txt"), table);
        System.out.println(table);

        FlashReport.FileResult plain = rows.get(0).r();
        FlashReport.FileResult deflated = rows.get(1).r();
        // Uncompressed: 1024 blocks of 0x400 + 24 bytes of header, a little SLIP escaping, 14-byte answers.
        assertThat((double) plain.wireBytesOut() / MIB).isBetween(1.02, 1.05);
        assertThat(plain.wireBytesIn()).isBetween(1024L * 14, 1024L * 16 + 200);
        // Compressed firmware-like data: fewer bytes on the wire than in the image.
        assertThat(deflated.compressed()).isTrue();
        assertThat(deflated.wireBytesOut()).isLessThan(plain.wireBytesOut() * 3 / 4);
        // Random data does not shrink: the flasher falls back to plain blocks, costing the same as without -z.
        assertThat(rows.get(3).r().compressed()).isFalse();
        assertThat(rows.get(3).r().wireBytesOut()).isEqualTo(rows.get(2).r().wireBytesOut());
    }
}
