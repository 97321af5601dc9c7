package dev.bee.core.libbpf;

/**
 * The kernel's {@code struct bpf_prog_info} (uapi linux/bpf.h), read up to the verifier's statistics: bee
 * declares the prefix that ends with {@code verified_insns} (rounded to 8), which every kernel since 5.16
 * fills and older ones fill in part, leaving the rest 0.
 */
final class ProgInfo {
    static final int SIZE = 224;
    static final int RUN_TIME_NS = 192;
    static final int RUN_CNT = 200;
    static final int VERIFIED_INSNS = 216;
    static final StructLayout LAYOUT = StructLayout.of("linux/bpf.h", "bpf_prog_info", SIZE, "run_time_ns", RUN_TIME_NS,
            "run_cnt", RUN_CNT, "verified_insns", VERIFIED_INSNS)
            .sizedBy("(offsetof(struct bpf_prog_info, verified_insns) + sizeof(__u32) + 7) & ~7UL", SIZE);

    private ProgInfo() {
    }
}
