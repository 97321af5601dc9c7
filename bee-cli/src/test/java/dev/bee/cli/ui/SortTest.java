package dev.bee.cli.ui;

import dev.bee.core.decode.DurationValue;
import dev.bee.core.sink.MapRecord;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class SortTest {
    private static List<Object> sorted(Sort s, String field, List<MapRecord> rows) {
        List<MapRecord> copy = new ArrayList<>(rows);
        copy.sort(s.comparator());
        return copy.stream().map(r -> r.field(field)).toList();
    }

    @Test
    void numbersSortAsNumbersNotText() {
        List<MapRecord> rows = List.of(Records.entry("m", Map.of("k", "a"), "value", 9L),
                Records.entry("m", Map.of("k", "b"), "value", 10L),
                Records.entry("m", Map.of("k", "c"), "value", new BigInteger("18446744073709551615")),
                Records.entry("m", Map.of("k", "d"), "value", 2.5));
        assertEquals(List.of(2.5, 9L, 10L, new BigInteger("18446744073709551615")),
                sorted(new Sort("value", false), "value", rows));
        assertEquals(List.of(new BigInteger("18446744073709551615"), 10L, 9L, 2.5),
                sorted(new Sort("value", true), "value", rows));
    }

    @Test
    void durationsByLengthTextByText() {
        List<MapRecord> rows = List.of(Records.entry("m", Map.of("k", "b"), "lat", new DurationValue(2_000_000)),
                Records.entry("m", Map.of("k", "a"), "lat", new DurationValue(999)));
        assertEquals(List.of(new DurationValue(999), new DurationValue(2_000_000)),
                sorted(new Sort("lat", false), "lat", rows));
        assertEquals(List.of("a", "b"), sorted(new Sort("k", false), "k", rows));
    }

    @Test
    void rowsWithoutTheColumnGoLastEitherWay() {
        List<MapRecord> rows = List.of(Records.entry("m", Map.of("k", "none")),
                Records.entry("m", Map.of("k", "one"), "value", 1L),
                Records.entry("m", Map.of("k", "two"), "value", 2L));
        assertEquals(List.of("one", "two", "none"), sorted(new Sort("value", false), "k", rows));
        assertEquals(List.of("two", "one", "none"), sorted(new Sort("value", true), "k", rows));
    }

    @Test
    void sKeyCyclesColumnsAndShiftSReverses() {
        List<String> cols = List.of("comm", "pid", "value");
        Sort s = Sort.next(null, cols);
        assertEquals(new Sort("comm", false), s);
        s = Sort.next(s, cols);
        assertEquals(new Sort("pid", false), s);
        s = Sort.reversed(s, cols);
        assertEquals(new Sort("pid", true), s);
        assertEquals("pid desc", s.toString());
        s = Sort.next(Sort.next(s, cols), cols);
        assertEquals(new Sort("comm", false), s, "wraps to the first column, ascending");
        assertEquals(new Sort("comm", true), Sort.reversed(null, cols));
        assertEquals(new Sort("comm", false), Sort.next(new Sort("gone", true), cols), "a vanished column restarts");
        assertNull(Sort.reversed(null, List.of()));
    }
}
