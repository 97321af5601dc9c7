package dev.bee.core.libbpf;

import jnr.ffi.Pointer;

/** A {@code struct bpf_link}: an attached program. {@link #close()} detaches it; closing twice is harmless. */
public final class LinkHandle implements AutoCloseable {
    private final Native n;
    private final String description;
    private Pointer link;

    LinkHandle(Native n, Pointer link, String description) {
        this.n = n;
        this.link = link;
        this.description = description;
    }

    public synchronized int fd() {
        return link == null ? -1 : n.bpf.bpf_link__fd(link);
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
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
