package org.mqttvpn.tools.monitor;

/**
 * The monitor's keyboard: every key goes to the board except Ctrl-] (quit) and Ctrl-T, which
 * opens a one-key menu. Kept apart from the terminal so it can be tested with plain ints.
 */
public final class MonitorKeys {
    public static final int CTRL_RIGHT_BRACKET = 0x1D;
    public static final int CTRL_T = 0x14;

    /** What a key means. */
    public enum Action {
        SEND, QUIT, MENU, RESET, BOOTLOADER, TOGGLE_TIMESTAMPS, HELP
    }

    public static final String HELP = "Ctrl-] quit | Ctrl-T then: r reset, b reset into bootloader, "
            + "t timestamps on/off, h help, Ctrl-T send Ctrl-T";

    private boolean menu;

    public Action onKey(int c) {
        if (menu) {
            menu = false;
            return switch (c) {
                case 'r', 'R' -> Action.RESET;
                case 'b', 'B' -> Action.BOOTLOADER;
                case 't', 'T' -> Action.TOGGLE_TIMESTAMPS;
                case CTRL_T -> Action.SEND;
                case CTRL_RIGHT_BRACKET -> Action.QUIT;
                case 'h', 'H', '?' -> Action.HELP;
                default -> Action.HELP;
            };
        }
        if (c == CTRL_RIGHT_BRACKET) {
            return Action.QUIT;
        }
        if (c == CTRL_T) {
            menu = true;
            return Action.MENU;
        }
        return Action.SEND;
    }

    /** The bytes a sent key becomes: Enter (CR in raw mode) is sent as CR LF, as idf.py monitor does. */
    public static byte[] bytesFor(int c) {
        if (c == '\r') {
            return new byte[] {'\r', '\n'};
        }
        if (c < 0x80) {
            return new byte[] {(byte) c};
        }
        return String.valueOf((char) c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
