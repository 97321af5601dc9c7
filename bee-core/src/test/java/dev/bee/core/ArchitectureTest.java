package dev.bee.core;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ArchitectureTest {
    @Test
    void javaAndOciNamesMeanTheSameArchitecture() {
        assertEquals(Optional.of(Architecture.X86_64), Architecture.of("amd64"));
        assertEquals(Optional.of(Architecture.X86_64), Architecture.of("x86_64"));
        assertEquals(Optional.of(Architecture.ARM64), Architecture.of("AARCH64"));
        assertEquals(Optional.of(Architecture.ARM64), Architecture.of("arm64"));
        assertEquals(Optional.of(Architecture.LOONGARCH64), Architecture.of("loong64"));
        assertEquals(Optional.empty(), Architecture.of("sparc"));
    }

    @Test
    void eachToolHasItsOwnName() {
        assertEquals("x86", Architecture.X86_64.bpfTarget());
        assertEquals("arm64", Architecture.ARM64.bpfTarget());
        assertEquals("s390", Architecture.S390X.bpfTarget());
        assertEquals("powerpc", Architecture.PPC64LE.bpfTarget());
        assertEquals("riscv", Architecture.RISCV64.bpfTarget());
        assertEquals("loongarch", Architecture.LOONGARCH64.bpfTarget());
        assertEquals("mips", Architecture.MIPS64LE.bpfTarget());
        assertEquals("386", Architecture.X86.oci());
        assertEquals("mips64le", Architecture.MIPS64LE.oci());
        assertEquals("x86_64-linux-gnu", Architecture.X86_64.multiarch());
        assertEquals(Optional.of("aarch64"), Architecture.ARM64.jffi());
        assertEquals(Optional.empty(), Architecture.S390X.jffi());
    }

    @Test
    void theHostIsKnown() {
        assertEquals(Architecture.of(System.getProperty("os.arch")), Architecture.host());
        assertEquals(true, Architecture.host().isPresent(), "bee's CI machines are x86-64 or arm64");
    }
}
