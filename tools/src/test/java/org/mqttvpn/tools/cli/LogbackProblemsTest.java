package org.mqttvpn.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.status.ErrorStatus;
import ch.qos.logback.core.status.InfoStatus;
import ch.qos.logback.core.status.WarnStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogbackProblemsTest {
    @Test
    void warningsAndErrorsAreOneLineEachAndInformationIsQuiet() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LogbackProblems problems = new LogbackProblems(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        problems.addStatusEvent(new InfoStatus("appender started", this));
        problems.addStatusEvent(new WarnStatus("no encoder", this));
        problems.addStatusEvent(new ErrorStatus("cannot write", this, new IOException("disk full")));
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "logging: warning: no encoder",
                "logging: error: cannot write (java.io.IOException: disk full)");
    }

    @Test
    void theCommandLinesLogbackHasTheListener() {
        LoggerContext running = (LoggerContext) LoggerFactory.getILoggerFactory();
        assertThat(running.getStatusManager().getCopyOfStatusListenerList()).hasAtLeastOneElementOfType(LogbackProblems.class);
    }
}
