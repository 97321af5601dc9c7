package dev.bee.cli.ui;

/**
 * Events per second of one map, from the change of its record count (the watcher's exact total) over
 * windows of at least a second, so the figure is steady however often the screen redraws.
 */
final class RateMeter {
    private static final long WINDOW_NANOS = 1_000_000_000L;
    private boolean started;
    private long since;
    private long base;
    private long perSecond;

    /** Takes the total at {@code nanos} (System.nanoTime) and returns the latest rate. */
    long update(long nanos, long total) {
        if (!started) {
            started = true;
            since = nanos;
            base = total;
        } else if (nanos - since >= WINDOW_NANOS) {
            perSecond = Math.round((total - base) * 1e9 / (nanos - since));
            since = nanos;
            base = total;
        }
        return perSecond;
    }
}
