package dev.bee.cli.ui;

import dev.bee.core.sink.MapRecord;

import java.util.ArrayList;
import java.util.List;

/**
 * The last {@code capacity} records of a stream, in arrival order: a fixed ring, so a burst of any size
 * costs no memory and each record O(1). Not thread-safe ({@link Feed} guards it).
 */
final class EventHistory {
    private final MapRecord[] ring;
    private int next;
    private int size;

    EventHistory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        ring = new MapRecord[capacity];
    }

    void add(MapRecord r) {
        ring[next] = r;
        next = (next + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
    }

    /** The kept records, oldest first. */
    List<MapRecord> snapshot() {
        List<MapRecord> out = new ArrayList<>(size);
        int start = (next - size + ring.length) % ring.length;
        for (int i = 0; i < size; i++) {
            out.add(ring[(start + i) % ring.length]);
        }
        return out;
    }
}
