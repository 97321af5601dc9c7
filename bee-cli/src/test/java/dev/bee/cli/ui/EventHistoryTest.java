package dev.bee.cli.ui;

import dev.bee.core.sink.MapRecord;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EventHistoryTest {
    private static List<Object> seqs(List<MapRecord> records) {
        return records.stream().map(r -> r.field("seq")).toList();
    }

    @Test
    void keepsEverythingBelowCapacityInArrivalOrder() {
        EventHistory h = new EventHistory(5);
        IntStream.range(0, 3).forEach(i -> h.add(Records.event("m", "seq", (long) i)));
        assertEquals(List.of(0L, 1L, 2L), seqs(h.snapshot()));
    }

    @Test
    void keepsOnlyTheNewestOncePastCapacity() {
        EventHistory h = new EventHistory(1000);
        for (long i = 0; i < 100_000; i++) {
            h.add(Records.event("m", "seq", i));
        }
        List<MapRecord> kept = h.snapshot();
        assertEquals(1000, kept.size());
        assertEquals(99_000L, kept.get(0).field("seq"));
        assertEquals(99_999L, kept.get(999).field("seq"));
    }

    @Test
    void snapshotIsACopy() {
        EventHistory h = new EventHistory(2);
        h.add(Records.event("m", "seq", 1L));
        List<MapRecord> before = h.snapshot();
        h.add(Records.event("m", "seq", 2L));
        h.add(Records.event("m", "seq", 3L));
        assertEquals(List.of(1L), seqs(before));
        assertEquals(List.of(2L, 3L), seqs(h.snapshot()));
    }

    @Test
    void refusesAnEmptyRing() {
        assertThrows(IllegalArgumentException.class, () -> new EventHistory(0));
    }
}
