package dev.bee.core.watch;

import java.time.Duration;

/**
 * How to watch: map poll interval, per-CPU values apart or summed, when to stop on its own
 * ({@code duration} null and {@code maxRecords} 0: only on a signal), and the bytes of the queue between
 * taking events out of the kernel and decoding them ({@link EventQueue}; its pages are resident only as
 * far as a backlog has filled it).
 */
public record WatchOptions(Duration interval, boolean perCpu, Duration duration, long maxRecords, int queueBytes) {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    /** Chosen by measurement: docs/performance.md, "The event queue". */
    public static final int DEFAULT_QUEUE_BYTES = 64 << 20;
    public static final int MIN_QUEUE_BYTES = 64 << 10;
    public static final int MAX_QUEUE_BYTES = 1 << 30;

    public WatchOptions {
        interval = interval == null || interval.isZero() || interval.isNegative() ? DEFAULT_INTERVAL : interval;
        if (queueBytes < MIN_QUEUE_BYTES || queueBytes > MAX_QUEUE_BYTES) {
            throw new IllegalArgumentException("queue of " + queueBytes + " bytes");
        }
    }

    /** With the default queue. */
    public WatchOptions(Duration interval, boolean perCpu, Duration duration, long maxRecords) {
        this(interval, perCpu, duration, maxRecords, DEFAULT_QUEUE_BYTES);
    }
}
