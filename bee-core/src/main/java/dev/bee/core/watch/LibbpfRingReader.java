package dev.bee.core.watch;

import dev.bee.core.libbpf.MapHandle;
import dev.bee.core.libbpf.RingBufferHandle;
import dev.bee.core.sink.MapRecord;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The fallback ring buffer reader: one libbpf ring buffer manager over every shown ring buffer, which
 * calls back into Java once per event with a copy of it. It cannot see the ring's positions, so it
 * counts no "ring full".
 */
final class LibbpfRingReader implements RingBufferReader {
    private final List<Target> targets;
    private final Emitter emitter;
    private final RingBufferHandle handle;

    LibbpfRingReader(List<MapHandle> maps, List<Target> targets, Emitter emitter) {
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
        emitter.emit(t.stats(), MapRecord.event(t.map(), Instant.now(), fields));
    }

    @Override
    public int poll(int timeoutMs) {
        return handle.poll(timeoutMs);
    }

    @Override
    public int drain() {
        return handle.consume();
    }

    @Override
    public void close() {
        handle.close();
    }
}
