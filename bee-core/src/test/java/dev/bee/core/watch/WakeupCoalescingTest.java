package dev.bee.core.watch;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When the ring reader naps between reads, and for how long. */
class WakeupCoalescingTest {
    private static final long MS = 1_000_000L;
    private static final long US = 1_000L;
    private static final long EVENT = 56; // a 48-byte event and its header
    private static final long BIG = 16L << 20;

    @Test
    void sparseEventsAreReadAsTheyCome() {
        WakeupCoalescing c = new WakeupCoalescing(new long[] {BIG}, new long[] {0}, 0);
        assertEquals(0, c.afterRead(10 * MS, 1, new long[] {EVENT}), "one event in 10 ms");
        assertEquals(0, c.afterRead(11 * MS, 15, new long[] {16 * EVENT}), "15 events in a millisecond: under 16");
    }

    @Test
    void aBusyStreamIsReadInBatchesOfAtMostAMillisecond() {
        WakeupCoalescing c = new WakeupCoalescing(new long[] {BIG}, new long[] {0}, 0);
        assertEquals(WakeupCoalescing.MAX_NAP_NANOS, c.afterRead(100 * US, 100, new long[] {100 * EVENT}));
        // One event every 10 us, woken for each: 100k events a second.
        c = new WakeupCoalescing(new long[] {BIG}, new long[] {0}, 0);
        assertEquals(WakeupCoalescing.MAX_NAP_NANOS, c.afterRead(10 * US, 1, new long[] {EVENT}));
    }

    @Test
    void aNapNeverLetsMoreThanAQuarterOfARingFill() {
        // 64 KiB ring, 5600 bytes in 100 us: a quarter (16 KiB) fills in about 293 us.
        WakeupCoalescing c = new WakeupCoalescing(new long[] {64 << 10}, new long[] {0}, 0);
        long nap = c.afterRead(100 * US, 100, new long[] {100 * EVENT});
        assertEquals((long) (16384.0 * 100 * US / (100 * EVENT)), nap);
        assertTrue(nap < WakeupCoalescing.MAX_NAP_NANOS);
        // A 4 KiB ring at that rate would fill a quarter in 28 us: not worth a nap at all.
        c = new WakeupCoalescing(new long[] {4 << 10}, new long[] {0}, 0);
        assertEquals(0, c.afterRead(100 * US, 100, new long[] {100 * EVENT}));
    }

    @Test
    void theSmallestRingsBoundWhenSeveralAreRead() {
        WakeupCoalescing c = new WakeupCoalescing(new long[] {BIG, 64 << 10}, new long[] {0, 1000}, 0);
        long nap = c.afterRead(100 * US, 200, new long[] {100 * EVENT, 1000 + 100 * EVENT});
        assertEquals((long) (16384.0 * 100 * US / (100 * EVENT)), nap, "the 64 KiB ring bounds it");
        // A ring that had nothing new does not bound it.
        c = new WakeupCoalescing(new long[] {BIG, 64 << 10}, new long[] {0, 1000}, 0);
        assertEquals(WakeupCoalescing.MAX_NAP_NANOS, c.afterRead(100 * US, 100, new long[] {100 * EVENT, 1000}));
    }

    @Test
    void theNapsEndWhenTheStreamDoes() {
        WakeupCoalescing c = new WakeupCoalescing(new long[] {BIG}, new long[] {0}, 0);
        assertEquals(WakeupCoalescing.MAX_NAP_NANOS, c.afterRead(100 * US, 100, new long[] {100 * EVENT}));
        assertEquals(0, c.afterRead(1200 * US, 0, new long[] {100 * EVENT}), "nothing came in the nap");
    }
}
