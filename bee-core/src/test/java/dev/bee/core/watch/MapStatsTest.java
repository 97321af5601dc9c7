package dev.bee.core.watch;

import dev.bee.core.object.OutputKind;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How a map's losses read: a count where something counts them, else "unknown" with the full-ring times. */
class MapStatsTest {

    @Test
    void aPolledMapThatDidNotKeepUpSaysHow() {
        MapStats s = new MapStats("counter_flows", OutputKind.COUNTER, "polled", true);
        assertEquals(null, s.behindText(), "kept up: nothing to say");
        s.pollsUnfinished = 1;
        assertEquals("1 poll unfinished", s.behindText());
        s.pollsUnfinished = 4;
        s.untracked = 1200;
        assertEquals("4 polls unfinished, 1200 entries untracked", s.behindText());
        s.pollsUnfinished = 0;
        assertEquals("1200 entries untracked", s.behindText());
    }

    @Test
    void countedLossesAreTheNumber() {
        MapStats s = new MapStats("print_events", OutputKind.PRINT, "perf buffer", true);
        assertEquals("0", s.lostText());
        s.lost = 12;
        s.ringFull = 3;
        assertEquals("12", s.lostText(), "a count makes ring-full times irrelevant");
    }

    @Test
    void uncountedLossesAreUnknownWithTheTimesTheRingWasFull() {
        MapStats s = new MapStats("print_events", OutputKind.PRINT, "ring buffer", false);
        s.lost = 99;
        assertEquals("unknown", s.lostText());
        s.ringFull = 1;
        assertEquals("unknown (ring full 1 time)", s.lostText());
        s.ringFull = 3;
        assertEquals("unknown (ring full 3 times)", s.lostText());
    }

    @Test
    void itSaysWhatItDescribes() {
        MapStats s = new MapStats("counter_opens", OutputKind.COUNTER, "polled", true);
        assertEquals("counter_opens", s.map());
        assertEquals(OutputKind.COUNTER, s.output());
        assertEquals("polled", s.source());
        assertEquals(true, s.lossCounted());
    }
}
