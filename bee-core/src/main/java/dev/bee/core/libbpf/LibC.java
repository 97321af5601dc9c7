package dev.bee.core.libbpf;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.off_t;
import jnr.ffi.types.size_t;

/**
 * The few libc calls the runtime needs around libbpf: formatting libbpf's log, limits, mounts, fds, memory
 * maps. The network ones are bound on first use ({@link LibCNet}).
 */
public interface LibC {
    int vsnprintf(@Out Pointer buf, @size_t long size, Pointer format, Pointer vaList);

    int setrlimit(int resource, @In Pointer rlimit);

    int getrlimit(int resource, @Out Pointer rlimit);

    int mount(String source, String target, String fsType, long flags, Pointer data);

    int open(String path, int flags);

    int close(int fd);

    long read(int fd, @Out Pointer buf, @size_t long count);

    /** {@code syscall(2)} with the arguments perf_event_open takes. */
    long syscall(long number, @In Pointer attr, int pid, int cpu, int groupFd, long flags);

    String strerror(int errno);

    int poll(@In @Out Pointer fds, long nfds, int timeoutMs);

    /**
     * {@code mmap(2)}: the address, or -1 (MAP_FAILED) with errno set. Bound with a Pointer address: with a
     * plain long, jnr-ffi's call never reached the kernel (EINVAL).
     */
    Pointer mmap(Pointer address, @size_t long length, int prot, int flags, int fd, @off_t long offset);

    int munmap(Pointer address, @size_t long length);

    int getpagesize();
}
