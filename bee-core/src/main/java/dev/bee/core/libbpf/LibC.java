package dev.bee.core.libbpf;

import jnr.ffi.Pointer;

/**
 * The few libc calls the runtime needs around libbpf: formatting libbpf's log, limits, mounts, fds, memory
 * maps. The network ones are bound on first use ({@link LibCNet}). No parameter annotations, as in
 * {@link LibBpf}: pointers are direct memory, size_t and off_t are longs on LP64.
 */
public interface LibC {
    int vsnprintf(Pointer buf, long size, Pointer format, Pointer vaList);

    int setrlimit(int resource, Pointer rlimit);

    int getrlimit(int resource, Pointer rlimit);

    int mount(String source, String target, String fsType, long flags, Pointer data);

    int open(String path, int flags);

    int close(int fd);

    long read(int fd, Pointer buf, long count);

    /** {@code syscall(2)} with the arguments perf_event_open takes. */
    long syscall(long number, Pointer attr, int pid, int cpu, int groupFd, long flags);

    /** {@code syscall(2)} with three integer arguments (bpf's probe). */
    long syscall(long number, long arg1, long arg2, long arg3);

    String strerror(int errno);

    int poll(Pointer fds, long nfds, int timeoutMs);

    /**
     * {@code mmap(2)}: the address, or -1 (MAP_FAILED) with errno set. Bound with a Pointer address: with a
     * plain long, jnr-ffi's call never reached the kernel (EINVAL).
     */
    Pointer mmap(Pointer address, long length, int prot, int flags, int fd, long offset);

    int munmap(Pointer address, long length);

    int getpagesize();

    /** {@code eventfd(2)}: how a thread asleep in {@code poll(2)} is woken for a stop. */
    int eventfd(int initval, int flags);

    long write(int fd, Pointer buf, long count);
}
