package dev.bee.core.build;

import java.util.Locale;

/** The {@code __TARGET_ARCH_*} spelling libbpf's bpf_tracing.h expects for the host's architecture. */
public final class TargetArch {
    private TargetArch() {
    }

    public static String host() {
        return of(System.getProperty("os.arch"));
    }

    public static String of(String javaArch) {
        return switch (javaArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64", "x86" -> "x86";
            case "aarch64", "arm64" -> "arm64";
            case "arm" -> "arm";
            case "s390x" -> "s390";
            case "ppc64le", "ppc64" -> "powerpc";
            case "riscv64" -> "riscv";
            case "loongarch64" -> "loongarch";
            case "mips64", "mips64el", "mips" -> "mips";
            default -> javaArch;
        };
    }
}
