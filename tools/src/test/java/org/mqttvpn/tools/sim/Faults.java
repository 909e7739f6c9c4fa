package org.mqttvpn.tools.sim;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** What the simulator does wrong on purpose, set by a test before or while the host runs. */
public final class Faults {
    /** How the simulated ROM takes CHANGE_BAUDRATE. */
    public enum BaudPolicy {
        /** Answers OK and switches (a pty carries any rate, so the line keeps working). */
        ACCEPT,
        /** Answers with a failure status: the host must stay at 115200. */
        REJECT,
        /**
         * Answers OK, switches, and from then on the line garbles everything (an adapter that
         * cannot do the rate): no answers until the host resets the chip. A pty has no reset
         * lines, so the next SYNC stands for "the host reset the chip": the ROM is back at 115200.
         */
        GARBLED_AFTER_SWITCH
    }

    /** Data blocks (by seq) whose first arrival is answered with a checksum error (0x07), not written. */
    public final Set<Integer> checksumErrorOnce = ConcurrentHashMap.newKeySet();
    /** Every data block is answered with a checksum error. */
    public volatile boolean checksumErrorAlways;
    /** Data blocks (by seq) written on first arrival but whose answer is lost. */
    public final Set<Integer> dropResponseOnce = ConcurrentHashMap.newKeySet();
    /** Sent once, before the answers to the first SYNC: boot-log text and noise, may contain C0. */
    public volatile byte[] garbageBeforeSync;
    /** Answers nothing at all (a board not in download mode). */
    public volatile boolean silent;
    /** Flash address whose byte is damaged right after the block covering it is written. */
    public volatile long corruptAfterWriteAt = -1;
    public volatile BaudPolicy baud = BaudPolicy.ACCEPT;
}
