package dev.bee.core.libbpf;

import dev.bee.core.Architecture;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SyscallNumbersTest {
    @Test
    void theHostsNumbersAreTheKernelHeadersOnes() throws IOException {
        Path header = Path.of("/usr/include/x86_64-linux-gnu/asm/unistd_64.h");
        assumeTrue(System.getProperty("os.arch").equals("amd64") && Files.isRegularFile(header),
                "needs an x86-64 machine with linux-libc-dev");
        String text = Files.readString(header);
        assertEquals(number(text, "__NR_bpf"), SyscallNumbers.host().bpf());
        assertEquals(number(text, "__NR_perf_event_open"), SyscallNumbers.host().perfEventOpen());
    }

    @Test
    void everyArchitectureBeeBuildsForHasItsOwn() {
        assertEquals(new SyscallNumbers(280, 241), SyscallNumbers.of(Architecture.ARM64));
        assertEquals(new SyscallNumbers(280, 241), SyscallNumbers.of(Architecture.RISCV64));
        assertEquals(new SyscallNumbers(361, 319), SyscallNumbers.of(Architecture.PPC64LE));
        assertEquals(new SyscallNumbers(351, 331), SyscallNumbers.of(Architecture.S390X));
        assertEquals(-1, SyscallNumbers.of(Architecture.MIPS64).bpf());
    }

    private static long number(String header, String name) {
        Matcher m = Pattern.compile("#define " + name + " (\\d+)").matcher(header);
        assertEquals(true, m.find(), name + " in the header");
        return Long.parseLong(m.group(1));
    }
}
