package org.mqttvpn.tools.flash;

/** A file is not a valid firmware image; {@link #offset()} is where in the file the problem is. */
public final class ImageException extends Exception {
    private final long offset;

    public ImageException(long offset, String message) {
        super(message);
        this.offset = offset;
    }

    public long offset() {
        return offset;
    }
}
