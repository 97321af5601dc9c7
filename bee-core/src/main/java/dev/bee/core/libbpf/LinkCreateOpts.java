package dev.bee.core.libbpf;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * libbpf 1.1's {@code struct bpf_link_create_opts} (bpf.h): {@code sz} at 0, then flags, iter info, the
 * target BTF id and a union (kprobe_multi's is the largest), 64 bytes in all. libbpf rejects an opts struct
 * that claims more than it knows unless the extra bytes are zero, and reads only {@code sz} bytes of a
 * smaller one, so the size written must be exactly this libbpf's.
 */
final class LinkCreateOpts {
    static final int SIZE = 64;
    static final int SZ = 0;
    static final StructLayout LAYOUT = StructLayout.of("bpf/bpf.h", "bpf_link_create_opts", SIZE, "sz", SZ);

    private LinkCreateOpts() {
    }

    /** Zeroed opts with {@code sz} set: no flags, which for tcx means "after every program already there". */
    static Pointer empty(Native n) {
        Pointer opts = Memory.allocateDirect(n.runtime, SIZE, true);
        opts.putLong(SZ, SIZE);
        return opts;
    }
}
