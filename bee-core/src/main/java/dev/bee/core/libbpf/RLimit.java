package dev.bee.core.libbpf;

/** libc's {@code struct rlimit}. */
final class RLimit {
    static final int SIZE = 16;
    static final int RLIM_CUR = 0;
    static final int RLIM_MAX = 8;
    static final StructLayout LAYOUT = StructLayout.of("sys/resource.h", "rlimit", SIZE, "rlim_cur", RLIM_CUR,
            "rlim_max", RLIM_MAX);

    private RLimit() {
    }
}
