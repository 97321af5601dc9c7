package dev.bee.core.watch;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The per-CPU drop counter of a ring buffer: its map's name and the CPUs' counts summed. */
class RingLossCounterTest {

    @Test
    void theCounterIsNamedAfterItsRingWithoutAConventionPrefix() {
        assertEquals("bee_lost_print_events", RingLossCounter.mapName("print_events"));
    }

    @Test
    void theCpusCountsAddUpInNativeOrder() {
        ByteBuffer b = ByteBuffer.allocate(8 * 4).order(ByteOrder.nativeOrder());
        b.putLong(0, 5).putLong(8, 0).putLong(16, 1L << 40).putLong(24, 7);
        assertEquals(5 + (1L << 40) + 7, RingLossCounter.sum(b.array(), 4));
        assertEquals(5, RingLossCounter.sum(b.array(), 1), "only the CPUs asked for");
        assertEquals(0, RingLossCounter.sum(new byte[0], 0));
    }
}
