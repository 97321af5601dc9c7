package dev.bee.core.libbpf;

/** libbpf's {@code struct bpf_tc_hook}: an interface's clsact hook. */
final class TcHook {
    static final int SIZE = 24;
    static final int SZ = 0;
    static final int IFINDEX = 8;
    static final int ATTACH_POINT = 12;
    static final StructLayout LAYOUT = StructLayout.of("bpf/libbpf.h", "bpf_tc_hook", SIZE, "sz", SZ,
            "ifindex", IFINDEX, "attach_point", ATTACH_POINT);

    private TcHook() {
    }
}
