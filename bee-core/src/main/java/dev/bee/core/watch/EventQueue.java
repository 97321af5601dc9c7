package dev.bee.core.watch;

import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;

/**
 * The bounded queue between taking events out of the kernel's buffers and decoding them: one thread
 * (the {@link EventDrain}) copies each record in and hands the kernel its space back at once, another
 * (the watcher's) decodes and emits behind it, so a burst is absorbed at the speed of a copy rather than of
 * the sinks. Single producer, single consumer, no locks.
 *
 * <p>Entries are 8-byte aligned: a header (the record's length, its {@link EventTarget}'s index, the time
 * it was read in nanoseconds since the epoch) and the record's bytes. An entry never wraps: where one
 * does not fit before the end, a padding mark sends both sides to the start; so does an empty queue
 * ({@link #RESTART_BLOCK}).
 *
 * <p>Publication: the producer writes entries with plain stores and then its position with a volatile
 * one, the consumer reads that position before the entries; likewise the consumer's position, written
 * once it has decoded a batch, frees the space. Whoever waits says so in {@link #waiter}, re-checks, and
 * parks; the producer unparks it after publishing (both sides write, then read, volatile fields, so one of
 * them sees the other).
 */
final class EventQueue {
    static final int HEADER = 16;
    private static final int PAD = -1;
    /**
     * Each time the writer enters another block of this many bytes it looks whether the consumer has
     * taken everything, and if so starts again at the beginning: a stream the decoder keeps up with then
     * stays in the first pages, and the queue's memory is resident only as far as a backlog reached.
     */
    static final int RESTART_BLOCK = 64 << 10;

    /** One entry, as the consumer is handed it: decode {@code length} bytes at {@code offset} of {@code buffer}. */
    interface Entries {
        void entry(ByteBuffer buffer, int target, long epochNanos, int offset, int length);
    }

    private final ByteBuffer buffer;
    private final int capacity;
    /** The producer's write position, and its last look at {@link #tail}. */
    private long head;
    private long knownTail;
    private volatile long published;
    private volatile long tail;
    private volatile Thread waiter;
    private volatile long peak;

    /** Over {@code buffer} (native byte order), whose capacity, rounded down to 8 bytes, is the queue's. */
    EventQueue(ByteBuffer buffer) {
        this.buffer = buffer;
        this.capacity = buffer.capacity() & ~7;
        if (capacity < 64) {
            throw new IllegalArgumentException("an event queue needs at least 64 bytes");
        }
    }

    static int entryBytes(int length) {
        return (HEADER + length + 7) & ~7;
    }

    int capacity() {
        return capacity;
    }

    /**
     * Producer: room for a record of {@code length} bytes read at {@code epochNanos} for target
     * {@code target}; returns where to copy its bytes in {@link #buffer()}, or -1 when the queue is full
     * (the caller counts the record as lost). The entry is read by the consumer once {@link #publish}ed.
     */
    int reserve(int target, long epochNanos, int length) {
        int need = entryBytes(length);
        long h = head;
        int at = (int) (h % capacity);
        if (at >= RESTART_BLOCK && at % RESTART_BLOCK < need && (knownTail = tail) == h) {
            buffer.putInt(at, PAD);
            h += capacity - at;
            at = 0;
        }
        int toEnd = capacity - at;
        long total = toEnd < need ? toEnd + (long) need : need;
        if (capacity - (h - knownTail) < total) {
            knownTail = tail;
            if (capacity - (h - knownTail) < total) {
                return -1;
            }
        }
        if (toEnd < need) {
            buffer.putInt(at, PAD);
            h += toEnd;
            at = 0;
        }
        buffer.putInt(at, length);
        buffer.putInt(at + 4, target);
        buffer.putLong(at + 8, epochNanos);
        head = h + need;
        return at + HEADER;
    }

    ByteBuffer buffer() {
        return buffer;
    }

    /** Producer: {@link #reserve} and a copy of {@code bytes}, for readers handed a copy; false when full. */
    boolean offer(int target, long epochNanos, byte[] bytes) {
        int to = reserve(target, epochNanos, bytes.length);
        if (to < 0) {
            return false;
        }
        buffer.put(to, bytes);
        return true;
    }

    /** Producer: makes what was reserved visible to the consumer and wakes it if it waits. */
    void publish() {
        long h = head;
        if (h == published) {
            return;
        }
        long used = h - tail;
        if (used > peak) {
            peak = used;
        }
        published = h;
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    /**
     * Consumer: hands up to {@code max} published entries to {@code entries} in order, then frees their
     * space; returns how many. An exception from {@code entries} frees the entries up to and including
     * the one that threw (it is not handed over again).
     */
    int take(Entries entries, int max) {
        long t = tail;
        long h = published;
        int n = 0;
        try {
            while (t < h && n < max) {
                int at = (int) (t % capacity);
                int length = buffer.getInt(at);
                if (length == PAD) {
                    t += capacity - at;
                    continue;
                }
                long next = t + entryBytes(length);
                try {
                    entries.entry(buffer, buffer.getInt(at + 4), buffer.getLong(at + 8), at + HEADER, length);
                } finally {
                    t = next;
                }
                n++;
            }
        } finally {
            tail = t;
        }
        return n;
    }

    /** Consumer: whether entries are waiting. */
    boolean hasEntries() {
        return published != tail;
    }

    /** Consumer: waits up to {@code nanos} for entries; returns whether there are some. */
    boolean await(long nanos) {
        if (hasEntries()) {
            return true;
        }
        waiter = Thread.currentThread();
        try {
            if (hasEntries()) {
                return true;
            }
            LockSupport.parkNanos(this, nanos);
        } finally {
            waiter = null;
        }
        return hasEntries();
    }

    /** Bytes in use now (approximate while both sides run). */
    long used() {
        return Math.max(0, published - tail);
    }

    /** The most bytes the queue has held at once. */
    long peak() {
        return peak;
    }
}
