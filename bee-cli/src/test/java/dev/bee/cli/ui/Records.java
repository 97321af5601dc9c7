package dev.bee.cli.ui;

import dev.bee.core.sink.MapRecord;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Records for the screen's tests: events, entries and removals with fields given as name, value pairs. */
final class Records {
    static final Instant T = Instant.parse("2026-01-01T12:00:00Z");

    private Records() {
    }

    static MapRecord event(String map, Object... fields) {
        return new MapRecord(map, MapRecord.Kind.EVENT, T, Map.of(), fields(fields));
    }

    static MapRecord entry(String map, Map<String, Object> key, Object... value) {
        return new MapRecord(map, MapRecord.Kind.ENTRY, T, key, fields(value));
    }

    static MapRecord removed(String map, Map<String, Object> key) {
        return MapRecord.removed(map, T, key);
    }

    static Map<String, Object> fields(Object... pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], pairs[i + 1]);
        }
        return m;
    }
}
