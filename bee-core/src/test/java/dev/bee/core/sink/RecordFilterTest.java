package dev.bee.core.sink;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.decode.DurationValue;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordFilterTest {
    private static MapRecord event(String map, Map<String, Object> fields) {
        return new MapRecord(map, MapRecord.Kind.EVENT, Instant.EPOCH, Map.of(), fields);
    }

    @Test
    void rulesOfAMapAllMatchOnTheFieldsText() {
        RecordFilter f = RecordFilter.parse(List.of("print_x,comm,^ca", "print_x,lat,ms$"));
        assertTrue(f.accepts(event("print_x", Map.of("comm", "cat", "lat", new DurationValue(2_000_000)))));
        assertFalse(f.accepts(event("print_x", Map.of("comm", "cat", "lat", new DurationValue(2_000)))));
        assertFalse(f.accepts(event("print_x", Map.of("comm", "dog", "lat", new DurationValue(2_000_000)))));
        assertFalse(f.accepts(event("print_x", Map.of("lat", new DurationValue(2_000_000)))), "a missing field fails");
        assertTrue(f.accepts(event("print_y", Map.of("comm", "dog"))), "other maps pass");
    }

    @Test
    void aPatternThatBacktracksExponentiallyMatchesInLinearTime() {
        // (.*a){12}$ on 40 characters held a core for minutes under java.util.regex (issue 19, item 8).
        RecordFilter f = RecordFilter.parse(List.of("print_x,fname,(.*a){12}$"));
        String name = "a".repeat(39) + "b";
        // Generous for a shared machine; a backtracking engine takes minutes on the first name.
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> {
            for (int i = 0; i < 100; i++) {
                assertFalse(f.accepts(event("print_x", Map.of("fname", name))));
            }
            assertTrue(f.accepts(event("print_x", Map.of("fname", "a".repeat(40)))));
        });
    }

    @Test
    void backreferencesAndLookaroundAreRefusedWithTheReason() {
        for (String bad : List.of("(a)\\1", "(?<n>a)\\k<n>", "a(?=b)", "(?<!x)y", "a(?!b)")) {
            BeeException e = assertThrows(BeeException.class, () -> RecordFilter.parse(List.of("m,f," + bad)), bad);
            assertEquals(ErrorKind.USAGE, e.kind());
            assertTrue(e.getMessage().contains("not supported") && e.getMessage().contains("RE2"), e.getMessage());
            assertTrue(e.hint().contains("RE2"), e.hint());
        }
        // An escaped backslash before a digit is a backslash and a digit, which RE2 reads.
        assertTrue(RecordFilter.parse(List.of("m,f,a\\\\1")).accepts(event("m", Map.of("f", "xa\\1"))));
    }

    @Test
    void keyFieldsAreSeenToo() {
        RecordFilter f = RecordFilter.parse(List.of("counter_c,daddr,^10\\."));
        assertTrue(f.accepts(new MapRecord("counter_c", MapRecord.Kind.ENTRY, Instant.EPOCH, Map.of("daddr", "10.0.0.1"),
                Map.of("value", 3L))));
    }

    @Test
    void badRulesAreUsageErrorsAndChecksNameMapsAndFields() {
        for (String bad : List.of("nocommas", "m,,x", ",f,x", "m,f,(")) {
            assertEquals(ErrorKind.USAGE, assertThrows(BeeException.class, () -> RecordFilter.parse(List.of(bad))).kind());
        }
        RecordFilter f = RecordFilter.parse(List.of("print_x,nope,a"));
        BeeException e = assertThrows(BeeException.class, () -> f.check(Map.of("print_x", Set.of("comm"))));
        assertTrue(e.hint().contains("comm"), e.hint());
        BeeException m = assertThrows(BeeException.class, () -> RecordFilter.parse(List.of("print_z,comm,a"))
                .check(Map.of("print_x", Set.of("comm"))));
        assertTrue(m.getMessage().contains("print_z"), m.getMessage());
    }
}
