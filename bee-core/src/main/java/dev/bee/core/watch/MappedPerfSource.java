package dev.bee.core.watch;

import dev.bee.core.libbpf.MapHandle;
import dev.bee.core.libbpf.PerfEventBuffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A perf event array read from its per-CPU buffers' mapped memory, as libbpf's perf_buffer reads them but
 * with no upcall per event: each sample's raw data is copied into the {@link EventQueue}, and each
 * {@code PERF_RECORD_LOST} record (the kernel's count of samples it had no room for) is added to the map's
 * lost count, which is therefore exact.
 *
 * <p>Ordering, as perf's tools/include/linux/ring_buffer.h: the kernel's position ({@code data_head}) is
 * read with acquire semantics, the reader's ({@code data_tail}) written with release semantics once the
 * records before it are copied. Records are 8-byte aligned and may wrap around the end of the data pages
 * (which, unlike a ring buffer's, are mapped once), so their fields are read modulo its size.
 */
final class MappedPerfSource implements EventSource {
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    static final int PERF_RECORD_LOST = 2;
    static final int PERF_RECORD_SAMPLE = 9;
    /** struct perf_event_header: u32 type, u16 misc, u16 size. */
    static final int HEADER = 8;
    static final int BATCH = 64;

    /** Where the kernel's and the reader's positions are in a buffer's first page. */
    private static final int HEAD = PerfEventBuffer.dataHeadOffset();
    private static final int TAIL = PerfEventBuffer.dataTailOffset();

    /** One CPU's buffer: its first page (positions) and data pages; {@code owner} may be null when nothing owns them. */
    record Buffer(PerfEventBuffer owner, ByteBuffer meta, ByteBuffer data) {
    }

    private final List<Buffer> buffers;
    private final int target;
    private final MapStats stats;
    private boolean behind;
    private long bytesRead;

    MappedPerfSource(List<Buffer> buffers, int target, MapStats stats) {
        this.buffers = List.copyOf(buffers);
        this.target = target;
        this.stats = stats;
    }

    /**
     * Opens a buffer of {@code pages} pages on each of {@code cpus} (the online CPUs below the array's
     * size) for a loaded perf event array; fails with nothing left open.
     */
    static MappedPerfSource open(MapHandle map, List<Integer> cpus, int pages, int target, MapStats stats) {
        List<Buffer> out = new ArrayList<>();
        try {
            for (int cpu : cpus) {
                if (cpu >= map.maxEntries()) {
                    break;
                }
                PerfEventBuffer b = PerfEventBuffer.open(map, cpu, pages);
                out.add(new Buffer(b, b.meta(), b.data()));
            }
        } catch (RuntimeException e) {
            out.forEach(b -> b.owner().close());
            throw e;
        }
        return new MappedPerfSource(out, target, stats);
    }

    @Override
    public int[] fds() {
        return buffers.stream().mapToInt(b -> b.owner().fd()).toArray();
    }

    @Override
    public int read(EventQueue queue, long deadline) {
        behind = false;
        int n = 0;
        for (Buffer b : buffers) {
            n += read(b, queue, deadline);
            if (behind) {
                break;
            }
        }
        return n;
    }

    private int read(Buffer b, EventQueue queue, long deadline) {
        ByteBuffer data = b.data();
        long size = data.capacity();
        long tail = b.meta().getLong(TAIL);
        long start = tail;
        int n = 0;
        long now = EpochNanos.now();
        try {
            while (true) {
                long head = (long) LONG.getAcquire(b.meta(), HEAD);
                if (tail >= head) {
                    return n;
                }
                int unpublished = 0;
                while (tail < head) {
                    int at = (int) (tail % size);
                    int type = data.getInt(at);
                    int recordSize = data.getShort(at + 6) & 0xffff;
                    if (recordSize < HEADER || head - tail < recordSize) {
                        // Not a record the kernel writes: what is left cannot be framed. Skip it, counted.
                        stats.malformed++;
                        tail = head;
                        break;
                    }
                    if (type == PERF_RECORD_SAMPLE) {
                        copySample(data, tail, recordSize, queue, now);
                        n++;
                    } else if (type == PERF_RECORD_LOST) {
                        stats.lost += getLong(data, tail + HEADER + 8);
                    }
                    tail += recordSize;
                    if (++unpublished == BATCH) {
                        LONG.setRelease(b.meta(), TAIL, tail);
                        queue.publish();
                        unpublished = 0;
                        now = EpochNanos.now();
                        if (System.nanoTime() - deadline >= 0) {
                            behind = true;
                            return n;
                        }
                    }
                }
                LONG.setRelease(b.meta(), TAIL, tail);
                queue.publish();
            }
        } finally {
            LONG.setRelease(b.meta(), TAIL, tail);
            bytesRead += tail - start;
            queue.publish();
        }
    }

    /** A sample record: header, u32 size, the raw bytes (the program's event, padded to 8 bytes with the size). */
    private void copySample(ByteBuffer data, long record, int recordSize, EventQueue queue, long now) {
        long length = getInt(data, record + HEADER) & 0xffffffffL;
        if (length > recordSize - HEADER - 4) {
            stats.malformed++;
            return;
        }
        int to = queue.reserve(target, now, (int) length);
        if (to < 0) {
            stats.queueLost++;
            return;
        }
        long size = data.capacity();
        int from = (int) ((record + HEADER + 4) % size);
        int first = (int) Math.min(length, size - from);
        queue.buffer().put(to, data, from, first);
        if (first < length) {
            queue.buffer().put(to + first, data, 0, (int) length - first);
        }
    }

    private static int getInt(ByteBuffer data, long position) {
        int at = (int) (position % data.capacity());
        return at + 4 <= data.capacity() ? data.getInt(at) : wrapped(data, position, 4).getInt(0);
    }

    private static long getLong(ByteBuffer data, long position) {
        int at = (int) (position % data.capacity());
        return at + 8 <= data.capacity() ? data.getLong(at) : wrapped(data, position, 8).getLong(0);
    }

    /** {@code bytes} bytes from {@code position} that run over the end of the data pages, joined. */
    private static ByteBuffer wrapped(ByteBuffer data, long position, int bytes) {
        ByteBuffer b = ByteBuffer.allocate(bytes).order(data.order());
        for (int i = 0; i < bytes; i++) {
            b.put(i, data.get((int) ((position + i) % data.capacity())));
        }
        return b;
    }

    @Override
    public boolean behind() {
        return behind;
    }

    @Override
    public long capacity() {
        return buffers.isEmpty() ? Long.MAX_VALUE : buffers.get(0).data().capacity();
    }

    @Override
    public long bytesRead() {
        return bytesRead;
    }

    @Override
    public void close() {
        buffers.forEach(b -> b.owner().close());
    }
}
