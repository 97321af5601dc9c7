package dev.bee.core.watch;

import dev.bee.core.libbpf.MapHandle;
import dev.bee.core.libbpf.RingBufferMapping;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One ring buffer read from its mapped memory, as libbpf's ringbuf.c and cilium/ebpf's reader do, with no
 * upcall per event: each committed record is copied into the {@link EventQueue} and its space handed back.
 *
 * <p>Ordering: the producer position is read with acquire semantics (the records before it are then
 * visible), each record's header likewise (the kernel clears the busy bit with a release store when it
 * commits), and the consumer position is written with release semantics after the records are copied, so
 * the kernel never reuses bytes still being read. It is published every {@link #BATCH} records and at the
 * end of what is there: one store per batch, while a long backlog still frees space as it goes.
 *
 * <p>Wake-ups: the kernel wakes a reader asleep in poll(2) on the map's fd when it commits the first
 * record after the reader caught up, and poll reports a ring that holds data; so after publishing its
 * position the reader looks at the producer position again before it returns.
 *
 * <p>Loss: before each batch the reader compares the positions; a ring with no room for one more event
 * of the declared size is full (the program's reserve fails then), counted once per time it is found so.
 */
final class MappedRingSource implements EventSource {
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    /** Record header: u32 length with the busy and discard bits on top, u32 page offset. */
    static final int HEADER = 8;
    static final int BUSY = 1 << 31;
    static final int DISCARD = 1 << 30;
    static final int BATCH = 64;

    private final RingBufferMapping mapping;
    private final int target;
    private final MapStats stats;
    private final ByteBuffer consumer;
    private final ByteBuffer data;
    private final int dataOffset;
    private final long mask;
    /** Bytes one more event of the declared type takes; less free space than this is a full ring. */
    private final long eventRoom;
    private final long start;
    private boolean full;
    private boolean behind;
    /** The consumer position this reader last published. */
    private long position;

    /**
     * A ring over {@code consumer} (the consumer position at 0) and {@code data} (the producer position at
     * 0, the {@code size} bytes of data from {@code dataOffset}, mapped twice); {@code mapping}, which owns
     * that memory, may be null when nothing does. Its records go to target {@code target}.
     */
    MappedRingSource(RingBufferMapping mapping, ByteBuffer consumer, ByteBuffer data, int dataOffset, int size,
                     int target, EventTarget t) {
        this.mapping = mapping;
        this.target = target;
        this.stats = t.stats();
        this.consumer = consumer;
        this.data = data;
        this.dataOffset = dataOffset;
        this.mask = size - 1L;
        this.eventRoom = roundUp(Math.max(t.decoder().size(), 1) + HEADER);
        this.position = (long) LONG.getAcquire(consumer, 0);
        this.start = position;
        stats.ringWatched = true;
    }

    /** Maps a loaded ring buffer map; fails with a {@link dev.bee.core.libbpf.LibbpfException}. */
    static MappedRingSource open(MapHandle map, int target, EventTarget t) {
        RingBufferMapping m = RingBufferMapping.map(map);
        try {
            return new MappedRingSource(m, m.consumer(), m.producer(), m.dataOffset(), m.size(), target, t);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    @Override
    public int[] fds() {
        return new int[]{mapping.fd()};
    }

    @Override
    public int read(EventQueue queue, long deadline) {
        behind = false;
        int n = 0;
        long cons = (long) LONG.getAcquire(consumer, 0);
        long now = EpochNanos.now();
        ByteBuffer q = queue.buffer();
        try {
            while (true) {
                long prod = (long) LONG.getAcquire(data, 0);
                noteFull(prod, cons);
                if (cons >= prod) {
                    return n;
                }
                int unpublished = 0;
                while (cons < prod) {
                    int at = dataOffset + (int) (cons & mask);
                    int len = (int) INT.getAcquire(data, at);
                    if ((len & BUSY) != 0) {
                        // Reserved but not committed yet: records after it wait for it (the kernel wakes us).
                        return n;
                    }
                    int length = len & ~(BUSY | DISCARD);
                    cons += roundUp(length + HEADER);
                    if ((len & DISCARD) == 0) {
                        int to = queue.reserve(target, now, length);
                        if (to >= 0) {
                            q.put(to, data, at + HEADER, length);
                        } else {
                            stats.queueLost++;
                        }
                        n++;
                    }
                    if (++unpublished == BATCH) {
                        LONG.setRelease(consumer, 0, cons);
                        queue.publish();
                        unpublished = 0;
                        now = EpochNanos.now();
                        if (System.nanoTime() - deadline >= 0) {
                            behind = true;
                            return n;
                        }
                    }
                }
                LONG.setRelease(consumer, 0, cons);
                queue.publish();
            }
        } finally {
            LONG.setRelease(consumer, 0, cons);
            position = cons;
            queue.publish();
        }
    }

    private void noteFull(long prod, long cons) {
        boolean isFull = mask + 1 - (prod - cons) < eventRoom;
        if (isFull && !full) {
            stats.ringFull++;
        }
        full = isFull;
    }

    private static long roundUp(long bytes) {
        return (bytes + 7) & ~7L;
    }

    @Override
    public boolean behind() {
        return behind;
    }

    @Override
    public long capacity() {
        return mask + 1;
    }

    @Override
    public long bytesRead() {
        return position - start;
    }

    @Override
    public void close() {
        if (mapping != null) {
            mapping.close();
        }
    }
}
