package dev.bee.cli.ui;

import dev.bee.core.sink.MapRecord;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EntryTableTest {
    private static List<String> rows(EntryTable t) {
        return t.snapshot().stream().map(r -> r.field("comm") + "=" + r.field("value")).toList();
    }

    @Test
    void aChangedEntryReplacesItsRowInPlace() {
        EntryTable t = new EntryTable();
        t.apply(Records.entry("counter_x", Map.of("comm", "cat"), "value", 1L));
        t.apply(Records.entry("counter_x", Map.of("comm", "ls"), "value", 5L));
        t.apply(Records.entry("counter_x", Map.of("comm", "cat"), "value", 7L));
        assertEquals(List.of("cat=7", "ls=5"), rows(t));
    }

    @Test
    void aRemovedEntryDeletesItsRow() {
        EntryTable t = new EntryTable();
        t.apply(Records.entry("counter_x", Map.of("comm", "cat"), "value", 1L));
        t.apply(Records.entry("counter_x", Map.of("comm", "ls"), "value", 5L));
        t.apply(Records.removed("counter_x", Map.of("comm", "cat")));
        assertEquals(List.of("ls=5"), rows(t));
        t.apply(Records.removed("counter_x", Map.of("comm", "never there")));
        assertEquals(List.of("ls=5"), rows(t));
    }

    @Test
    void keysCompareByTheirFieldsWhateverMapHoldsThem() {
        EntryTable t = new EntryTable();
        t.apply(Records.entry("counter_x", Records.fields("pid", 1L, "comm", "cat"), "value", 1L));
        t.apply(Records.entry("counter_x", Map.of("comm", "cat", "pid", 1L), "value", 2L));
        List<MapRecord> rows = t.snapshot();
        assertEquals(1, rows.size());
        assertEquals(2L, rows.get(0).field("value"));
    }

    @Test
    void newKeysPastTheLimitAreCountedNotKeptWhileKnownOnesStillChange() {
        EntryTable t = new EntryTable(2);
        t.apply(Records.entry("counter_x", Map.of("comm", "cat"), "value", 1L));
        t.apply(Records.entry("counter_x", Map.of("comm", "ls"), "value", 5L));
        t.apply(Records.entry("counter_x", Map.of("comm", "sh"), "value", 9L));
        t.apply(Records.entry("counter_x", Map.of("comm", "cat"), "value", 2L));
        assertEquals(List.of("cat=2", "ls=5"), rows(t));
        assertEquals(1, t.dropped());
        t.apply(Records.removed("counter_x", Map.of("comm", "ls")));
        t.apply(Records.entry("counter_x", Map.of("comm", "sh"), "value", 9L));
        assertEquals(List.of("cat=2", "sh=9"), rows(t), "room again after a removal");
    }

    @Test
    void aHugeMapKeepsTheDefaultNumberOfRows() {
        EntryTable t = new EntryTable();
        for (long i = 0; i < EntryTable.MAX_ROWS + 500; i++) {
            t.apply(Records.entry("counter_x", Map.of("id", i), "value", 1L));
        }
        assertEquals(EntryTable.MAX_ROWS, t.snapshot().size());
        assertEquals(500, t.dropped());
    }
}
