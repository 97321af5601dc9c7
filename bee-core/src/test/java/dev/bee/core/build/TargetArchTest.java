package dev.bee.core.build;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Java's os.arch names to the __TARGET_ARCH_ spelling of libbpf's bpf_tracing.h. */
class TargetArchTest {

    @Test
    void javaArchitecturesMapToLibbpfsNames() {
        assertEquals("x86", TargetArch.of("amd64"));
        assertEquals("x86", TargetArch.of("x86_64"));
        assertEquals("arm64", TargetArch.of("aarch64"));
        assertEquals("arm64", TargetArch.of("AARCH64"));
        assertEquals("arm", TargetArch.of("arm"));
        assertEquals("s390", TargetArch.of("s390x"));
        assertEquals("powerpc", TargetArch.of("ppc64le"));
        assertEquals("riscv", TargetArch.of("riscv64"));
        assertEquals("loongarch", TargetArch.of("loongarch64"));
        assertEquals("mips", TargetArch.of("mips64el"));
        assertEquals("sparc", TargetArch.of("sparc"), "an unknown one is passed on as it is");
    }

    @Test
    void theHostIsTheMappedOsArch() {
        assertEquals(TargetArch.of(System.getProperty("os.arch")), TargetArch.host());
    }
}
