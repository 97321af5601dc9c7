package dev.bee.core.watch;

import dev.bee.core.libbpf.MapHandle;
import dev.bee.core.libbpf.RingBufferHandle;

import java.util.List;

/**
 * The fallback ring buffer reader: libbpf's ring buffer manager over every shown ring buffer, which calls
 * back into Java with a copy of each event, copied on into the {@link EventQueue}. Used when the rings
 * cannot be mapped, or on request ({@code -Dbee.ringbuf.reader=libbpf}). It cannot see the rings'
 * positions, so it counts no "ring full".
 */
final class LibbpfRingSource implements EventSource {
    private final int[] targets;
    private final List<MapStats> stats;
    private final RingBufferHandle handle;
    private EventQueue queue;
    private long now;
    private long bytesRead;

    /** Reads {@code maps}, whose events go to targets {@code targets}. */
    LibbpfRingSource(List<MapHandle> maps, int[] targets, List<MapStats> stats) {
        this.targets = targets.clone();
        this.stats = List.copyOf(stats);
        this.handle = RingBufferHandle.create(maps, this::sample);
    }

    private void sample(int index, byte[] data) {
        bytesRead += data.length;
        if (!queue.offer(targets[index], now, data)) {
            stats.get(index).queueLost++;
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
        int n = handle.consume();
        queue.publish();
        return n;
    }

    @Override
    public boolean behind() {
        return false;
    }

    @Override
    public long capacity() {
        return Long.MAX_VALUE;
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
