package dev.bee.core.build;

import dev.bee.core.object.BpfObject;
import dev.bee.core.object.MapSpec;
import dev.bee.core.object.ProgramSpec;
import dev.bee.core.testing.Examples;
import dev.bee.core.testing.Requirements;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bee's own vmlinux.h builds every example into the same programs and maps as a header written by
 * {@code bpftool btf dump file /sys/kernel/btf/vmlinux format c}.
 */
class VmlinuxHeaderIT {

    @Test
    void beeHeaderAndBpftoolHeaderGiveTheSamePrograms() throws Exception {
        Requirements.requireKernelBtf();
        Path bpftool = Requirements.requireTool("bpftool");
        Path dir = Files.createTempDirectory("bpftool-vmlinux");
        Path header = dir.resolve("vmlinux.h");
        Files.writeString(header, Examples.exec(bpftool.toString(), "btf", "dump", "file", "/sys/kernel/btf/vmlinux",
                "format", "c"));
        ClangCompiler compiler = new ClangCompiler(Examples.cacheRoot(), m -> { }, System.err::println);
        for (String name : Examples.names()) {
            BpfObject bee = dev.bee.core.object.ObjectReader.read(Examples.object(name));
            Path out = dir.resolve(name + ".o");
            BpfObject ref = compiler.compile(new CompileRequest(Examples.source(name), out, List.of(), null, header)).object();
            assertEquals(summary(ref.programs()), summary(bee.programs()), name + " programs");
            assertEquals(maps(ref.maps()), maps(bee.maps()), name + " maps");
        }
    }

    @Test
    void headerIsCachedPerKernelBtf() {
        Requirements.requireKernelBtf();
        List<String> progress = new java.util.ArrayList<>();
        Path first = VmlinuxHeader.forKernel(Path.of("/sys/kernel/btf/vmlinux"), Examples.cacheRoot(), progress::add);
        Path second = VmlinuxHeader.forKernel(Path.of("/sys/kernel/btf/vmlinux"), Examples.cacheRoot(), progress::add);
        assertEquals(first, second);
        assertTrue(Files.isRegularFile(first.resolve("vmlinux.h")));
        assertTrue(progress.size() <= 1, "generated at most once: " + progress);
    }

    private static List<String> summary(List<ProgramSpec> programs) {
        return programs.stream().map(p -> p.name() + " " + p.section() + " " + p.type()).toList();
    }

    private static List<String> maps(List<MapSpec> maps) {
        return maps.stream().map(m -> m.name() + " " + m.type() + " " + m.keySize() + " " + m.valueSize() + " "
                + m.maxEntries() + " " + m.keyType() + " " + m.valueType() + " " + m.output()).toList();
    }
}
