package org.mqttvpn.tools.flash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mqttvpn.tools.serial.SerialLink;

/** Byte-exact examples and formulas from ESP-ROM-PROTOCOL.md, checked without a port. */
class ProtocolDetailsTest {
    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    /** A port that keeps what is written to it and never answers. */
    static final class WireTap implements SerialLink {
        private final ByteArrayOutputStream written = new ByteArrayOutputStream();

        /** What was written since the last call. */
        byte[] take() {
            byte[] b = written.toByteArray();
            written.reset();
            return b;
        }

        @Override
        public String path() {
            return "tap";
        }

        @Override
        public void write(byte[] data, int off, int len) {
            written.write(data, off, len);
        }

        @Override
        public int read(byte[] buf, int timeoutMillis) {
            return 0;
        }

        @Override
        public boolean setBaudRate(int baud) {
            return true;
        }

        @Override
        public int baudRate() {
            return 115200;
        }

        @Override
        public boolean setDtr(boolean asserted) {
            return false;
        }

        @Override
        public boolean setRts(boolean asserted) {
            return false;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void framesRequestsAsTheDocumentShows() throws Exception {
        WireTap tap = new WireTap();
        RomLoaderClient c = new RomLoaderClient(tap, new LoaderTimeouts(1, 1, 1, 1, 1));
        c.send(Opcode.SYNC, RomLoaderClient.SYNC_PAYLOAD, 0);
        assertThat(tap.take()).isEqualTo(hex("c0 00 08 24 00 00 00 00 00 07 07 12 20" + " 55".repeat(32) + " c0"));
        // A data block from the middle of a buffer: 16-byte data header (length 3, seq 7), the
        // block's checksum in the request header (0xef ^ c0 ^ db ^ 01 = 0xf5), c0 and db escaped.
        byte[] buf = hex("11 c0 db 01 22");
        assertThatThrownBy(() -> c.data(Opcode.FLASH_DATA, 7, buf, 1, 3, 1)).isInstanceOf(LoaderTimeoutException.class);
        assertThat(tap.take()).isEqualTo(hex("c0 00 03 13 00 f5 00 00 00 03 00 00 00 07 00 00 00"
                + " 00 00 00 00 00 00 00 00 db dc db dd 01 c0"));
        // Shorter requests after a longer one: nothing of the earlier request is left over.
        c.send(Opcode.READ_REG, RomLoaderClient.words(0x40001000L), 0);
        assertThat(tap.take()).isEqualTo(hex("c0 00 0a 04 00 00 00 00 00 00 10 00 40 c0"));
        c.send(Opcode.CHANGE_BAUDRATE, RomLoaderClient.words(921600, 0), 0);
        assertThat(tap.take()).isEqualTo(hex("c0 00 0f 08 00 00 00 00 00 00 10 0e 00 00 00 00 00 c0"));
        c.send(Opcode.FLASH_BEGIN, RomLoaderClient.words(0x10000, 64, 0x400, 0x10000), 0);
        assertThat(tap.take()).isEqualTo(hex("c0 00 02 10 00 00 00 00 00 00 00 01 00 40 00 00 00 00 04 00 00 00 00 01 00 c0"));
        // Longer than a ROM block: the request buffer grows.
        c.send(Opcode.MEM_DATA, new byte[0x800], 0);
        assertThat(tap.take()).hasSize(1 + 8 + 0x800 + 1).startsWith(hex("c0 00 07 00 08")).endsWith(hex("00 c0"));
        assertThat(c.wireBytesOut()).isEqualTo(46 + 31 + 14 + 18 + 26 + 0x80a);

        assertThat(Slip.encode(new byte[] {(byte) 0xC0, (byte) 0xDB, 1})).isEqualTo(hex("c0 db dc db dd 01 c0"));
        assertThat(RomLoaderClient.checksum(new byte[] {1, 2, 3, 4})).isEqualTo(0xEB);
    }

    @Test
    void decodesFramesAcrossNoiseAndAStrayDelimiter() {
        SlipDecoder d = new SlipDecoder();
        byte[] stream = hex("41 42 c0 01 02 c0 c0 01 08 04 00 07 07 12 20 00 00 00 00 c0 58 c0 c0 01 db dc db dd c0");
        List<byte[]> frames = d.feed(stream, 0, stream.length);
        assertThat(frames).hasSize(3);
        assertThat(frames.get(1)).isEqualTo(hex("01 08 04 00 07 07 12 20 00 00 00 00"));
        assertThat(frames.get(2)).isEqualTo(hex("01 c0 db"));
        assertThat(d.noise()).isEqualTo("ABX");
    }

    @Test
    void parsesStatusAfterTheCommandData() {
        // ESP32-family FLASH_DATA checksum failure from ISSUES #497: status 1, error 7
        Response r = Response.parse(hex("01 03 04 00 07 12 20 07 01 07 00 00"));
        assertThat(r.status(0)).isEqualTo(1);
        assertThat(r.error(0)).isEqualTo(RomError.BAD_CHECKSUM);
        Response reg = Response.parse(hex("01 0a 04 00 00 25 12 15 00 00 00 00"));
        assertThat(reg.value()).isEqualTo(0x15122500L);
        assertThat(reg.status(0)).isZero();
    }

    @Test
    void computesTheEsp8266EraseSizeAsEsptool() {
        assertThat(Chip.ESP8266.eraseSize(0, 0x1000)).isEqualTo(0x1000);
        assertThat(Chip.ESP8266.eraseSize(0, 0x10000)).isEqualTo(0x8000);
        assertThat(Chip.ESP8266.eraseSize(0, 0x40000)).isEqualTo(0x30000);
        assertThat(Chip.ESP8266.eraseSize(0x1000, 0x2000)).isEqualTo(0x1000);
        assertThat(Chip.ESP8266.eraseSize(0x8000, 0x20000)).isEqualTo(0x18000);
        assertThat(Chip.ESP8266.eraseSize(0, 0)).isZero();
        assertThat(Chip.ESP32.eraseSize(0, 0x10000)).isEqualTo(0x10000);
    }

    @Test
    void scalesTheEsp32BaudByTheRomClockEstimate() {
        assertThat(Flasher.esp32CorrectedBaud(921600, 1024, 100)).isEqualTo(921600); // exactly 40 MHz
        assertThat(Flasher.esp32CorrectedBaud(921600, 1000, 100)).isEqualTo(900000); // 39.0625 MHz
        assertThat(Flasher.esp32CorrectedBaud(921600, 0, 0)).isEqualTo(921600); // no estimate: unscaled
    }

    @Test
    void readsFlashSizesFromJedecIds() {
        assertThat(FlashIdReader.sizeFromId(0x1640EF)).isEqualTo(4 << 20);
        assertThat(FlashIdReader.sizeFromId(0x1440C8)).isEqualTo(1 << 20);
        assertThat(FlashIdReader.sizeFromId(0x3925C2)).isEqualTo(32 << 20);
        assertThat(FlashIdReader.sizeFromId(0xFFFFFF)).isEqualTo(-1);
    }

    @Test
    void parsesImageSpecs() {
        assertThat(ImageSpec.parse("app.bin@0x10000")).isEqualTo(new ImageSpec(java.nio.file.Path.of("app.bin"), 0x10000));
        assertThat(ImageSpec.parse("a@b/x.bin@4096").address()).isEqualTo(4096);
        assertThat(ImageSpec.parse("sketch.bin").address()).isZero();
        assertThatThrownBy(() -> ImageSpec.parse("app.bin@ten")).hasMessageContaining("is not a flash address");
    }

    @Test
    void detectsChipsByMagicAndId() {
        assertThat(Chip.byMagic(0xFFF0C101L)).contains(Chip.ESP8266);
        assertThat(Chip.byMagic(0x00F01D83L)).contains(Chip.ESP32);
        assertThat(Chip.byMagic(0x4881606FL)).contains(Chip.ESP32C3);
        assertThat(Chip.byImageChipId(9)).contains(Chip.ESP32S3);
        assertThat(Chip.ESP32S3.flashBeginHasEncryptedWord()).isTrue();
        assertThat(Chip.ESP32.flashBeginHasEncryptedWord()).isFalse();
    }
}
