package org.mqttvpn.tools.flash;

/** The ROM loader's error byte (second status byte when the first is 1), ESP-ROM-PROTOCOL.md §3.1. */
public final class RomError {
    public static final int INVALID_MESSAGE = 0x05;
    public static final int OPERATION_FAILED = 0x06;
    public static final int BAD_CHECKSUM = 0x07;
    public static final int FLASH_WRITE_ERROR = 0x08;
    public static final int FLASH_READ_ERROR = 0x09;
    public static final int DEFLATE_ERROR = 0x0B;
    public static final int DEFLATE_ADLER32_ERROR = 0x0C;

    private RomError() {
    }

    public static String describe(int code) {
        return switch (code) {
            case 0x00 -> "undefined error";
            case 0x01 -> "input parameter invalid";
            case 0x02 -> "malloc failed";
            case 0x03 -> "failed to send message";
            case 0x04 -> "failed to receive message";
            case INVALID_MESSAGE -> "received message has invalid format (or the command is not supported)";
            case OPERATION_FAILED -> "message OK but the operation failed";
            case BAD_CHECKSUM -> "checksum error (data corrupted on the line)";
            case FLASH_WRITE_ERROR -> "flash write error (read-back mismatch)";
            case FLASH_READ_ERROR -> "flash read error";
            case 0x0A -> "flash read length error";
            case DEFLATE_ERROR -> "deflate failed (compressed data corrupt)";
            case DEFLATE_ADLER32_ERROR -> "deflate Adler-32 error";
            case 0x0D -> "deflate parameter error";
            case 0x0E -> "invalid RAM binary size";
            case 0x0F -> "invalid RAM binary address";
            case 0x64 -> "invalid parameter";
            case 0x65 -> "invalid format";
            case 0x66 -> "description too long";
            case 0x67 -> "bad encoding description";
            case 0x69 -> "insufficient storage";
            default -> "unknown error";
        };
    }
}
