package dev.bee.cli.ui;

import dev.bee.core.sink.MapRecord;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeedTest {
    @Test
    void aFilterCoversEveryMatchingEventNotOnlyThoseAmongTheLastKept() {
        Feed f = new Feed(10);
        f.write(Records.event("print_opens", "comm", "rare"));
        f.filter("print_opens", FieldFilter.parse("comm ^rare$"));
        for (int i = 0; i < 50; i++) {
            f.write(Records.event("print_opens", "comm", "common"));
        }
        f.write(Records.event("print_opens", "comm", "rare"));
        List<MapRecord> shown = f.snapshot().events().get("print_opens");
        assertEquals(2, shown.size(), "both rare events, though 50 others came between: " + shown);
        assertTrue(shown.stream().allMatch(r -> "rare".equals(r.field("comm"))));
        f.filter("print_opens", null);
        assertEquals(10, f.snapshot().events().get("print_opens").size(), "cleared: the last 10 of all again");
    }

    @Test
    void filesEachKindWhereItsPanelLooks() {
        Feed f = new Feed(10);
        f.write(Records.event("print_opens", "comm", "cat"));
        f.write(Records.entry("counter_x", Map.of("k", 1L), "value", 3L));
        f.write(MapRecord.iterator("dump_tasks", Instant.EPOCH, "one\ntwo\n"));
        Snapshot s = f.snapshot();
        Panel events = new Panel("print_opens", Panel.Kind.EVENTS, "print, ring buffer");
        Panel table = new Panel("counter_x", Panel.Kind.TABLE, "counter, polled");
        Panel iter = Panel.iterator("dump_tasks");
        assertEquals(1, s.records(events).size());
        assertEquals(1, s.records(table).size());
        assertEquals(List.of("one", "two"), s.records(iter).stream().map(r -> r.field("output")).toList());
        assertEquals(List.of("output"), s.fields(iter));
        assertEquals(List.of("k", "value"), s.fields(table));
        f.write(Records.removed("counter_x", Map.of("k", 1L)));
        assertEquals(0, f.snapshot().records(table).size());
        assertEquals(1, s.records(table).size(), "a snapshot does not change afterwards");
    }

    @Test
    void aWriterNeverWaitsLongOnTheScreen() throws Exception {
        Feed f = new Feed(Screen.HISTORY);
        AtomicBoolean done = new AtomicBoolean();
        Thread screen = new Thread(() -> {
            while (!done.get()) {
                f.snapshot();
                LockSupport.parkNanos(1_000_000); // ten times the screen's real frame rate
            }
        });
        screen.start();
        long start = System.nanoTime();
        int n = 1_000_000;
        for (long i = 0; i < n; i++) {
            f.write(Records.event("print_x", "seq", i));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        done.set(true);
        screen.join();
        List<MapRecord> kept = f.snapshot().events().get("print_x");
        assertEquals(Screen.HISTORY, kept.size());
        assertEquals((long) n - 1, kept.get(kept.size() - 1).field("seq"));
        // A million records against a screen snapshotting 1000 times a second: far above 100k a second.
        assertTrue(seconds < 10, "1M writes took " + seconds + "s");
    }
}
