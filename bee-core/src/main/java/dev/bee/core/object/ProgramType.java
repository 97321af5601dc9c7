package dev.bee.core.object;

/** The kernel's {@code enum bpf_prog_type}, in its order (the ordinal is the kernel's number). */
public enum ProgramType {
    UNSPEC, SOCKET_FILTER, KPROBE, SCHED_CLS, SCHED_ACT, TRACEPOINT, XDP, PERF_EVENT, CGROUP_SKB, CGROUP_SOCK,
    LWT_IN, LWT_OUT, LWT_XMIT, SOCK_OPS, SK_SKB, CGROUP_DEVICE, SK_MSG, RAW_TRACEPOINT, CGROUP_SOCK_ADDR,
    LWT_SEG6LOCAL, LIRC_MODE2, SK_REUSEPORT, FLOW_DISSECTOR, CGROUP_SYSCTL, RAW_TRACEPOINT_WRITABLE,
    CGROUP_SOCKOPT, TRACING, STRUCT_OPS, EXT, LSM, SK_LOOKUP, SYSCALL, NETFILTER;

    /** The kernel's number for this type. */
    public int id() {
        return ordinal();
    }
}
