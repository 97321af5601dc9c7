package dev.bee.core.elf;

import dev.bee.core.testing.Examples;
import dev.bee.core.testing.Requirements;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ELF reader against llvm-objdump, on every example compiled during the run. */
class ElfFileIT {
    private static final Pattern HEADER_LINE = Pattern.compile("^\\s*(\\d+)\\s+(\\S*)\\s+([0-9a-f]{8})\\s+[0-9a-f]{16}.*$");

    static List<String> examples() {
        return Examples.names();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void sectionsMatchLlvmObjdump(String example) throws Exception {
        Path obj = Examples.object(example);
        String objdump = Examples.exec(Requirements.requireTool("llvm-objdump").toString(), "-h", obj.toString());
        List<String> expected = new ArrayList<>();
        for (String line : objdump.split("\n")) {
            Matcher m = HEADER_LINE.matcher(line);
            if (m.matches()) {
                expected.add(m.group(1) + " " + m.group(2) + " " + Long.parseLong(m.group(3), 16));
            }
        }
        ElfFile elf = ElfFile.parse(obj.toString(), Files.readAllBytes(obj));
        List<String> actual = new ArrayList<>();
        for (ElfSection s : elf.sections()) {
            actual.add(s.index() + " " + s.name() + " " + s.size());
        }
        assertFalse(expected.isEmpty(), "llvm-objdump listed no sections:\n" + objdump);
        assertEquals(expected, actual);
        assertEquals(ElfFile.EM_BPF, elf.machine());
        assertTrue(elf.section(".BTF").isPresent(), "llvm-strip -g must keep .BTF");
        assertTrue(elf.sections().stream().noneMatch(s -> s.name().startsWith(".debug_")), "debug info stripped");
    }

    @ParameterizedTest
    @MethodSource("examples")
    void symbolsAndRelocationsResolve(String example) throws Exception {
        Path obj = Examples.object(example);
        ElfFile elf = ElfFile.parse(obj.toString(), Files.readAllBytes(obj));
        String nm = Examples.exec(Requirements.requireTool("llvm-nm").toString(), "--defined-only", obj.toString());
        for (String line : nm.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3) {
                assertTrue(elf.symbols().stream().anyMatch(s -> s.name().equals(f[2])
                        && s.value() == Long.parseUnsignedLong(f[0], 16)), "symbol " + line);
            }
        }
        for (ElfSection s : elf.sections()) {
            if (s.type() == ElfSection.SHT_REL) {
                for (ElfRelocation r : elf.relocations(s)) {
                    ElfSection target = elf.section(s.info());
                    assertTrue(r.offset() < Math.max(target.size(), 1), "relocation inside its section");
                }
            }
        }
    }
}
