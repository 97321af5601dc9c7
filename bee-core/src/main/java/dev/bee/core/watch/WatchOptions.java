package dev.bee.core.watch;

import java.time.Duration;

/**
 * How to watch: map poll interval, per-CPU values apart or summed, and when to stop on its own
 * ({@code duration} null and {@code maxRecords} 0: only on a signal).
 */
public record WatchOptions(Duration interval, boolean perCpu, Duration duration, long maxRecords) {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

    public WatchOptions {
        interval = interval == null || interval.isZero() || interval.isNegative() ? DEFAULT_INTERVAL : interval;
    }
}
