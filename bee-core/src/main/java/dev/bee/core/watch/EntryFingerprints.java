package dev.bee.core.watch;

import java.util.Arrays;

/**
 * What a {@link MapPoller} remembers of a polled map, in a few flat arrays instead of an object per
 * entry: each key's raw bytes (to name an entry that left the map), a 64-bit fingerprint of its value
 * (to tell whether it changed) and the pass in which the poller last saw it. An open-addressing table
 * with linear probing indexes the keys. It grows on demand up to {@code capacity} entries and never
 * past it: a key beyond that is refused, so the memory stays at about {@link #bytesPerEntry} times the
 * capacity whatever the map holds. Watcher thread only.
 */
final class EntryFingerprints {
    private static final int FIRST_SIZE = 256;

    private final int keySize;
    private final int capacity;
    private byte[] keys;
    private long[] values;
    private int[] passes;
    /** Slots of the key index: entry number + 1, 0 for an empty slot; a power of two, at least twice the entries. */
    private int[] index;
    private int size;

    EntryFingerprints(int keySize, int capacity) {
        this.keySize = keySize;
        this.capacity = Math.max(1, capacity);
        allocate(Math.min(this.capacity, FIRST_SIZE));
    }

    /** What one tracked entry costs at most: the key, the fingerprint, the pass and up to four index slots. */
    static long bytesPerEntry(int keySize) {
        return keySize + 8L + 4L + 16L;
    }

    int size() {
        return size;
    }

    int capacity() {
        return capacity;
    }

    /** The entry number of {@code key}, or -1. */
    int find(byte[] key) {
        int mask = index.length - 1;
        for (int slot = hash(key, 0) & mask; ; slot = (slot + 1) & mask) {
            int e = index[slot] - 1;
            if (e < 0) {
                return -1;
            }
            if (sameKey(e, key)) {
                return e;
            }
        }
    }

    /** Adds {@code key} (not yet present) seen in {@code pass}; returns its entry number, or -1 when full. */
    int add(byte[] key, long value, int pass) {
        if (size == capacity) {
            return -1;
        }
        if (size == keysHeld()) {
            allocate((int) Math.min(capacity, (long) keysHeld() * 2));
        }
        int e = size++;
        System.arraycopy(key, 0, keys, e * keySize, keySize);
        values[e] = value;
        passes[e] = pass;
        place(e);
        return e;
    }

    long value(int e) {
        return values[e];
    }

    void value(int e, long value) {
        values[e] = value;
    }

    int pass(int e) {
        return passes[e];
    }

    void pass(int e, int pass) {
        passes[e] = pass;
    }

    /** A copy of the key of entry {@code e}. */
    byte[] key(int e) {
        return Arrays.copyOfRange(keys, e * keySize, (e + 1) * keySize);
    }

    /**
     * Removes entry {@code e}; the last entry takes its number, so a caller walking the entries from the
     * end down may remove the one it stands on.
     */
    void remove(int e) {
        int mask = index.length - 1;
        int slot = slotOf(e);
        // Backward-shift deletion: move later members of the probe run into the hole, so finds need no tombstones.
        int hole = slot;
        for (int s = (hole + 1) & mask; index[s] != 0; s = (s + 1) & mask) {
            int home = hash(keys, (index[s] - 1) * keySize) & mask;
            if (((s - home) & mask) >= ((s - hole) & mask)) {
                index[hole] = index[s];
                hole = s;
            }
        }
        index[hole] = 0;
        int last = --size;
        if (e != last) {
            int lastSlot = slotOf(last);
            System.arraycopy(keys, last * keySize, keys, e * keySize, keySize);
            values[e] = values[last];
            passes[e] = passes[last];
            index[lastSlot] = e + 1;
        }
    }

    private int slotOf(int e) {
        int mask = index.length - 1;
        for (int slot = hash(keys, e * keySize) & mask; ; slot = (slot + 1) & mask) {
            if (index[slot] == e + 1) {
                return slot;
            }
        }
    }

    private int keysHeld() {
        return values.length;
    }

    private void allocate(int entries) {
        keys = keys == null ? new byte[entries * keySize] : Arrays.copyOf(keys, entries * keySize);
        values = values == null ? new long[entries] : Arrays.copyOf(values, entries);
        passes = passes == null ? new int[entries] : Arrays.copyOf(passes, entries);
        index = new int[Math.max(2, Integer.highestOneBit(Math.max(1, entries * 2 - 1)) << 1)];
        for (int e = 0; e < size; e++) {
            place(e);
        }
    }

    private void place(int e) {
        int mask = index.length - 1;
        int slot = hash(keys, e * keySize) & mask;
        while (index[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        index[slot] = e + 1;
    }

    private boolean sameKey(int e, byte[] key) {
        return Arrays.equals(keys, e * keySize, (e + 1) * keySize, key, 0, keySize);
    }

    private int hash(byte[] b, int from) {
        return (int) mix(fnv(b, from, keySize));
    }

    /** FNV-1a over {@code length} bytes of {@code b} from {@code from}. */
    static long fnv(byte[] b, int from, int length) {
        long h = 0xcbf29ce484222325L;
        for (int i = from; i < from + length; i++) {
            h = (h ^ (b[i] & 0xff)) * 0x100000001b3L;
        }
        return h;
    }

    /** MurmurHash3's 64-bit finalizer: every input bit reaches every output bit, so low bits index well. */
    static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    /**
     * A value's fingerprint: values of up to 8 bytes are themselves (a change is always seen); longer ones
     * hash to 64 bits, where two values that differ look the same with odds of 2^-64 per poll.
     */
    static long fingerprint(byte[] v) {
        if (v.length <= 8) {
            long f = 0;
            for (byte b : v) {
                f = f << 8 | (b & 0xff);
            }
            return f;
        }
        return mix(fnv(v, 0, v.length));
    }
}
