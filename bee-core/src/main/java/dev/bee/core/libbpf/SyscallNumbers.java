package dev.bee.core.libbpf;

import dev.bee.core.Architecture;

/**
 * The numbers of the system calls bee makes without a libc wrapper, per architecture (from each
 * architecture's {@code unistd.h}; arm64 and riscv64 share the generic table).
 *
 * @param bpf           {@code bpf(2)}
 * @param perfEventOpen {@code perf_event_open(2)}
 */
record SyscallNumbers(long bpf, long perfEventOpen) {
    private static final SyscallNumbers HOST = Architecture.host().map(SyscallNumbers::of)
            .orElse(new SyscallNumbers(-1, -1));

    /** This JVM's architecture's numbers. */
    static SyscallNumbers host() {
        return HOST;
    }

    /** The numbers on {@code arch}; an architecture whose table bee lacks has none (-1). */
    static SyscallNumbers of(Architecture arch) {
        return switch (arch) {
            case X86_64 -> new SyscallNumbers(321, 298);
            case ARM64, RISCV64, LOONGARCH64 -> new SyscallNumbers(280, 241);
            case PPC64LE, PPC64 -> new SyscallNumbers(361, 319);
            case S390X -> new SyscallNumbers(351, 331);
            default -> new SyscallNumbers(-1, -1);
        };
    }
}
