package dev.bee.cli.ui;

import dev.bee.core.sink.MapRecord;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The entries of a polled map as the screen knows them: the latest record per key (a changed entry
 * replaces its row, a removed one deletes it), in the order keys first appeared. At most
 * {@link #MAX_ROWS} rows: a map can hold millions of entries, which no screen shows and no heap holds
 * decoded; a new key past that is counted, not kept. Not thread-safe ({@link Feed} guards it).
 */
final class EntryTable {
    static final int MAX_ROWS = 10_000;

    private final int maxRows;
    private final Map<Map<String, Object>, MapRecord> rows = new LinkedHashMap<>();
    private long dropped;

    EntryTable() {
        this(MAX_ROWS);
    }

    EntryTable(int maxRows) {
        this.maxRows = maxRows;
    }

    /** An ENTRY record updates or adds its row; a REMOVED record deletes it. */
    void apply(MapRecord r) {
        if (r.kind() == MapRecord.Kind.REMOVED) {
            rows.remove(r.key());
        } else if (rows.size() < maxRows || rows.containsKey(r.key())) {
            rows.put(r.key(), r);
        } else {
            dropped++;
        }
    }

    /** Records of new keys not kept because the table was full. */
    long dropped() {
        return dropped;
    }

    List<MapRecord> snapshot() {
        return List.copyOf(rows.values());
    }
}
