package dev.bee.core.sink;

import java.time.Instant;
import java.util.Map;

/**
 * One decoded record from a map: an event read from a ring buffer or perf event array, or a changed
 * entry of a hash/array map. {@code key} holds the entry's key fields (empty for events);
 * {@code value} the event's fields or the entry's value fields (a scalar value is the single field
 * {@code value}). Field names are flattened and dotted ({@code sk.daddr}).
 */
public record MapRecord(String map, Kind kind, Instant time, Map<String, Object> key, Map<String, Object> value) {
    public enum Kind { EVENT, ENTRY }

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
