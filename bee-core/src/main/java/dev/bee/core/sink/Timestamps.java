package dev.bee.core.sink;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Timestamp text, cached per millisecond (a busy stream stamps thousands of records per millisecond). */
final class Timestamps {
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private final ZoneId zone = ZoneId.systemDefault();
    private long isoMillis = Long.MIN_VALUE;
    private String iso;
    private long localMillis = Long.MIN_VALUE;
    private String local;

    /** ISO-8601 in UTC with milliseconds: {@code 2026-11-24T21:30:01.123Z}. */
    String iso(Instant t) {
        long ms = t.toEpochMilli();
        if (ms != isoMillis) {
            isoMillis = ms;
            iso = Instant.ofEpochMilli(ms).toString();
            if (ms % 1000 == 0) {
                iso = iso.substring(0, iso.length() - 1) + ".000Z";
            }
        }
        return iso;
    }

    /** Local wall-clock time of day: {@code 21:30:01.123}. */
    String local(Instant t) {
        long ms = t.toEpochMilli();
        if (ms != localMillis) {
            localMillis = ms;
            local = LOCAL.format(LocalTime.ofInstant(Instant.ofEpochMilli(ms), zone));
        }
        return local;
    }
}
