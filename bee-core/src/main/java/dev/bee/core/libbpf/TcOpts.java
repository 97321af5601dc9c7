package dev.bee.core.libbpf;

/** libbpf's {@code struct bpf_tc_opts}: the filter a tc program is attached as. */
final class TcOpts {
    static final int SIZE = 32;
    static final int SZ = 0;
    static final int PROG_FD = 8;
    static final int FLAGS = 12;
    static final int PROG_ID = 16;
    static final int HANDLE = 20;
    static final int PRIORITY = 24;
    static final StructLayout LAYOUT = StructLayout.of("bpf/libbpf.h", "bpf_tc_opts", SIZE, "sz", SZ, "prog_fd", PROG_FD,
            "flags", FLAGS, "prog_id", PROG_ID, "handle", HANDLE, "priority", PRIORITY);

    private TcOpts() {
    }
}
