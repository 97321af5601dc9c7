package dev.bee.core.watch;

import dev.bee.core.sink.MapRecord;
import dev.bee.core.sink.RecordFilter;
import dev.bee.core.sink.RecordSink;

/** The end of every reader: filter, --max-events, sink, counts. Watcher thread only. */
final class Emitter {
    private final RecordSink sink;
    private final RecordFilter filter;
    private final long maxRecords;
    private long shown;
    private boolean dirty;

    Emitter(RecordSink sink, RecordFilter filter, long maxRecords) {
        this.sink = sink;
        this.filter = filter;
        this.maxRecords = maxRecords;
    }

    void emit(MapStats stats, MapRecord r) {
        stats.records++;
        if (!filter.isEmpty() && !filter.accepts(r)) {
            stats.filtered++;
            return;
        }
        if (maxRecords > 0 && shown >= maxRecords) {
            return;
        }
        shown++;
        stats.shown++;
        dirty = true;
        sink.write(r);
    }

    /** Whether --max-events has been reached. */
    boolean full() {
        return maxRecords > 0 && shown >= maxRecords;
    }

    void flush() {
        if (dirty) {
            dirty = false;
            sink.flush();
        }
    }
}
