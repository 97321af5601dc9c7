package dev.bee.core.watch;

import dev.bee.core.libbpf.MapHandle;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A ring buffer's drop counter, written by its program through bee_types.h's {@code bee_ringbuf_reserve}:
 * the one-slot per-CPU array {@code bee_lost_<ring buffer>}. Reading it adds the CPUs' counts up into the
 * ring buffer's lost count, which is then exact.
 */
final class RingLossCounter {
    private static final byte[] KEY = new byte[4];
    private final MapHandle counter;
    private final int cpus;
    private final MapStats stats;

    /** The counter's name for a ring buffer map: no convention prefix, so it is never shown itself. */
    static String mapName(String ring) {
        return "bee_lost_" + ring;
    }

    RingLossCounter(MapHandle counter, int cpus, MapStats stats) {
        this.counter = counter;
        this.cpus = cpus;
        this.stats = stats;
    }

    /** Sets the ring buffer's lost count to the program's count so far. */
    void read() {
        byte[] values = counter.lookup(KEY, KEY.length, 8 * cpus);
        if (values == null) {
            return;
        }
        stats.lost = sum(values, cpus);
    }

    /** The sum of the first {@code cpus} native-order u64 counts in a per-CPU lookup's {@code values}. */
    static long sum(byte[] values, int cpus) {
        ByteBuffer b = ByteBuffer.wrap(values).order(ByteOrder.nativeOrder());
        long sum = 0;
        for (int c = 0; c < cpus; c++) {
            sum += b.getLong(8 * c);
        }
        return sum;
    }
}
