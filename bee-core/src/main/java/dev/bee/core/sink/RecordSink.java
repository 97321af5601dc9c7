package dev.bee.core.sink;

/** Where records go: text lines, JSON Lines, metrics. Called from one thread; flushed after each batch. */
public interface RecordSink extends AutoCloseable {
    void write(MapRecord record);

    /** Makes what was written visible (called after each batch the watcher reads). */
    void flush();

    @Override
    default void close() {
        flush();
    }
}
