package dev.bee.core.libbpf;

import dev.bee.core.ErrorKind;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/** {@code bpf(2)} commands bee makes outside an object's handles: statistics, iterators, a probe; CPUs. */
public final class BpfCalls {
    private BpfCalls() {
    }

    /**
     * Turns on the kernel's per-program run statistics (BPF_ENABLE_STATS with BPF_STATS_RUN_TIME) for as
     * long as the returned fd is open; closing it (or the process ending) puts the kernel back as it was.
     */
    public static int enableRunStats() {
        Native n = Native.get();
        int fd = n.bpf.bpf_enable_stats(0 /* BPF_STATS_RUN_TIME */);
        if (fd < 0) {
            throw n.failure("bpf_enable_stats", fd, ErrorKind.KERNEL, "cannot turn on BPF run statistics", null);
        }
        return fd;
    }

    /** Creates the iterator of an attached {@code iter/} link; read it with {@link Fds#readAll}. */
    public static int iterCreate(LinkHandle link) {
        Native n = Native.get();
        int fd = n.attach().bpf_iter_create(link.fd());
        if (fd < 0) {
            throw n.failure("bpf_iter_create", fd, ErrorKind.KERNEL, "cannot create an iterator for " + link, null);
        }
        return fd;
    }

    /** Number of possible CPUs, the size of per-CPU map values (libbpf's count). */
    public static int possibleCpus() {
        Native n = Native.get();
        int c = n.bpf.libbpf_num_possible_cpus();
        if (c <= 0) {
            throw n.failure("libbpf_num_possible_cpus", c, ErrorKind.KERNEL, "cannot count CPUs", null);
        }
        return c;
    }

    /**
     * The errno of {@code bpf(BPF_MAP_CREATE, attr, 0)}: an all-zero attribute of no map type, which the
     * kernel answers EINVAL; a seccomp filter answers EPERM or ENOSYS. For telling the two apart.
     */
    public static int probe() {
        Native n = Native.get();
        long nr = SyscallNumbers.host().bpf();
        if (nr < 0) {
            return Errno.EINVAL;
        }
        Pointer attr = Memory.allocateDirect(n.runtime, 8, true);
        long rc = n.libc.syscall(nr, 0 /* BPF_MAP_CREATE */, attr.address(), 0);
        if (rc >= 0) {
            n.libc.close((int) rc);
            return 0;
        }
        return n.errno();
    }
}
