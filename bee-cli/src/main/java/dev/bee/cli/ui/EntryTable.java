package dev.bee.cli.ui;

import dev.bee.core.sink.MapRecord;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The entries of a polled map as the screen knows them: the latest record per key (a changed entry
 * replaces its row, a removed one deletes it), in the order keys first appeared. Not thread-safe
 * ({@link Feed} guards it).
 */
final class EntryTable {
    private final Map<Map<String, Object>, MapRecord> rows = new LinkedHashMap<>();

    /** An ENTRY record updates or adds its row; a REMOVED record deletes it. */
    void apply(MapRecord r) {
        if (r.kind() == MapRecord.Kind.REMOVED) {
            rows.remove(r.key());
        } else {
            rows.put(r.key(), r);
        }
    }

    List<MapRecord> snapshot() {
        return List.copyOf(rows.values());
    }
}
