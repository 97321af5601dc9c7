package dev.bee.core.libbpf;

import java.util.Locale;

/**
 * The numbers of the system calls bee makes without a libc wrapper, per architecture (from each
 * architecture's {@code unistd.h}; arm64 and riscv64 share the generic table).
 *
 * @param bpf           {@code bpf(2)}
 * @param perfEventOpen {@code perf_event_open(2)}
 */
record SyscallNumbers(long bpf, long perfEventOpen) {
    private static final SyscallNumbers HOST = of(System.getProperty("os.arch", ""));

    /** This JVM's architecture's numbers. */
    static SyscallNumbers host() {
        return HOST;
    }

    /** The numbers for a Java {@code os.arch} name; an architecture bee does not know has none (-1). */
    static SyscallNumbers of(String osArch) {
        return switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> new SyscallNumbers(321, 298);
            case "aarch64", "arm64", "riscv64" -> new SyscallNumbers(280, 241);
            case "ppc64le", "ppc64" -> new SyscallNumbers(361, 319);
            case "s390x" -> new SyscallNumbers(351, 331);
            default -> new SyscallNumbers(-1, -1);
        };
    }
}
