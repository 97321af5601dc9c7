package dev.bee.core.libbpf;

/** libbpf's {@code struct bpf_uprobe_opts}: return probe or not, and the function by name. */
final class UprobeOpts {
    static final int SIZE = 40;
    static final int SZ = 0;
    static final int RETPROBE = 24;
    static final int FUNC_NAME = 32;
    static final StructLayout LAYOUT = StructLayout.of("bpf/libbpf.h", "bpf_uprobe_opts", SIZE, "sz", SZ,
            "retprobe", RETPROBE, "func_name", FUNC_NAME);

    private UprobeOpts() {
    }
}
