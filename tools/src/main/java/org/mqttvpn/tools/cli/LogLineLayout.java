package org.mqttvpn.tools.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.util.TimeZone;

/**
 * One log line: {@code 2026-01-31 12:00:00.000 INFO  vpn: message}, the time in the
 * machine's zone, the logger's last name, then the stack trace of a throwable if there is one
 * (what the pattern {@code %d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %logger{0}: %msg%n} gave,
 * without logback's pattern parser or java.time: see {@link LocalTimestamp}).
 */
final class LogLineLayout extends LayoutBase<ILoggingEvent> {
    private final TimeZone zone = TimeZone.getDefault();

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(128);
        LocalTimestamp.append(line, event.getTimeStamp(), zone);
        line.append(' ');
        String level = event.getLevel().toString();
        line.append(level);
        for (int i = level.length(); i < 5; i++) {
            line.append(' ');
        }
        String logger = event.getLoggerName();
        line.append(' ').append(logger, logger.lastIndexOf('.') + 1, logger.length()).append(": ")
                .append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            line.append(ThrowableProxyUtil.asString(thrown)).append(CoreConstants.LINE_SEPARATOR);
        }
        return line.toString();
    }
}
