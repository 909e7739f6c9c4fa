package org.mqttvpn.tools.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Log levels for the command line: info by default, debug with -d. */
public final class Logging {
    private Logging() {
    }

    public static void setDebug(boolean debug) {
        level("mqttvpn", debug ? Level.DEBUG : Level.INFO);
        level("org.mqttvpn", debug ? Level.DEBUG : Level.INFO);
        // Paho logs through java.util.logging; its messages duplicate ours.
        java.util.logging.Logger.getLogger("org.eclipse.paho").setLevel(
                debug ? java.util.logging.Level.WARNING : java.util.logging.Level.OFF);
    }

    public static void level(String logger, Level level) {
        ((Logger) LoggerFactory.getLogger(logger)).setLevel(level);
    }
}
