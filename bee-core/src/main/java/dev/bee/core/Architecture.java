package dev.bee.core;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The CPU architectures bee knows, with each tool's name for them: Java's {@code os.arch}, OCI's platform
 * architecture, libbpf's {@code __TARGET_ARCH_*} for bpf_tracing.h, Debian's multiarch folder, and
 * jffi's native stub folder. The one place an architecture name is translated.
 */
public enum Architecture {
    X86_64(List.of("amd64", "x86_64"), "amd64", "x86", "x86_64-linux-gnu", "x86_64"),
    ARM64(List.of("aarch64", "arm64"), "arm64", "arm64", "aarch64-linux-gnu", "aarch64"),
    X86(List.of("x86", "i386", "i686"), "386", "x86", "i386-linux-gnu", null),
    ARM(List.of("arm"), "arm", "arm", "arm-linux-gnueabihf", null),
    PPC64LE(List.of("ppc64le"), "ppc64le", "powerpc", "powerpc64le-linux-gnu", null),
    PPC64(List.of("ppc64"), "ppc64", "powerpc", "powerpc64-linux-gnu", null),
    S390X(List.of("s390x"), "s390x", "s390", "s390x-linux-gnu", null),
    RISCV64(List.of("riscv64"), "riscv64", "riscv", "riscv64-linux-gnu", null),
    LOONGARCH64(List.of("loongarch64"), "loong64", "loongarch", "loongarch64-linux-gnu", null),
    MIPS64LE(List.of("mips64el"), "mips64le", "mips", "mips64el-linux-gnuabi64", null),
    MIPS64(List.of("mips64", "mips"), "mips64", "mips", "mips64-linux-gnuabi64", null);

    private static final Optional<Architecture> HOST = of(System.getProperty("os.arch", ""));

    private final List<String> javaNames;
    private final String oci;
    private final String bpfTarget;
    private final String multiarch;
    private final String jffi;

    Architecture(List<String> javaNames, String oci, String bpfTarget, String multiarch, String jffi) {
        this.javaNames = javaNames;
        this.oci = oci;
        this.bpfTarget = bpfTarget;
        this.multiarch = multiarch;
        this.jffi = jffi;
    }

    /** The architecture a Java {@code os.arch} (or an OCI name) names, if bee knows it. */
    public static Optional<Architecture> of(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (Architecture a : values()) {
            if (a.javaNames.contains(n) || a.oci.equals(n)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** This JVM's architecture, if bee knows it. */
    public static Optional<Architecture> host() {
        return HOST;
    }

    /** OCI's name ({@code amd64}, {@code arm64}...). */
    public String oci() {
        return oci;
    }

    /** libbpf's {@code __TARGET_ARCH_} suffix ({@code x86}, {@code arm64}, {@code powerpc}...). */
    public String bpfTarget() {
        return bpfTarget;
    }

    /** Debian's multiarch triplet, the folder of {@code /usr/include} and {@code /usr/lib} it names. */
    public String multiarch() {
        return multiarch;
    }

    /** The folder of jffi's stub in its jar ({@code /jni/<name>-Linux}), if jffi ships one bee uses. */
    public Optional<String> jffi() {
        return Optional.ofNullable(jffi);
    }
}
