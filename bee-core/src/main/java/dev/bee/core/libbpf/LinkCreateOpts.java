package dev.bee.core.libbpf;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * libbpf 1.1's {@code struct bpf_link_create_opts} (bpf.h) on 64-bit targets: {@code sz} at 0, {@code flags}
 * at 8, {@code iter_info} at 16, {@code iter_info_len} at 24, {@code target_btf_id} at 28, then a 32-byte
 * union (kprobe_multi's is the largest), 64 bytes in all. libbpf rejects an opts struct that claims more
 * than it knows unless the extra bytes are zero, and reads only {@code sz} bytes of a smaller one, so the
 * size written must be exactly this libbpf's.
 */
final class LinkCreateOpts {
    static final int SIZE = 64;
    static final int SZ_OFFSET = 0;

    private LinkCreateOpts() {
    }

    /** Zeroed opts with {@code sz} set: no flags, which for tcx means "after every program already there". */
    static Pointer empty(Native n) {
        Pointer opts = Memory.allocateDirect(n.runtime, SIZE, true);
        opts.putLong(SZ_OFFSET, SIZE);
        return opts;
    }
}
