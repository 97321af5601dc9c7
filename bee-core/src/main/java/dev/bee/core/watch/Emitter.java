package dev.bee.core.watch;

import dev.bee.core.sink.MapRecord;
import dev.bee.core.sink.RecordFilter;
import dev.bee.core.sink.RecordSink;
import dev.bee.core.sink.RecordStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of every reader: filter, --max-events, the sink (a fan-out to every output), counts, and the
 * one way a sample that does not decode is handled. Watcher thread only.
 */
final class Emitter {
    private static final Logger LOG = LoggerFactory.getLogger(Emitter.class);

    private final RecordSink sink;
    private final RecordFilter filter;
    private final RecordStage stage;
    private final long maxRecords;
    private long shown;
    private boolean dirty;

    Emitter(RecordSink sink, RecordFilter filter, long maxRecords) {
        this(sink, RecordStage.NONE, filter, maxRecords);
    }

    /** With {@code stage} (enrichment) applied first: what it drops counts as filtered. */
    Emitter(RecordSink sink, RecordStage stage, RecordFilter filter, long maxRecords) {
        this.sink = sink;
        this.stage = stage;
        this.filter = filter;
        this.maxRecords = maxRecords;
    }

    void emit(MapStats stats, MapRecord record) {
        stats.records++;
        MapRecord r = stage == RecordStage.NONE ? record : stage.apply(record);
        if (r == null || !filter.isEmpty() && !filter.accepts(r)) {
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

    /**
     * An entry left its map: every sink hears of it (metrics drop the series, the screen the row), and it
     * counts as no record.
     */
    void removed(MapRecord record) {
        MapRecord r = stage == RecordStage.NONE ? record : stage.apply(record);
        if (r == null) {
            return;
        }
        dirty = true;
        sink.write(r);
    }

    /**
     * A sample or entry of {@code bytes} bytes that does not match its declared type: counted as
     * malformed and reported once per map, never dropped silently.
     */
    void malformed(MapStats stats, String what, int bytes, RuntimeException e) {
        if (stats.malformed++ == 0) {
            LOG.warn("{}: {} of {} bytes does not match its declared type ({}); counted as malformed", stats.map(),
                    what, bytes, e.getMessage());
        }
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
