package dev.bee.core.sink;

import java.time.Instant;
import java.util.Map;

/**
 * One decoded record from a map: an event read from a ring buffer or perf event array, a changed entry
 * of a hash/array map, an entry that left its map, or the text an iterator program printed.
 * {@code key} holds the entry's key fields (empty for events); {@code value} the event's fields or the
 * entry's value fields (a scalar value is the single field {@code value}; a removed entry has none;
 * iterator text is the single field {@code output}). Field names are flattened and dotted
 * ({@code sk.daddr}). For iterator text, {@code map} is the program's name.
 */
public record MapRecord(String map, Kind kind, Instant time, Map<String, Object> key, Map<String, Object> value) {
    public enum Kind {
        /** An event from a ring buffer or perf event array. */
        EVENT,
        /** A new or changed entry of a hash or array map. */
        ENTRY,
        /** An entry that was in a hash map at the last poll and is gone now (key only). */
        REMOVED,
        /** The text output of an iterator program. */
        ITER
    }

    /** The record of one event of a ring buffer or perf event array, as decoded. */
    public static MapRecord event(String map, Instant time, Map<String, Object> fields) {
        return new MapRecord(map, Kind.EVENT, time, Map.of(), fields);
    }

    /** The record for an entry of {@code map} that disappeared. */
    public static MapRecord removed(String map, Instant time, Map<String, Object> key) {
        return new MapRecord(map, Kind.REMOVED, time, key, Map.of());
    }

    /** The record for what iterator program {@code program} printed. */
    public static MapRecord iterator(String program, Instant time, String text) {
        return new MapRecord(program, Kind.ITER, time, Map.of(), Map.of("output", text));
    }

    /** A field by name, looked up in the key first, then the value; null if absent. */
    public Object field(String name) {
        Object v = key.get(name);
        return v != null ? v : value.get(name);
    }

    /** Whether the value is one unnamed scalar (a counter), shown as {@code value}. */
    public boolean scalarValue() {
        return kind == Kind.ENTRY && value.size() == 1 && value.containsKey("value");
    }
}
