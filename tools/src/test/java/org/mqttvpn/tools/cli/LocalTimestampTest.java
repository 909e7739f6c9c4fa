package org.mqttvpn.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

/** java.time is the oracle: the layout must print what DateTimeFormatter printed before. */
class LocalTimestampTest {
    private static final DateTimeFormatter ORACLE = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS");

    private static String ours(long millis, TimeZone zone) {
        StringBuilder out = new StringBuilder();
        LocalTimestamp.append(out, millis, zone);
        return out.toString();
    }

    private static String oracle(long millis, TimeZone zone) {
        return ORACLE.format(Instant.ofEpochMilli(millis).atZone(zone.toZoneId()));
    }

    @Test
    void knownInstants() {
        TimeZone utc = TimeZone.getTimeZone("UTC");
        assertEquals("1970-01-01 00:00:00.000", ours(0, utc));
        assertEquals("1969-12-31 23:59:59.999", ours(-1, utc));
        assertEquals("2000-02-29 23:59:59.007", ours(951_868_799_007L, utc));
        assertEquals("2026-12-02 21:05:09.040", ours(1_796_245_509_040L, utc));
        assertEquals("2026-12-03 06:05:09.040", ours(1_796_245_509_040L, TimeZone.getTimeZone("Asia/Tokyo")));
    }

    @Test
    void agreesWithJavaTimeAcrossZonesLeapDaysAndDaylightSavingChanges() {
        SplittableRandom random = new SplittableRandom(42);
        for (String id : new String[] {"UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe",
                "Pacific/Chatham", "America/St_Johns"}) {
            TimeZone zone = TimeZone.getTimeZone(id);
            for (int i = 0; i < 20_000; i++) {
                // 1900..2200, and every hour around the changes of 2026 (found by stepping an hour)
                long millis = random.nextLong(-2_208_988_800_000L, 7_258_118_400_000L);
                assertEquals(oracle(millis, zone), ours(millis, zone), id + " at " + millis);
            }
            for (long millis = 1_767_225_600_000L; millis < 1_798_761_600_000L; millis += 3_599_999L) {
                assertEquals(oracle(millis, zone), ours(millis, zone), id + " at " + millis);
            }
        }
    }
}
