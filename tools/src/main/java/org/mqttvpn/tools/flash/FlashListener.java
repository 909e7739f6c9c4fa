package org.mqttvpn.tools.flash;

/** What the flasher tells its user while it works. Methods are called from the flashing thread. */
public interface FlashListener {
    /** A step worth a line: "Chip: ESP32, MAC ...". */
    void info(String message);

    /** Something went around a problem: a baud fallback, a missing reset line. */
    void warn(String message);

    /** Starts writing a file of {@code bytes} (after padding), {@code compressed} or not. */
    void fileStarted(FlashImage image, long bytes, boolean compressed);

    /** {@code done} of the current file's bytes are written. */
    void progress(long done);

    /** The file is written (and verified, if {@code result.verified()}). */
    void fileFinished(FlashReport.FileResult result);

    /** Does nothing: for callers that only want the report. */
    FlashListener SILENT = new FlashListener() {
        @Override
        public void info(String message) {
        }

        @Override
        public void warn(String message) {
        }

        @Override
        public void fileStarted(FlashImage image, long bytes, boolean compressed) {
        }

        @Override
        public void progress(long done) {
        }

        @Override
        public void fileFinished(FlashReport.FileResult result) {
        }
    };
}
