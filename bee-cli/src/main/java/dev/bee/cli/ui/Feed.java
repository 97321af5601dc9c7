package dev.bee.cli.ui;

import dev.bee.core.sink.MapRecord;
import dev.bee.core.sink.RecordSink;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The screen's side of the record stream. The watcher thread calls {@link #write} for every record,
 * possibly 100k times a second, so it only files the record in memory under a short lock (a ring slot
 * or a table row) and never touches the terminal; the screen thread copies a {@link Snapshot} out at
 * its own pace. Counts are not kept here: the screen shows the watcher's own {@code MapStats}.
 */
final class Feed implements RecordSink {
    private final int history;
    private final Object lock = new Object();
    private final Map<String, EventHistory> events = new LinkedHashMap<>();
    private final Map<String, EntryTable> tables = new LinkedHashMap<>();
    private final Map<String, EventHistory> outputs = new LinkedHashMap<>();
    /** A stream's display filter, and the last events it accepted (kept apart, so rare matches stay). */
    private final Map<String, FieldFilter> filters = new HashMap<>();
    private final Map<String, EventHistory> matching = new HashMap<>();

    /** Keeps the last {@code history} events of each stream and output lines of each iterator. */
    Feed(int history) {
        this.history = history;
    }

    @Override
    public void write(MapRecord r) {
        synchronized (lock) {
            switch (r.kind()) {
                case EVENT -> {
                    events.computeIfAbsent(r.map(), m -> new EventHistory(history)).add(r);
                    if (!filters.isEmpty()) {
                        FieldFilter f = filters.get(r.map());
                        if (f != null && f.accepts(r)) {
                            matching.get(r.map()).add(r);
                        }
                    }
                }
                case ENTRY, REMOVED -> tables.computeIfAbsent(r.map(), m -> new EntryTable()).apply(r);
                case ITER -> {
                    EventHistory lines = outputs.computeIfAbsent(r.map(), m -> new EventHistory(history));
                    Object text = r.value().get("output");
                    for (String line : String.valueOf(text).split("\n")) {
                        lines.add(MapRecord.iterator(r.map(), r.time(), line));
                    }
                }
            }
        }
    }

    /**
     * Sets the display filter of stream {@code map} (null clears it): from now on the stream also keeps the
     * last {@code history} events the filter accepts, starting with those kept already, so a filter covers
     * every event it matches, not only those among the last {@code history} of all.
     */
    void filter(String map, FieldFilter f) {
        synchronized (lock) {
            if (filters.get(map) == f) {
                return;
            }
            if (f == null) {
                filters.remove(map);
                matching.remove(map);
                return;
            }
            EventHistory kept = new EventHistory(history);
            EventHistory all = events.get(map);
            if (all != null) {
                for (MapRecord r : all.snapshot()) {
                    if (f.accepts(r)) {
                        kept.add(r);
                    }
                }
            }
            filters.put(map, f);
            matching.put(map, kept);
        }
    }

    /** Nothing to do: the screen redraws on its own clock, not per batch. */
    @Override
    public void flush() {
    }

    Snapshot snapshot() {
        synchronized (lock) {
            Map<String, List<MapRecord>> e = new LinkedHashMap<>();
            events.forEach((k, v) -> e.put(k, matching.containsKey(k) ? matching.get(k).snapshot() : v.snapshot()));
            Map<String, List<MapRecord>> t = new LinkedHashMap<>();
            tables.forEach((k, v) -> t.put(k, v.snapshot()));
            Map<String, List<MapRecord>> o = new LinkedHashMap<>();
            outputs.forEach((k, v) -> o.put(k, v.snapshot()));
            return new Snapshot(e, t, o);
        }
    }
}
