package dev.bee.core.decode;

import com.fasterxml.jackson.annotation.JsonValue;

/** A {@code duration}: nanoseconds, shown to people as {@code 1.5ms} and to scripts as a number. */
public record DurationValue(long nanos) {
    @JsonValue
    public long nanos() {
        return nanos;
    }

    @Override
    public String toString() {
        long abs = Math.abs(nanos);
        if (abs < 1_000) {
            return nanos + "ns";
        } else if (abs < 1_000_000) {
            return trim(nanos / 1e3) + "µs";
        } else if (abs < 1_000_000_000) {
            return trim(nanos / 1e6) + "ms";
        }
        return trim(nanos / 1e9) + "s";
    }

    private static String trim(double v) {
        String s = String.format(java.util.Locale.ROOT, "%.1f", v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
}
