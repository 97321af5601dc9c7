package dev.bee.cli.ui;

import dev.bee.core.sink.MapRecord;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the screen draws from, copied out of the {@link Feed} in one go: per map the kept events or the
 * table rows, per iterator program its output lines. Immutable; a paused screen keeps drawing one.
 */
record Snapshot(Map<String, List<MapRecord>> events, Map<String, List<MapRecord>> tables,
                Map<String, List<MapRecord>> outputs) {
    static final Snapshot EMPTY = new Snapshot(Map.of(), Map.of(), Map.of());

    List<MapRecord> records(Panel p) {
        Map<String, List<MapRecord>> m = switch (p.kind()) {
            case EVENTS -> events;
            case TABLE -> tables;
            case OUTPUT -> outputs;
        };
        return m.getOrDefault(p.name(), List.of());
    }

    /** The field names of a panel's records, key fields first, in the order they appear. */
    List<String> fields(Panel p) {
        Set<String> names = new LinkedHashSet<>();
        for (MapRecord r : records(p)) {
            names.addAll(r.key().keySet());
            names.addAll(r.value().keySet());
        }
        return List.copyOf(names);
    }
}
