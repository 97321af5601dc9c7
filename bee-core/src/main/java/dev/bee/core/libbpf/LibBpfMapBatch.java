package dev.bee.core.libbpf;

import jnr.ffi.Pointer;

/**
 * Reading many map entries in one syscall ({@code BPF_MAP_LOOKUP_BATCH}, kernel 5.6+), for polling big
 * maps. Bound on first use ({@link Native}); see {@link LibBpf}.
 */
public interface LibBpfMapBatch {
    int bpf_map_lookup_batch(int fd, Pointer inBatch, Pointer outBatch, Pointer keys, Pointer values, Pointer count,
                             Pointer opts);
}
