package dev.bee.core.libbpf;

import dev.bee.core.ErrorKind;
import dev.bee.core.Plural;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * One map of an {@link ObjectHandle}. Before load: sizes and the initial value of data maps can be
 * changed. After load: the map has an fd, entries can be read and the map pinned. Valid as long as the
 * object is open; reads are not thread-safe (the reusable key/value buffers belong to the caller's
 * thread, the watcher's).
 */
public final class MapHandle {
    private final Native n;
    private final ObjectHandle owner;
    private final Pointer map;
    private final String name;
    private Pointer keyBuf;
    private Pointer nextKeyBuf;
    private Pointer valueBuf;
    private Pointer batchKeys;
    private Pointer batchValues;
    private Pointer batchIn;
    private Pointer batchOut;
    private Pointer batchCount;
    /** The fd once loaded, for the reads: a poll of a big map makes two per entry, and each lookup of the fd is a native call. */
    private int loadedFd = -1;

    MapHandle(Native n, ObjectHandle owner, Pointer map) {
        this.n = n;
        this.owner = owner;
        this.map = map;
        this.name = n.bpf.bpf_map__name(map);
    }

    public String name() {
        return name;
    }

    /** The kernel's map type number ({@code enum bpf_map_type}). */
    public int type() {
        owner.pointer();
        return n.bpf.bpf_map__type(map);
    }

    public int keySize() {
        owner.pointer();
        return n.bpf.bpf_map__key_size(map);
    }

    public int valueSize() {
        owner.pointer();
        return n.bpf.bpf_map__value_size(map);
    }

    public int maxEntries() {
        owner.pointer();
        return n.bpf.bpf_map__max_entries(map);
    }

    /** Whether libbpf made this map for a data section (.rodata, .data, .bss, .kconfig). */
    public boolean isInternal() {
        owner.pointer();
        return n.bpf.bpf_map__is_internal(map);
    }

    public void setKeySize(int size) {
        owner.pointer();
        n.check(n.bpf.bpf_map__set_key_size(map, size), "bpf_map__set_key_size", "cannot set the key size of map " + name);
    }

    public void setValueSize(int size) {
        owner.pointer();
        n.check(n.bpf.bpf_map__set_value_size(map, size), "bpf_map__set_value_size",
                "cannot set the value size of map " + name);
    }

    /** Overwrites bytes of a data map's initial value before load (const volatile globals live here). */
    public void writeInitialValue(long offset, byte[] bytes) {
        owner.pointer();
        Pointer size = Memory.allocateDirect(n.runtime, 8, true);
        Pointer p = n.bpf.bpf_map__initial_value(map, size);
        if (p == null || p.address() == 0) {
            throw n.failure("bpf_map__initial_value", Errno.EINVAL, ErrorKind.INTERNAL,
                    "map " + name + " has no initial value", null);
        }
        long total = size.getLong(0);
        if (offset < 0 || offset + bytes.length > total) {
            throw n.failure("bpf_map__initial_value", Errno.E2BIG, ErrorKind.INPUT, "a value of "
                    + Plural.of(bytes.length, "byte") + " at offset " + offset + " does not fit map " + name + " of "
                    + Plural.of(total, "byte"), null);
        }
        p.put(offset, bytes, 0, bytes.length);
    }

    /** The map's fd after load (negative before). */
    public int fd() {
        owner.pointer();
        return n.bpf.bpf_map__fd(map);
    }

    /** Pins the loaded map at {@code path} on a bpf filesystem. */
    public void pin(String path) {
        owner.pointer();
        n.beginCall();
        int rc = n.attach().bpf_map__pin(map, path);
        if (rc < 0) {
            throw n.failure("bpf_map__pin", rc, ErrorKind.USAGE,
                    "cannot pin map " + name + " at " + path,
                    Math.abs(rc) == Errno.EEXIST ? "remove the old pin first: rm " + path
                            : "the folder must be on a bpf filesystem (mount -t bpf bpf /sys/fs/bpf)");
        }
    }

    /** The loaded map's fd, looked up once; the object must still be open. */
    private int readFd() {
        owner.pointer();
        if (loadedFd < 0) {
            loadedFd = n.bpf.bpf_map__fd(map);
        }
        return loadedFd;
    }

    private void buffers(int keySize, int valueSize) {
        if (keyBuf == null || keyBuf.size() < Math.max(1, keySize)) {
            keyBuf = Memory.allocateDirect(n.runtime, Math.max(1, keySize), true);
            nextKeyBuf = Memory.allocateDirect(n.runtime, Math.max(1, keySize), true);
        }
        if (valueBuf == null || valueBuf.size() < Math.max(1, valueSize)) {
            valueBuf = Memory.allocateDirect(n.runtime, Math.max(1, valueSize), true);
        }
    }

    /**
     * The key after {@code key} ({@code bpf_map_get_next_key}), the first key when {@code key} is null,
     * or null at the end.
     */
    public byte[] nextKey(byte[] key, int keySize) {
        buffers(keySize, 0);
        Pointer k = null;
        if (key != null) {
            keyBuf.put(0, key, 0, keySize);
            k = keyBuf;
        }
        int rc = n.bpf.bpf_map_get_next_key(readFd(), k, nextKeyBuf);
        if (rc < 0) {
            if (Math.abs(rc) == Errno.ENOENT) {
                return null;
            }
            throw n.failure("bpf_map_get_next_key", rc, ErrorKind.KERNEL, "cannot iterate map " + name, null);
        }
        byte[] out = new byte[keySize];
        nextKeyBuf.get(0, out, 0, keySize);
        return out;
    }

    /**
     * The value stored under {@code key}, {@code valueSize} bytes (for per-CPU maps: the value rounded up
     * to 8 bytes times the number of possible CPUs), or null if there is none.
     */
    public byte[] lookup(byte[] key, int keySize, int valueSize) {
        buffers(keySize, valueSize);
        keyBuf.put(0, key, 0, keySize);
        int rc = n.bpf.bpf_map_lookup_elem(readFd(), keyBuf, valueBuf);
        if (rc < 0) {
            if (Math.abs(rc) == Errno.ENOENT) {
                return null;
            }
            throw n.failure("bpf_map_lookup_elem", rc, ErrorKind.KERNEL, "cannot read map " + name, null);
        }
        byte[] out = new byte[valueSize];
        valueBuf.get(0, out, 0, valueSize);
        return out;
    }

    /**
     * Entries read in one {@code BPF_MAP_LOOKUP_BATCH}: {@code count} keys and values packed in
     * {@code keys} and {@code values}; {@code next} is where the next batch starts, and {@code end} says
     * that this batch reached the end of the map.
     */
    public record Batch(int count, byte[] keys, byte[] values, byte[] next, boolean end) {
    }

    /**
     * Up to {@code count} entries from {@code from} (null: the first; else a {@link Batch#next}), or null
     * when this kernel or map type has no batch reads (or a hash bucket holds more than {@code count}
     * entries): read key by key then. {@code valueSize} as for {@link #lookup}.
     */
    public Batch lookupBatch(byte[] from, int count, int keySize, int valueSize) {
        int tokenSize = Math.max(8, keySize);
        if (batchKeys == null || batchKeys.size() < (long) count * keySize
                || batchValues.size() < (long) count * valueSize) {
            batchKeys = Memory.allocateDirect(n.runtime, Math.max(1, count * keySize), true);
            batchValues = Memory.allocateDirect(n.runtime, Math.max(1, count * valueSize), true);
            batchIn = Memory.allocateDirect(n.runtime, tokenSize, true);
            batchOut = Memory.allocateDirect(n.runtime, tokenSize, true);
            batchCount = Memory.allocateDirect(n.runtime, 4, true);
        }
        Pointer in = null;
        if (from != null) {
            batchIn.put(0, from, 0, tokenSize);
            in = batchIn;
        }
        batchCount.putInt(0, count);
        int rc = n.mapBatch().bpf_map_lookup_batch(readFd(), in, batchOut, batchKeys, batchValues, batchCount, null);
        int err = Math.abs(rc);
        if (rc < 0 && err != Errno.ENOENT) {
            if (err == Errno.EINVAL || err == Errno.ENOTSUPP || err == Errno.EOPNOTSUPP || err == Errno.ENOSPC
                    || err == Errno.ENOSYS) {
                return null;
            }
            throw n.failure("bpf_map_lookup_batch", rc, ErrorKind.KERNEL, "cannot read map " + name, null);
        }
        int got = Math.max(0, Math.min(count, batchCount.getInt(0)));
        byte[] keys = new byte[got * keySize];
        byte[] values = new byte[got * valueSize];
        batchKeys.get(0, keys, 0, keys.length);
        batchValues.get(0, values, 0, values.length);
        byte[] next = new byte[tokenSize];
        batchOut.get(0, next, 0, tokenSize);
        return new Batch(got, keys, values, next, rc < 0);
    }

    @Override
    public String toString() {
        return "map " + name;
    }
}
