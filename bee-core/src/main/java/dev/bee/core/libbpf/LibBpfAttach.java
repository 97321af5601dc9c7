package dev.bee.core.libbpf;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.types.size_t;

/**
 * The libbpf calls of the less common attach kinds (fentry, LSM, kprobes, uprobes, USDT, iterators,
 * perf events, XDP, cgroups, tcx) and of pinning.
 * Bound on first use ({@link Native}); see {@link LibBpf}.
 */
public interface LibBpfAttach {
    int bpf_map__pin(Pointer map, String path);

    int bpf_program__pin(Pointer prog, String path);

    Pointer bpf_program__attach_trace(Pointer prog);

    Pointer bpf_program__attach_lsm(Pointer prog);

    Pointer bpf_program__attach_kprobe(Pointer prog, boolean retprobe, String function);

    Pointer bpf_program__attach_uprobe_opts(Pointer prog, int pid, String binaryPath, @size_t long offset,
                                            @In Pointer opts);

    Pointer bpf_program__attach_usdt(Pointer prog, int pid, String binaryPath, String provider, String name,
                                     @In Pointer opts);

    Pointer bpf_program__attach_iter(Pointer prog, @In Pointer opts);

    Pointer bpf_program__attach_perf_event(Pointer prog, int perfFd);

    Pointer bpf_program__attach_xdp(Pointer prog, int ifindex);

    Pointer bpf_program__attach_cgroup(Pointer prog, int cgroupFd);

    int bpf_iter_create(int linkFd);

    /** A link made straight from fds (tcx), for attach types libbpf 1.1 has no helper for; returns the link fd. */
    int bpf_link_create(int progFd, int targetFd, int attachType, @In Pointer opts);
}
