package dev.bee.core.watch;

import java.time.Instant;

/** Wall-clock time as one long, the form an event's read time takes in the {@link EventQueue}. */
final class EpochNanos {
    private EpochNanos() {
    }

    static long now() {
        Instant i = Instant.now();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    static Instant toInstant(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
    }
}
