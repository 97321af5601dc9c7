package dev.bee.core.libbpf;

import jnr.ffi.Pointer;

/**
 * An attached program: a libbpf {@code struct bpf_link}, or a raw link fd from {@code bpf_link_create}
 * (tcx, which libbpf 1.1 has no {@code bpf_link} for). {@link #close()} detaches it; closing twice is
 * harmless. The kernel also detaches it when the process ends, however it ends.
 */
public final class LinkHandle implements AutoCloseable {
    private final Native n;
    private final String description;
    private Pointer link;
    private int rawFd;

    LinkHandle(Native n, Pointer link, String description) {
        this.n = n;
        this.link = link;
        this.rawFd = -1;
        this.description = description;
    }

    /** A link that is only an fd: closing the fd detaches it. */
    LinkHandle(Native n, int rawFd, String description) {
        this.n = n;
        this.rawFd = rawFd;
        this.description = description;
    }

    public synchronized int fd() {
        if (link != null) {
            return n.bpf.bpf_link__fd(link);
        }
        return rawFd;
    }

    /** What this link attaches, e.g. "tracepoint syscalls/sys_enter_openat". */
    public String description() {
        return description;
    }

    @Override
    public synchronized void close() {
        if (link != null) {
            Pointer l = link;
            link = null;
            n.bpf.bpf_link__destroy(l);
        } else if (rawFd >= 0) {
            int fd = rawFd;
            rawFd = -1;
            n.libc.close(fd);
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
