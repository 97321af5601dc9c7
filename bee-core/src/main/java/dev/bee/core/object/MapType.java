package dev.bee.core.object;

/** The kernel's {@code enum bpf_map_type}, in its order (the ordinal is the kernel's number). */
public enum MapType {
    UNSPEC, HASH, ARRAY, PROG_ARRAY, PERF_EVENT_ARRAY, PERCPU_HASH, PERCPU_ARRAY, STACK_TRACE, CGROUP_ARRAY,
    LRU_HASH, LRU_PERCPU_HASH, LPM_TRIE, ARRAY_OF_MAPS, HASH_OF_MAPS, DEVMAP, SOCKMAP, CPUMAP, XSKMAP, SOCKHASH,
    CGROUP_STORAGE, REUSEPORT_SOCKARRAY, PERCPU_CGROUP_STORAGE, QUEUE, STACK, SK_STORAGE, DEVMAP_HASH,
    STRUCT_OPS, RINGBUF, INODE_STORAGE, TASK_STORAGE, BLOOM_FILTER, USER_RINGBUF, CGRP_STORAGE, ARENA;

    public static MapType of(long id) {
        MapType[] all = values();
        return id >= 0 && id < all.length ? all[(int) id] : null;
    }

    public int id() {
        return ordinal();
    }

    public boolean isPerCpu() {
        return this == PERCPU_HASH || this == PERCPU_ARRAY || this == LRU_PERCPU_HASH || this == PERCPU_CGROUP_STORAGE;
    }

    /** Maps that carry events the program writes (ring buffers, perf event arrays). */
    public boolean isEvents() {
        return this == RINGBUF || this == PERF_EVENT_ARRAY;
    }

    /** Maps that hold key/value entries bee can poll. */
    public boolean isKeyed() {
        return switch (this) {
            case HASH, ARRAY, PERCPU_HASH, PERCPU_ARRAY, LRU_HASH, LRU_PERCPU_HASH, LPM_TRIE -> true;
            default -> false;
        };
    }
}
