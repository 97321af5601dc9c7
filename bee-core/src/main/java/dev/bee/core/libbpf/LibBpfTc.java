package dev.bee.core.libbpf;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;

/**
 * libbpf 1.1's tc calls, through netlink: hooks and filters.
 * Bound on first use ({@link Native}); see {@link LibBpf}.
 */
public interface LibBpfTc {
    int bpf_tc_hook_create(@In Pointer hook);

    int bpf_tc_hook_destroy(@In Pointer hook);

    int bpf_tc_attach(@In Pointer hook, Pointer opts);

    int bpf_tc_detach(@In Pointer hook, @In Pointer opts);
}
