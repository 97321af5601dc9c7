package dev.bee.core.object;

import java.util.List;

/**
 * The table of program section names libbpf 1.x understands (its {@code section_defs}), and the parser
 * that maps a section name to a {@link ProgramSection}. A definition whose prefix ends in {@code +}
 * matches the prefix alone or the prefix, a slash and a target; others match exactly.
 */
public final class SectionNames {
    private record Def(String prefix, boolean takesTarget, ProgramType type, AttachKind kind,
                       String attachType, boolean sleepable) {
    }

    private static Def d(String prefix, ProgramType type, AttachKind kind, String attachType) {
        boolean plus = prefix.endsWith("+");
        String p = plus ? prefix.substring(0, prefix.length() - 1) : prefix;
        boolean sleepable = p.contains(".s") && (p.endsWith(".s") || p.contains(".s/"));
        return new Def(p, plus, type, kind, attachType, sleepable);
    }

    // Order matters: longer prefixes first where one is a prefix of another.
    private static final List<Def> DEFS = List.of(
            d("socket", ProgramType.SOCKET_FILTER, AttachKind.SOCKET_FILTER, null),
            d("sk_reuseport/migrate", ProgramType.SK_REUSEPORT, AttachKind.SK_REUSEPORT, "BPF_SK_REUSEPORT_SELECT_OR_MIGRATE"),
            d("sk_reuseport", ProgramType.SK_REUSEPORT, AttachKind.SK_REUSEPORT, "BPF_SK_REUSEPORT_SELECT"),
            d("kprobe.multi+", ProgramType.KPROBE, AttachKind.KPROBE_MULTI, "BPF_TRACE_KPROBE_MULTI"),
            d("kretprobe.multi+", ProgramType.KPROBE, AttachKind.KRETPROBE_MULTI, "BPF_TRACE_KPROBE_MULTI"),
            d("kprobe+", ProgramType.KPROBE, AttachKind.KPROBE, null),
            d("kretprobe+", ProgramType.KPROBE, AttachKind.KRETPROBE, null),
            d("ksyscall+", ProgramType.KPROBE, AttachKind.KSYSCALL, null),
            d("kretsyscall+", ProgramType.KPROBE, AttachKind.KRETSYSCALL, null),
            d("uprobe.multi.s+", ProgramType.KPROBE, AttachKind.UPROBE, "BPF_TRACE_UPROBE_MULTI"),
            d("uprobe.multi+", ProgramType.KPROBE, AttachKind.UPROBE, "BPF_TRACE_UPROBE_MULTI"),
            d("uretprobe.multi.s+", ProgramType.KPROBE, AttachKind.URETPROBE, "BPF_TRACE_UPROBE_MULTI"),
            d("uretprobe.multi+", ProgramType.KPROBE, AttachKind.URETPROBE, "BPF_TRACE_UPROBE_MULTI"),
            d("uprobe.s+", ProgramType.KPROBE, AttachKind.UPROBE, null),
            d("uprobe+", ProgramType.KPROBE, AttachKind.UPROBE, null),
            d("uretprobe.s+", ProgramType.KPROBE, AttachKind.URETPROBE, null),
            d("uretprobe+", ProgramType.KPROBE, AttachKind.URETPROBE, null),
            d("usdt.s+", ProgramType.KPROBE, AttachKind.USDT, null),
            d("usdt+", ProgramType.KPROBE, AttachKind.USDT, null),
            d("tc/ingress", ProgramType.SCHED_CLS, AttachKind.TC, "BPF_TCX_INGRESS"),
            d("tc/egress", ProgramType.SCHED_CLS, AttachKind.TC, "BPF_TCX_EGRESS"),
            d("tcx/ingress", ProgramType.SCHED_CLS, AttachKind.TCX, "BPF_TCX_INGRESS"),
            d("tcx/egress", ProgramType.SCHED_CLS, AttachKind.TCX, "BPF_TCX_EGRESS"),
            d("tc", ProgramType.SCHED_CLS, AttachKind.TC, null),
            d("classifier", ProgramType.SCHED_CLS, AttachKind.TC, null),
            d("action", ProgramType.SCHED_ACT, AttachKind.TC, null),
            d("tracepoint+", ProgramType.TRACEPOINT, AttachKind.TRACEPOINT, null),
            d("tp+", ProgramType.TRACEPOINT, AttachKind.TRACEPOINT, null),
            d("raw_tracepoint.w+", ProgramType.RAW_TRACEPOINT_WRITABLE, AttachKind.RAW_TRACEPOINT, null),
            d("raw_tp.w+", ProgramType.RAW_TRACEPOINT_WRITABLE, AttachKind.RAW_TRACEPOINT, null),
            d("raw_tracepoint+", ProgramType.RAW_TRACEPOINT, AttachKind.RAW_TRACEPOINT, null),
            d("raw_tp+", ProgramType.RAW_TRACEPOINT, AttachKind.RAW_TRACEPOINT, null),
            d("tp_btf+", ProgramType.TRACING, AttachKind.TP_BTF, "BPF_TRACE_RAW_TP"),
            d("fentry.s+", ProgramType.TRACING, AttachKind.FENTRY, "BPF_TRACE_FENTRY"),
            d("fentry+", ProgramType.TRACING, AttachKind.FENTRY, "BPF_TRACE_FENTRY"),
            d("fmod_ret.s+", ProgramType.TRACING, AttachKind.FMOD_RET, "BPF_MODIFY_RETURN"),
            d("fmod_ret+", ProgramType.TRACING, AttachKind.FMOD_RET, "BPF_MODIFY_RETURN"),
            d("fexit.s+", ProgramType.TRACING, AttachKind.FEXIT, "BPF_TRACE_FEXIT"),
            d("fexit+", ProgramType.TRACING, AttachKind.FEXIT, "BPF_TRACE_FEXIT"),
            d("freplace+", ProgramType.EXT, AttachKind.FREPLACE, null),
            d("lsm.s+", ProgramType.LSM, AttachKind.LSM, "BPF_LSM_MAC"),
            d("lsm_cgroup+", ProgramType.LSM, AttachKind.CGROUP, "BPF_LSM_CGROUP"),
            d("lsm+", ProgramType.LSM, AttachKind.LSM, "BPF_LSM_MAC"),
            d("iter.s+", ProgramType.TRACING, AttachKind.ITER, "BPF_TRACE_ITER"),
            d("iter+", ProgramType.TRACING, AttachKind.ITER, "BPF_TRACE_ITER"),
            d("syscall", ProgramType.SYSCALL, AttachKind.SYSCALL, null),
            d("xdp.frags/devmap", ProgramType.XDP, AttachKind.XDP, "BPF_XDP_DEVMAP"),
            d("xdp/devmap", ProgramType.XDP, AttachKind.XDP, "BPF_XDP_DEVMAP"),
            d("xdp.frags/cpumap", ProgramType.XDP, AttachKind.XDP, "BPF_XDP_CPUMAP"),
            d("xdp/cpumap", ProgramType.XDP, AttachKind.XDP, "BPF_XDP_CPUMAP"),
            d("xdp.frags", ProgramType.XDP, AttachKind.XDP, "BPF_XDP"),
            d("xdp", ProgramType.XDP, AttachKind.XDP, "BPF_XDP"),
            d("perf_event", ProgramType.PERF_EVENT, AttachKind.PERF_EVENT, null),
            d("lwt_in", ProgramType.LWT_IN, AttachKind.LWT, null),
            d("lwt_out", ProgramType.LWT_OUT, AttachKind.LWT, null),
            d("lwt_xmit", ProgramType.LWT_XMIT, AttachKind.LWT, null),
            d("lwt_seg6local", ProgramType.LWT_SEG6LOCAL, AttachKind.LWT, null),
            d("sockops", ProgramType.SOCK_OPS, AttachKind.SOCK_OPS, "BPF_CGROUP_SOCK_OPS"),
            d("sk_skb/stream_parser", ProgramType.SK_SKB, AttachKind.SK_SKB, "BPF_SK_SKB_STREAM_PARSER"),
            d("sk_skb/stream_verdict", ProgramType.SK_SKB, AttachKind.SK_SKB, "BPF_SK_SKB_STREAM_VERDICT"),
            d("sk_skb", ProgramType.SK_SKB, AttachKind.SK_SKB, null),
            d("sk_msg", ProgramType.SK_MSG, AttachKind.SK_MSG, "BPF_SK_MSG_VERDICT"),
            d("lirc_mode2", ProgramType.LIRC_MODE2, AttachKind.LIRC, "BPF_LIRC_MODE2"),
            d("flow_dissector", ProgramType.FLOW_DISSECTOR, AttachKind.FLOW_DISSECTOR, "BPF_FLOW_DISSECTOR"),
            d("cgroup_skb/ingress", ProgramType.CGROUP_SKB, AttachKind.CGROUP, "BPF_CGROUP_INET_INGRESS"),
            d("cgroup_skb/egress", ProgramType.CGROUP_SKB, AttachKind.CGROUP, "BPF_CGROUP_INET_EGRESS"),
            d("cgroup/skb", ProgramType.CGROUP_SKB, AttachKind.CGROUP, null),
            d("cgroup/sock_create", ProgramType.CGROUP_SOCK, AttachKind.CGROUP, "BPF_CGROUP_INET_SOCK_CREATE"),
            d("cgroup/sock_release", ProgramType.CGROUP_SOCK, AttachKind.CGROUP, "BPF_CGROUP_INET_SOCK_RELEASE"),
            d("cgroup/sock", ProgramType.CGROUP_SOCK, AttachKind.CGROUP, "BPF_CGROUP_INET_SOCK_CREATE"),
            d("cgroup/post_bind4", ProgramType.CGROUP_SOCK, AttachKind.CGROUP, "BPF_CGROUP_INET4_POST_BIND"),
            d("cgroup/post_bind6", ProgramType.CGROUP_SOCK, AttachKind.CGROUP, "BPF_CGROUP_INET6_POST_BIND"),
            d("cgroup/dev", ProgramType.CGROUP_DEVICE, AttachKind.CGROUP, "BPF_CGROUP_DEVICE"),
            d("cgroup/bind4", ProgramType.CGROUP_SOCK_ADDR, AttachKind.CGROUP, "BPF_CGROUP_INET4_BIND"),
            d("cgroup/bind6", ProgramType.CGROUP_SOCK_ADDR, AttachKind.CGROUP, "BPF_CGROUP_INET6_BIND"),
            d("cgroup/connect4", ProgramType.CGROUP_SOCK_ADDR, AttachKind.CGROUP, "BPF_CGROUP_INET4_CONNECT"),
            d("cgroup/connect6", ProgramType.CGROUP_SOCK_ADDR, AttachKind.CGROUP, "BPF_CGROUP_INET6_CONNECT"),
            d("cgroup/connect_unix", ProgramType.CGROUP_SOCK_ADDR, AttachKind.CGROUP, "BPF_CGROUP_UNIX_CONNECT"),
            d("cgroup/sendmsg4", ProgramType.CGROUP_SOCK_ADDR, AttachKind.CGROUP, "BPF_CGROUP_UDP4_SENDMSG"),
            d("cgroup/sendmsg6", ProgramType.CGROUP_SOCK_ADDR, AttachKind.CGROUP, "BPF_CGROUP_UDP6_SENDMSG"),
            d("cgroup/sendmsg_unix", ProgramType.CGROUP_SOCK_ADDR, AttachKind.CGROUP, "BPF_CGROUP_UNIX_SENDMSG"),
            d("cgroup/recvmsg4", ProgramType.CGROUP_SOCK_ADDR, AttachKind.CGROUP, "BPF_CGROUP_UDP4_RECVMSG"),
            d("cgroup/recvmsg6", ProgramType.CGROUP_SOCK_ADDR, AttachKind.CGROUP, "BPF_CGROUP_UDP6_RECVMSG"),
            d("cgroup/recvmsg_unix", ProgramType.CGROUP_SOCK_ADDR, AttachKind.CGROUP, "BPF_CGROUP_UNIX_RECVMSG"),
            d("cgroup/getpeername4", ProgramType.CGROUP_SOCK_ADDR, AttachKind.CGROUP, "BPF_CGROUP_INET4_GETPEERNAME"),
            d("cgroup/getpeername6", ProgramType.CGROUP_SOCK_ADDR, AttachKind.CGROUP, "BPF_CGROUP_INET6_GETPEERNAME"),
            d("cgroup/getpeername_unix", ProgramType.CGROUP_SOCK_ADDR, AttachKind.CGROUP, "BPF_CGROUP_UNIX_GETPEERNAME"),
            d("cgroup/getsockname4", ProgramType.CGROUP_SOCK_ADDR, AttachKind.CGROUP, "BPF_CGROUP_INET4_GETSOCKNAME"),
            d("cgroup/getsockname6", ProgramType.CGROUP_SOCK_ADDR, AttachKind.CGROUP, "BPF_CGROUP_INET6_GETSOCKNAME"),
            d("cgroup/getsockname_unix", ProgramType.CGROUP_SOCK_ADDR, AttachKind.CGROUP, "BPF_CGROUP_UNIX_GETSOCKNAME"),
            d("cgroup/sysctl", ProgramType.CGROUP_SYSCTL, AttachKind.CGROUP, "BPF_CGROUP_SYSCTL"),
            d("cgroup/getsockopt", ProgramType.CGROUP_SOCKOPT, AttachKind.CGROUP, "BPF_CGROUP_GETSOCKOPT"),
            d("cgroup/setsockopt", ProgramType.CGROUP_SOCKOPT, AttachKind.CGROUP, "BPF_CGROUP_SETSOCKOPT"),
            d("struct_ops.s+", ProgramType.STRUCT_OPS, AttachKind.STRUCT_OPS, null),
            d("struct_ops+", ProgramType.STRUCT_OPS, AttachKind.STRUCT_OPS, null),
            d("sk_lookup", ProgramType.SK_LOOKUP, AttachKind.SK_LOOKUP, "BPF_SK_LOOKUP"),
            d("netfilter", ProgramType.NETFILTER, AttachKind.NETFILTER, "BPF_NETFILTER"));

    private SectionNames() {
    }

    /** What libbpf would make of a program in section {@code section}. */
    public static ProgramSection parse(String section) {
        for (Def def : DEFS) {
            if (section.equals(def.prefix())) {
                return new ProgramSection(section, def.type(), def.kind(), null, def.attachType(), def.sleepable());
            }
            if (def.takesTarget() && section.startsWith(def.prefix() + "/")) {
                String target = section.substring(def.prefix().length() + 1);
                return new ProgramSection(section, def.type(), def.kind(), target.isEmpty() ? null : target,
                        def.attachType(), def.sleepable());
            }
        }
        return new ProgramSection(section, ProgramType.UNSPEC, AttachKind.UNKNOWN, null, null, false);
    }
}
