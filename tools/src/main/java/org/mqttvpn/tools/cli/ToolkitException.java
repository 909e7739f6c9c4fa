package org.mqttvpn.tools.cli;

/**
 * A failure a user can act on: the message says what went wrong and what to do, the exit
 * code says which class of failure it is. Thrown from deep code, turned into one line on
 * stderr and the exit status by {@link org.mqttvpn.tools.Main}.
 */
public class ToolkitException extends RuntimeException {
    private final int exitCode;

    public ToolkitException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public ToolkitException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    public static ToolkitException usage(String message) {
        return new ToolkitException(ExitCode.USAGE, message);
    }
}
