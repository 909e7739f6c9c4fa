package org.mqttvpn.host.secret;

import java.util.Locale;

/**
 * Why a secret could not be taken from a file (or a value): {@link #problem} names the file and
 * what is wrong, {@link #fix} what to do; the message is both. Callers put their flag or
 * inventory position in front.
 */
public final class SecretFileException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What went wrong; the names of the rule's cases are those of the shared test table. */
    public enum Kind {
        NOT_FOUND,
        NOT_READABLE,
        CANNOT_READ,
        DIRECTORY,
        NOT_REGULAR,
        FILE_TOO_BIG,
        EMPTY,
        TOO_LONG,
        NUL,
        STRAY_CR,
        BOM,
        NOT_UTF8,
        /** A value that is not a file's line (environment, command line) holds CR or LF. */
        LINE_BREAK;

        /** As in the test table: {@code file_too_big}, {@code not_utf8}, ... */
        public String tableName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Kind kind;
    private final int offset;
    private final String problem;
    private final String fix;

    SecretFileException(Kind kind, int offset, String problem, String fix) {
        super(problem + ": " + fix);
        this.kind = kind;
        this.offset = offset;
        this.problem = problem;
        this.fix = fix;
    }

    public Kind kind() {
        return kind;
    }

    /** The offending byte's offset in the file (0-based), or -1 when the problem is not one byte. */
    public int offset() {
        return offset;
    }

    public String problem() {
        return problem;
    }

    public String fix() {
        return fix;
    }
}
