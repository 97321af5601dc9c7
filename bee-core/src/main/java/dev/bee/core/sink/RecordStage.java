package dev.bee.core.sink;

/**
 * A step between the decoder and the filters and sinks, on the watcher thread: it may return the record
 * with fields added (container identity) or null to drop it (counted as filtered). It must not block.
 */
public interface RecordStage {
    /** No stage: the records as decoded. */
    RecordStage NONE = r -> r;

    MapRecord apply(MapRecord record);
}
