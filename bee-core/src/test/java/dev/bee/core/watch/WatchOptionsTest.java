package dev.bee.core.watch;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A poll interval that is missing, zero or negative becomes the default second. */
class WatchOptionsTest {

    @Test
    void anUnusableIntervalBecomesTheDefault() {
        assertEquals(Duration.ofSeconds(1), WatchOptions.DEFAULT_INTERVAL);
        for (Duration d : new Duration[]{null, Duration.ZERO, Duration.ofMillis(-5)}) {
            assertEquals(WatchOptions.DEFAULT_INTERVAL, new WatchOptions(d, false, null, 0).interval(), String.valueOf(d));
        }
    }

    @Test
    void aGivenIntervalAndTheRestAreKept() {
        WatchOptions o = new WatchOptions(Duration.ofMillis(250), true, Duration.ofSeconds(10), 7);
        assertEquals(Duration.ofMillis(250), o.interval());
        assertEquals(true, o.perCpu());
        assertEquals(Duration.ofSeconds(10), o.duration());
        assertEquals(7, o.maxRecords());
    }
}
