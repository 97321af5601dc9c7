package dev.bee.core.watch;

import dev.bee.core.libbpf.MapHandle;
import dev.bee.core.libbpf.PerfBufferHandle;


/**
 * The fallback perf event array reader: libbpf's perf_buffer, which calls back into Java with a copy of
 * each sample (copied on into the {@link EventQueue}) and with each lost-record count. Used when bee's own
 * buffers cannot be made, or on request ({@code -Dbee.perfbuf.reader=libbpf}); it is also the reference
 * {@link MappedPerfSource} is checked against.
 */
final class LibbpfPerfSource implements EventSource {
    private final int target;
    private final MapStats stats;
    private final PerfBufferHandle handle;
    private EventQueue queue;
    private long now;
    private long bytesRead;
    private int samples;

    LibbpfPerfSource(MapHandle map, int pages, int target, MapStats stats) {
        this.target = target;
        this.stats = stats;
        this.handle = PerfBufferHandle.create(map, pages, new PerfBufferHandle.Handler() {
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
        samples++;
        bytesRead += data.length;
        if (!queue.offer(target, now, data)) {
            stats.queueLost++;
        }
    }

    @Override
    public int[] fds() {
        return new int[]{handle.epollFd()};
    }

    @Override
    public int read(EventQueue queue, long deadline) {
        this.queue = queue;
        this.now = EpochNanos.now();
        samples = 0;
        handle.consume();
        queue.publish();
        return samples;
    }

    @Override
    public boolean behind() {
        return false;
    }

    @Override
    public long capacity() {
        return handle.bufferBytes();
    }

    @Override
    public long bytesRead() {
        return bytesRead;
    }

    @Override
    public void close() {
        handle.close();
    }
}
