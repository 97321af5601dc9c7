package dev.bee.core.watch;

import dev.bee.core.object.OutputKind;
import dev.bee.core.sink.MapRecord;
import dev.bee.core.sink.RecordFilter;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one end of every reader: counts, --filter, --max-events, removals, malformed samples, flushes. */
class EmitterTest {
    private final Records sink = new Records();
    private final MapStats stats = new MapStats("print_events", OutputKind.PRINT, "ring buffer", false);

    private static MapRecord event(String comm) {
        return new MapRecord("print_events", MapRecord.Kind.EVENT, Instant.EPOCH, Map.of(), Map.of("comm", comm));
    }

    @Test
    void everyRecordIsCountedAndShownWithoutFilterOrLimit() {
        Emitter e = new Emitter(sink, RecordFilter.none(), 0);
        for (int i = 0; i < 5; i++) {
            e.emit(stats, event("cat"));
        }
        assertEquals(5, sink.written.size());
        assertEquals(5, stats.records());
        assertEquals(5, stats.shown());
        assertEquals(0, stats.filtered());
        assertFalse(e.full(), "no limit is never full");
    }

    @Test
    void filteredRecordsAreCountedButNotShown() {
        Emitter e = new Emitter(sink, RecordFilter.parse(List.of("print_events,comm,^cat$")), 0);
        e.emit(stats, event("cat"));
        e.emit(stats, event("bash"));
        e.emit(stats, event("concat"));
        assertEquals(List.of("cat"), sink.written.stream().map(r -> r.field("comm")).toList());
        assertEquals(3, stats.records());
        assertEquals(1, stats.shown());
        assertEquals(2, stats.filtered());
    }

    @Test
    void theStageComesFirstAddsFieldsAndWhatItDropsIsFiltered() {
        // a stage that adds a field, drops "bash", and whose field --filter and --max-events then see
        dev.bee.core.sink.RecordStage stage = r -> "bash".equals(r.field("comm")) ? null
                : new MapRecord(r.map(), r.kind(), r.time(), r.key(), Map.of("comm", r.field("comm"), "container.name", "web"));
        Emitter e = new Emitter(sink, stage, RecordFilter.parse(List.of("print_events,container.name,^web$")), 1);
        e.emit(stats, event("bash"));
        e.emit(stats, event("cat"));
        e.emit(stats, event("sh"));
        assertEquals(List.of("web"), sink.written.stream().map(r -> r.field("container.name")).toList());
        assertEquals(3, stats.records());
        assertEquals(1, stats.shown());
        assertEquals(1, stats.filtered());
        e.removed(MapRecord.removed("print_events", Instant.EPOCH, Map.of("comm", "bash")));
        assertEquals(1, sink.written.size(), "a removal the stage drops reaches no sink");
    }

    @Test
    void maxEventsStopsShowingAndSaysFullAcrossMaps() {
        Emitter e = new Emitter(sink, RecordFilter.none(), 2);
        MapStats other = new MapStats("print_other", OutputKind.PRINT, "perf buffer", true);
        e.emit(stats, event("a"));
        assertFalse(e.full());
        e.emit(other, event("b"));
        assertTrue(e.full());
        e.emit(stats, event("c"));
        assertEquals(2, sink.written.size());
        assertEquals(2, stats.records(), "read, so counted");
        assertEquals(1, stats.shown());
        assertEquals(1, other.shown());
    }

    @Test
    void filteredRecordsDoNotUseUpMaxEvents() {
        Emitter e = new Emitter(sink, RecordFilter.parse(List.of("print_events,comm,^cat$")), 1);
        e.emit(stats, event("bash"));
        assertFalse(e.full());
        e.emit(stats, event("cat"));
        assertTrue(e.full());
    }

    @Test
    void removalsReachTheSinkButAreNoRecords() {
        Emitter e = new Emitter(sink, RecordFilter.none(), 1);
        MapRecord gone = MapRecord.removed("counter_opens", Instant.EPOCH, Map.of("pid", 1L));
        e.removed(gone);
        e.removed(gone);
        assertEquals(List.of(gone, gone), sink.written);
        assertEquals(0, stats.records());
        assertFalse(e.full(), "removals do not count against --max-events");
    }

    @Test
    void malformedSamplesAreCountedAndNeverWritten() {
        Emitter e = new Emitter(sink, RecordFilter.none(), 0);
        e.malformed(stats, "an event", 3, new IllegalStateException("short"));
        e.malformed(stats, "an event", 3, new IllegalStateException("short"));
        assertEquals(2, stats.malformed());
        assertEquals(0, stats.records());
        assertTrue(sink.written.isEmpty());
    }

    @Test
    void flushReachesTheSinkOnlyAfterSomethingWasWritten() {
        Emitter e = new Emitter(sink, RecordFilter.parse(List.of("print_events,comm,^cat$")), 0);
        e.flush();
        assertEquals(0, sink.flushes, "nothing written");
        e.emit(stats, event("bash"));
        e.flush();
        assertEquals(0, sink.flushes, "only a filtered record");
        e.emit(stats, event("cat"));
        e.flush();
        e.flush();
        assertEquals(1, sink.flushes, "once per batch written");
        e.removed(MapRecord.removed("print_events", Instant.EPOCH, Map.of()));
        e.flush();
        assertEquals(2, sink.flushes);
    }
}
