package org.mqttvpn.tools.cli;

import java.util.TimeZone;

/**
 * A log line's time, {@code 2026-01-31 12:00:00.000}, in a given zone, from
 * {@link TimeZone#getOffset(long)} and the proleptic Gregorian calendar. Not java.time's
 * DateTimeFormatter: it and its printers are some fifty classes a daemon loads for nothing else
 * (each about 8 KiB of resident memory, measured with {@code toolkit bench}).
 */
final class LocalTimestamp {
    private static final long MILLIS_PER_DAY = 86_400_000L;

    private LocalTimestamp() {
    }

    static void append(StringBuilder out, long epochMillis, TimeZone zone) {
        long local = epochMillis + zone.getOffset(epochMillis);
        long days = Math.floorDiv(local, MILLIS_PER_DAY);
        int millisOfDay = (int) Math.floorMod(local, MILLIS_PER_DAY);
        // Days since 1970-01-01 to year, month, day (the civil-from-days method of H. Hinnant):
        // count in 400-year eras that start on March 1st, so that the leap day ends a year.
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long monthFromMarch = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * monthFromMarch + 2) / 5 + 1);
        int month = (int) (monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        pad(out, year, 4).append('-');
        pad(out, month, 2).append('-');
        pad(out, day, 2).append(' ');
        pad(out, millisOfDay / 3_600_000, 2).append(':');
        pad(out, millisOfDay / 60_000 % 60, 2).append(':');
        pad(out, millisOfDay / 1000 % 60, 2).append('.');
        pad(out, millisOfDay % 1000, 3);
    }

    private static StringBuilder pad(StringBuilder out, long value, int digits) {
        for (long limit = 10; --digits > 0; limit *= 10) {
            if (value < limit) {
                out.append('0');
            }
        }
        return out.append(value);
    }
}
