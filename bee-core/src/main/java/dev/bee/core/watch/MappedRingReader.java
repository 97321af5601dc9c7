package dev.bee.core.watch;

import dev.bee.core.libbpf.MapHandle;
import dev.bee.core.libbpf.ReadableWait;
import dev.bee.core.libbpf.RingBufferMapping;
import dev.bee.core.sink.MapRecord;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Reads ring buffers from their mapped memory, as libbpf's ringbuf.c and cilium/ebpf's reader do, with
 * no upcall and no copy per event: events are decoded in place.
 *
 * <p>Ordering: the producer position is read with acquire semantics (the records before it are then
 * visible), each record's header likewise (the kernel clears the busy bit with a release store when it
 * commits), and the consumer position is written with release semantics, after the records are read,
 * so the kernel never reuses bytes still being decoded. The consumer position is published once per
 * batch ({@link #BATCH} records, and at the end of what is there), not per record: one store instead of
 * many, while a long backlog still frees space as it goes.
 *
 * <p>Wake-ups: when a ring is empty the reader sleeps in {@code poll(2)} on the maps' fds. The kernel
 * wakes it when it commits a record at the consumer position, i.e. the first record after the reader
 * caught up, and poll itself reports a ring that holds data; so after publishing its position the reader
 * looks at the producer position again before sleeping (records committed meanwhile woke nobody).
 *
 * <p>A busy stream is read in batches: after catching up with one, the reader naps for up to a
 * millisecond before it reads again ({@link WakeupCoalescing}), rather than being woken for every event.
 *
 * <p>Loss: before each batch the reader compares the positions; a ring with no room for one more event
 * of the declared size is full (the program's reserve fails then), counted once per time it is found so.
 */
final class MappedRingReader implements RingBufferReader {
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    /** Record header: u32 length with the busy and discard bits on top, u32 page offset. */
    private static final int HEADER = 8;
    private static final int BUSY = 1 << 31;
    private static final int DISCARD = 1 << 30;
    static final int BATCH = 64;
    /**
     * Longest one read goes on (checked once per batch): a producer faster than the filter and the sinks
     * would otherwise keep it reading for ever, and the watcher could not see a stop request.
     */
    static final long READ_BUDGET_NANOS = 50_000_000L;

    /** One mapped ring and where its reader stands. */
    static final class Ring {
        final RingBufferMapping mapping;
        final Target target;
        final ByteBuffer consumer;
        final ByteBuffer data;
        final int dataOffset;
        final long mask;
        /** Bytes one more event of the declared type takes; less free space than this is a full ring. */
        final long eventRoom;
        boolean full;
        /** Whether the last read stopped at its time budget with records still there. */
        boolean behind;
        /** The consumer position this reader last published. */
        long position;

        Ring(RingBufferMapping mapping, Target target) {
            this(mapping, mapping.consumer(), mapping.producer(), mapping.dataOffset(), mapping.size(), target);
        }

        /**
         * A ring over {@code consumer} (the consumer position at 0) and {@code data} (the producer position
         * at 0, the {@code size} bytes of data from {@code dataOffset}, mapped twice); {@code mapping}, which
         * owns that memory, may be null when nothing does.
         */
        Ring(RingBufferMapping mapping, ByteBuffer consumer, ByteBuffer data, int dataOffset, int size,
             Target target) {
            this.mapping = mapping;
            this.target = target;
            this.consumer = consumer;
            this.data = data;
            this.dataOffset = dataOffset;
            this.mask = size - 1L;
            this.eventRoom = roundUp(Math.max(target.decoder().size(), 1) + HEADER);
            this.position = (long) LONG.getAcquire(consumer, 0);
        }
    }

    private final List<Ring> rings;
    private final ReadableWait wait;
    private final Emitter emitter;
    private final WakeupCoalescing coalescing;
    private final long[] positions;
    /** How long to nap before the next read (a busy stream), in nanoseconds. */
    private long nap;

    private MappedRingReader(List<Ring> rings, Emitter emitter) {
        this.rings = rings;
        this.emitter = emitter;
        this.wait = new ReadableWait(rings.stream().mapToInt(r -> r.mapping.fd()).toArray());
        this.positions = rings.stream().mapToLong(r -> r.position).toArray();
        this.coalescing = new WakeupCoalescing(rings.stream().mapToLong(r -> r.mask + 1).toArray(), positions,
                System.nanoTime());
        for (Ring r : rings) {
            r.target.stats().ringWatched = true;
        }
    }

    /** Maps every ring; fails (with nothing left mapped) when one cannot be. */
    static MappedRingReader open(List<MapHandle> maps, List<Target> targets, Emitter emitter) {
        List<Ring> rings = new ArrayList<>();
        try {
            for (int i = 0; i < maps.size(); i++) {
                rings.add(new Ring(RingBufferMapping.map(maps.get(i)), targets.get(i)));
            }
            return new MappedRingReader(rings, emitter);
        } catch (RuntimeException e) {
            rings.forEach(r -> r.mapping.close());
            throw e;
        }
    }

    @Override
    public int poll(int timeoutMs) {
        if (nap > 0 && timeoutMs > 0) {
            LockSupport.parkNanos(Math.min(nap, timeoutMs * 1_000_000L));
        }
        int n = drain();
        if (n > 0 || timeoutMs <= 0) {
            return n;
        }
        return wait.await(timeoutMs) > 0 ? drain() : 0;
    }

    @Override
    public int drain() {
        int n = 0;
        boolean behind = false;
        long deadline = System.nanoTime() + READ_BUDGET_NANOS;
        for (int i = 0; i < rings.size(); i++) {
            Ring r = rings.get(i);
            n += consume(r, emitter, deadline);
            behind |= r.behind;
            positions[i] = r.position;
        }
        // A read cut short by its budget did not catch up: read on at once, no nap.
        nap = behind ? 0 : coalescing.afterRead(System.nanoTime(), n, positions);
        return n;
    }

    /** Reads every committed record of one ring, as libbpf's ringbuf_process_ring does, into {@code emitter}. */
    static int consume(Ring r, Emitter emitter) {
        return consume(r, emitter, System.nanoTime() + Long.MAX_VALUE / 2);
    }

    /**
     * Reads the committed records of one ring into {@code emitter} until it is caught up, or until
     * {@code deadline} ({@link System#nanoTime}) has passed at the end of a batch; sets {@link Ring#behind}.
     */
    static int consume(Ring r, Emitter emitter, long deadline) {
        r.behind = false;
        int n = 0;
        long cons = (long) LONG.getAcquire(r.consumer, 0);
        try {
            while (true) {
                long prod = (long) LONG.getAcquire(r.data, 0);
                noteFull(r, prod, cons);
                if (cons >= prod) {
                    return n;
                }
                int unpublished = 0;
                while (cons < prod) {
                    int at = r.dataOffset + (int) (cons & r.mask);
                    int len = (int) INT.getAcquire(r.data, at);
                    if ((len & BUSY) != 0) {
                        // Reserved but not committed yet: records after it wait for it (the kernel wakes us).
                        return n;
                    }
                    cons += roundUp((len & ~(BUSY | DISCARD)) + HEADER);
                    if ((len & DISCARD) == 0) {
                        sample(r, emitter, at + HEADER, len & ~(BUSY | DISCARD));
                        n++;
                    }
                    if (++unpublished == BATCH) {
                        LONG.setRelease(r.consumer, 0, cons);
                        unpublished = 0;
                        if (System.nanoTime() - deadline >= 0) {
                            r.behind = true;
                            return n;
                        }
                    }
                }
                LONG.setRelease(r.consumer, 0, cons);
            }
        } finally {
            // Also when a sink throws (the output closed): what was read is not read again.
            LONG.setRelease(r.consumer, 0, cons);
            r.position = cons;
        }
    }

    private static void noteFull(Ring r, long prod, long cons) {
        boolean full = r.mask + 1 - (prod - cons) < r.eventRoom;
        if (full && !r.full) {
            r.target.stats().ringFull++;
        }
        r.full = full;
    }

    private static void sample(Ring r, Emitter emitter, int offset, int length) {
        Target t = r.target;
        Map<String, Object> fields;
        try {
            fields = t.decoder().decode(r.data, offset, length);
        } catch (RuntimeException e) {
            emitter.malformed(t.stats(), "an event", length, e);
            return;
        }
        emitter.emit(t.stats(), MapRecord.event(t.map(), Instant.now(), fields));
    }

    private static long roundUp(long bytes) {
        return (bytes + 7) & ~7L;
    }

    @Override
    public void close() {
        for (Ring r : rings) {
            r.mapping.close();
        }
    }
}
