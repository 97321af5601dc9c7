package dev.bee.core.watch;

/**
 * Decides how long the ring reader naps, once it has caught up with a busy stream, before it reads
 * again, so that the stream is read in batches instead of one wake-up per event (interrupt coalescing,
 * as sysdig's and Falco's readers do with their buffers). A ring that woke its reader for every event
 * costs a poll(2), a kernel wake-up on the producer's side and a flush of the output per event; measured
 * in docs/performance.md, this made the CPU per event depend on the producer's speed.
 *
 * <p>The rate is estimated from the last read alone: the events and bytes it found, over the time since
 * the read before it ended. A nap is taken only when at least {@link #MIN_EVENTS} events are expected in
 * it (sparse events are read as soon as they come), lasts at most {@link #MAX_NAP_NANOS} (the latency a
 * busy stream's events may gain), and never lets more than a quarter of any ring fill at that rate.
 */
final class WakeupCoalescing {
    static final long MAX_NAP_NANOS = 1_000_000L;
    static final long MIN_EVENTS = 16;
    /** Below this a nap is not worth its own wake-up. */
    static final long MIN_NAP_NANOS = 50_000L;

    private final long[] capacity;
    private final long[] lastPosition;
    private long lastEnd;

    /** For rings of these sizes in bytes, whose readers start at these byte positions, at time {@code now}. */
    WakeupCoalescing(long[] capacity, long[] position, long now) {
        this.capacity = capacity.clone();
        this.lastPosition = position.clone();
        this.lastEnd = now;
    }

    /**
     * After a read that ended at {@code now} with {@code events} events read and each ring's reader at
     * {@code position}: the nanoseconds to nap before the next read, 0 for none.
     */
    long afterRead(long now, int events, long[] position) {
        long elapsed = Math.max(now - lastEnd, 1);
        lastEnd = now;
        long nap = 0;
        // Events expected in the longest nap, at the rate of this read.
        if ((double) events * MAX_NAP_NANOS / elapsed >= MIN_EVENTS) {
            nap = MAX_NAP_NANOS;
            for (int i = 0; i < capacity.length; i++) {
                long bytes = position[i] - lastPosition[i];
                if (bytes > 0) {
                    nap = Math.min(nap, (long) ((double) capacity[i] / 4 * elapsed / bytes));
                }
            }
        }
        System.arraycopy(position, 0, lastPosition, 0, position.length);
        return nap >= MIN_NAP_NANOS ? nap : 0;
    }
}
