package dev.bee.core.watch;

import dev.bee.core.decode.EventDecoder;
import dev.bee.core.libbpf.MapHandle;
import dev.bee.core.libbpf.PerfBufferHandle;
import dev.bee.core.sink.MapRecord;

import java.time.Instant;
import java.util.Map;

/**
 * Reads a perf event array whose value type is declared: per-CPU buffers through libbpf's perf
 * buffer; lost-record notifications from the kernel are added to the map's lost count. Perf samples
 * are padded to 8 bytes, so a sample may be a little longer than the type.
 */
final class PerfBufferReader implements AutoCloseable {
    private static final int PAGES_PER_CPU = 64;

    private final String map;
    private final EventDecoder decoder;
    private final MapStats stats;
    private final Emitter emitter;
    private final PerfBufferHandle handle;

    PerfBufferReader(MapHandle handle, EventDecoder decoder, MapStats stats, Emitter emitter) {
        this.map = handle.name();
        this.decoder = decoder;
        this.stats = stats;
        this.emitter = emitter;
        this.handle = PerfBufferHandle.create(handle, PAGES_PER_CPU, new PerfBufferHandle.Handler() {
            @Override
            public void sample(int cpu, byte[] data) {
                onSample(data);
            }

            @Override
            public void lost(int cpu, long count) {
                stats.lost += count;
            }
        });
    }

    private void onSample(byte[] data) {
        Map<String, Object> fields;
        try {
            fields = decoder.decode(data, 0);
        } catch (RuntimeException e) {
            emitter.malformed(stats, "a sample", data.length, e);
            return;
        }
        emitter.emit(stats, MapRecord.event(map, Instant.now(), fields));
    }

    int poll(int timeoutMs) {
        return handle.poll(timeoutMs);
    }

    @Override
    public void close() {
        handle.close();
    }
}
