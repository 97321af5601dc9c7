package dev.bee.core.libbpf;

/** libbpf's {@code struct bpf_usdt_opts}: only its size is set (no cookie). */
final class UsdtOpts {
    static final int SIZE = 16;
    static final int SZ = 0;
    static final StructLayout LAYOUT = StructLayout.of("bpf/libbpf.h", "bpf_usdt_opts", SIZE, "sz", SZ);

    private UsdtOpts() {
    }
}
