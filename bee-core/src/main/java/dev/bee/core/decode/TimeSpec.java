package dev.bee.core.decode;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Time flags and {@code --set} on a {@code duration}: plain seconds ({@code 5}, {@code 1.5}) or a number with
 * a unit ({@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}).
 */
public final class TimeSpec {
    private static final Pattern FORMAT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ns|us|µs|ms|s|m|h)?");

    private TimeSpec() {
    }

    public static Duration parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        Matcher m = FORMAT.matcher(t);
        if (!m.matches()) {
            throw new BeeException(ErrorKind.USAGE, "'" + text + "' is not a time",
                    "write seconds (5, 1.5) or a number with a unit: 500ms, 5s, 2m, 1h");
        }
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double nanos = v * switch (unit) {
            case "ns" -> 1;
            case "us", "µs" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "m" -> 60e9;
            case "h" -> 3600e9;
            default -> throw new IllegalStateException(unit);
        };
        if (nanos > Long.MAX_VALUE / 2) {
            throw new BeeException(ErrorKind.USAGE, "'" + text + "' is too long a time");
        }
        return Duration.ofNanos(Math.round(nanos));
    }

    /**
     * {@code d} as a time flag would give it, in the largest unit that keeps it whole: {@code 4s}, {@code 2m},
     * {@code 1500ms}. Exact, so {@link #parse} reads it back to the same duration.
     */
    public static String format(Duration d) {
        long nanos = d.toNanos();
        long[] sizes = {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L};
        String[] units = {"h", "m", "s", "ms", "us"};
        for (int i = 0; i < sizes.length; i++) {
            if (nanos != 0 && nanos % sizes[i] == 0) {
                return nanos / sizes[i] + units[i];
            }
        }
        return nanos == 0 ? "0s" : nanos + "ns";
    }
}
