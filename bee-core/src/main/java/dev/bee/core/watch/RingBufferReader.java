package dev.bee.core.watch;

import dev.bee.core.decode.EventDecoder;
import dev.bee.core.libbpf.MapHandle;
import dev.bee.core.libbpf.RingBufferHandle;
import dev.bee.core.sink.MapRecord;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Reads every shown ring buffer through one libbpf ring buffer manager: each event is copied once,
 * decoded once by its map's declared value type, and emitted. Events whose bytes do not match the
 * type are counted as malformed (and reported once), never silently dropped.
 */
final class RingBufferReader implements AutoCloseable {
    record Target(String map, EventDecoder decoder, MapStats stats) {
    }

    private final List<Target> targets;
    private final Emitter emitter;
    private final RingBufferHandle handle;

    RingBufferReader(List<MapHandle> maps, List<Target> targets, Emitter emitter) {
        this.targets = List.copyOf(targets);
        this.emitter = emitter;
        this.handle = RingBufferHandle.create(maps, this::sample);
    }

    private void sample(int index, byte[] data) {
        Target t = targets.get(index);
        Map<String, Object> fields;
        try {
            fields = t.decoder().decode(data, 0);
        } catch (RuntimeException e) {
            emitter.malformed(t.stats(), "an event", data.length, e);
            return;
        }
        emitter.emit(t.stats(), new MapRecord(t.map(), MapRecord.Kind.EVENT, Instant.now(), Map.of(), fields));
    }

    /** Waits up to {@code timeoutMs} and reads what arrived. */
    int poll(int timeoutMs) {
        return handle.poll(timeoutMs);
    }

    /** Reads what is there without waiting. */
    int drain() {
        return handle.consume();
    }

    @Override
    public void close() {
        handle.close();
    }
}
