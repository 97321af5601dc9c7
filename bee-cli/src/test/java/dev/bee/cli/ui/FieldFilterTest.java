package dev.bee.cli.ui;

import dev.bee.core.decode.DurationValue;
import dev.bee.core.sink.MapRecord;
import dev.bee.core.sink.RecordFilter;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FieldFilterTest {
    @Test
    void bothFormsParse() {
        FieldFilter a = FieldFilter.parse("comm ^ca");
        assertEquals("comm", a.field());
        assertEquals("^ca", a.regex().pattern());
        FieldFilter b = FieldFilter.parse("  filename=/tmp/a b=c  ");
        assertEquals("filename", b.field());
        assertEquals("/tmp/a b=c", b.regex().pattern(), "after '=' the rest is the regex, spaces and all");
        FieldFilter c = FieldFilter.parse("comm   x=y");
        assertEquals("comm", c.field());
        assertEquals("x=y", c.regex().pattern(), "a space before any '=' separates");
        assertEquals("comm~^ca", a.toString());
    }

    @Test
    void anEmptyLineClears() {
        assertNull(FieldFilter.parse(""));
        assertNull(FieldFilter.parse("   "));
    }

    @Test
    void mistakesSayWhat() {
        assertEquals("expected FIELD REGEX or FIELD=REGEX",
                assertThrows(IllegalArgumentException.class, () -> FieldFilter.parse("comm")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> FieldFilter.parse("=cat"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FieldFilter.parse("comm="))
                .getMessage().startsWith("no REGEX after comm"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FieldFilter.parse("comm ("))
                .getMessage().startsWith("bad regular expression"));
    }

    /** The screen's filter decides exactly as --filter MAP,FIELD,REGEX does, record by record. */
    @Test
    void sameDecisionsAsTheCommandLineFilter() {
        List<MapRecord> records = List.of(
                Records.event("m", "comm", "cat", "pid", 42L, "lat", new DurationValue(1_500_000)),
                Records.event("m", "comm", "", "pid", 7L, "lat", new DurationValue(12)),
                Records.event("m", "comm", "bash\nx", "pid", 420L),
                Records.entry("m", Map.of("pid", 42L), "value", 3L));
        List<String> specs = List.of("comm cat", "comm=^-$", "comm h x", "pid 42", "pid=^7$", "lat ms$", "lat=ns",
                "value 3", "missing .*");
        for (String spec : specs) {
            FieldFilter f = FieldFilter.parse(spec);
            RecordFilter cli = RecordFilter.parse(List.of("m," + f.field() + "," + f.regex().pattern()));
            for (MapRecord r : records) {
                assertEquals(cli.accepts(r), f.accepts(r), spec + " on " + r);
            }
        }
        assertTrue(FieldFilter.parse("pid 42").accepts(records.get(3)), "key fields count");
        assertFalse(FieldFilter.parse("missing .*").accepts(records.get(0)), "a missing field never matches");
    }
}
