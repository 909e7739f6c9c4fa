package org.mqttvpn.tools.flash;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a byte stream into SLIP frames. Bytes outside frames (boot-log text, noise) are kept
 * apart as {@link #noise()} for diagnostics instead of being an error, and an empty frame
 * ({@code C0 C0}) counts as a start delimiter: after noise that contained a stray C0 the decoder
 * is one delimiter out of phase, and this brings it back on the next frame boundary.
 */
public final class SlipDecoder {
    private static final int MAX_NOISE = 4096;

    private final ByteArrayOutputStream frame = new ByteArrayOutputStream(2048);
    private final StringBuilder noise = new StringBuilder();
    private boolean inFrame;
    private boolean escaping;
    private boolean badEscape;

    /** Feeds bytes; returns the frames they completed (possibly none). */
    public List<byte[]> feed(byte[] buf, int off, int len) {
        List<byte[]> frames = new ArrayList<>(1);
        for (int i = off; i < off + len; i++) {
            int b = buf[i] & 0xFF;
            if (!inFrame) {
                if (b == Slip.END) {
                    startFrame();
                } else if (noise.length() < MAX_NOISE) {
                    noise.append((char) b);
                }
            } else if (b == Slip.END) {
                if (frame.size() == 0 && !escaping) {
                    continue; // C0 C0: stay in frame, this one starts it
                }
                if (!badEscape && !escaping) {
                    frames.add(frame.toByteArray());
                }
                inFrame = false;
            } else if (escaping) {
                escaping = false;
                if (b == Slip.ESC_END) {
                    frame.write(Slip.END);
                } else if (b == Slip.ESC_ESC) {
                    frame.write(Slip.ESC);
                } else {
                    badEscape = true; // corrupt frame: dropped at its end
                }
            } else if (b == Slip.ESC) {
                escaping = true;
            } else {
                frame.write(b);
            }
        }
        return frames;
    }

    private void startFrame() {
        inFrame = true;
        escaping = false;
        badEscape = false;
        frame.reset();
    }

    /** Forgets any partial frame, e.g. after discarding input before a new command. */
    public void reset() {
        inFrame = false;
        escaping = false;
        badEscape = false;
        frame.reset();
    }

    /** Text seen outside frames, up to the first 4 KB (bytes as ISO-8859-1 chars). */
    public String noise() {
        return noise.toString();
    }
}
