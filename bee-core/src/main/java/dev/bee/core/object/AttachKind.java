package dev.bee.core.object;

/**
 * How bee attaches a program: one value per attach mechanism, each served by one attacher class in
 * {@code attach}. Several section names map to one kind (tracepoint/ and tp/, for example).
 */
public enum AttachKind {
    KPROBE, KRETPROBE, KPROBE_MULTI, KRETPROBE_MULTI, KSYSCALL, KRETSYSCALL, UPROBE, URETPROBE, USDT,
    TRACEPOINT, RAW_TRACEPOINT, TP_BTF, FENTRY, FEXIT, FMOD_RET, FREPLACE, LSM, ITER, XDP, TC, TCX,
    SOCKET_FILTER, CGROUP, SOCK_OPS, SK_SKB, SK_MSG, SK_LOOKUP, SK_REUSEPORT, FLOW_DISSECTOR, PERF_EVENT,
    STRUCT_OPS, LWT, LIRC, NETFILTER, SYSCALL,
    /** A section libbpf does not know: the program can be listed but not loaded. */
    UNKNOWN;

    /** Whether attaching needs something from the user (an interface, a cgroup, a socket...). */
    public boolean needsTarget() {
        return switch (this) {
            case XDP, TC, TCX, SOCKET_FILTER, CGROUP, SOCK_OPS, SK_SKB, SK_MSG, SK_LOOKUP, SK_REUSEPORT,
                    FLOW_DISSECTOR, PERF_EVENT, LWT, LIRC, NETFILTER, FREPLACE -> true;
            default -> false;
        };
    }
}
