package org.mqttvpn.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogLineLayoutTest {
    private final LoggerContext context = new LoggerContext();

    private String line(String logger, Level level, String message, Throwable t, Object... args) {
        LogLineLayout layout = new LogLineLayout();
        layout.setContext(context);
        layout.start();
        Logger l = context.getLogger(logger);
        return layout.doLayout(new LoggingEvent("fqcn", l, level, message, t, args));
    }

    @Test
    void lineHasTimeLevelPaddedToFiveLastLoggerNameAndFormattedMessage() {
        String line = line("mqttvpn.vpn", Level.INFO, "interface {} up", null, "mq0");
        assertTrue(line.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  vpn: interface mq0 up\\R"), line);
    }

    @Test
    void aLoggerWithoutDotsIsNamedWhole() {
        assertTrue(line("paho", Level.WARN, "x", null).endsWith(" WARN  paho: x" + System.lineSeparator()));
    }

    @Test
    void aThrowableFollowsWithItsStackTrace() {
        String line = line("mqttvpn.vpn", Level.ERROR, "failed", new IllegalStateException("boom"));
        assertTrue(line.contains("ERROR vpn: failed"), line);
        assertTrue(line.contains("java.lang.IllegalStateException: boom"), line);
        assertTrue(line.contains("at org.mqttvpn.tools.cli.LogLineLayoutTest"), line);
    }

    @Test
    void theCommandLineIsConfiguredByLogSetupAtInfoOnStderr() {
        LoggerContext running = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = running.getLogger(Logger.ROOT_LOGGER_NAME);
        assertEquals(Level.INFO, root.getLevel());
        assertTrue(root.getAppender("STDERR") != null, "the STDERR appender of LogSetup");
        assertEquals(Level.WARN, running.getLogger("io.netty").getLevel());
    }
}
