package dev.bee.core.libbpf;

import dev.bee.core.testing.Requirements;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every struct bee writes or reads in native memory, judged by the installed C headers: one C program
 * prints each layout's {@code sizeof} and {@code offsetof} checks, compiled by clang against libbpf's
 * and the kernel's uapi headers. A header that moves a field, or a size libbpf does not expect (which
 * makes its calls fail with EINVAL), fails here rather than in a run.
 */
class NativeLayoutsTest {
    private static final List<StructLayout> LAYOUTS = List.of(ObjectOpenOpts.LAYOUT, TcHook.LAYOUT, TcOpts.LAYOUT,
            UprobeOpts.LAYOUT, UsdtOpts.LAYOUT, LinkCreateOpts.LAYOUT, ProgInfo.LAYOUT, PerfEventAttr.LAYOUT,
            PollFd.LAYOUT, RLimit.LAYOUT, SockaddrLl.LAYOUT, NlMsgHdr.LAYOUT,
            PerfEventMmapPage.LAYOUT);

    @Test
    void everyLayoutMatchesItsHeader() throws Exception {
        Path cc = Requirements.requireTool("clang");
        Requirements.require(Files.isReadable(Path.of("/usr/include/bpf/libbpf.h")),
                "needs libbpf's headers (apt-get install libbpf-dev)");
        Set<String> headers = new LinkedHashSet<>(List.of("stddef.h", "stdio.h", "linux/types.h"));
        Map<String, Long> expected = new LinkedHashMap<>();
        for (StructLayout l : LAYOUTS) {
            headers.add(l.header());
            l.checks().forEach((expr, value) -> expected.put(l.struct() + ": " + expr, value));
        }
        StringBuilder c = new StringBuilder();
        headers.forEach(h -> c.append("#include <").append(h).append(">\n"));
        c.append("int main(void) {\n");
        for (StructLayout l : LAYOUTS) {
            for (String expr : l.checks().keySet()) {
                c.append("    printf(\"%s: %s=%zu\\n\", \"").append(l.struct()).append("\", \"").append(expr)
                        .append("\", (size_t) (").append(expr).append("));\n");
            }
        }
        c.append("    return 0;\n}\n");
        Path dir = Files.createTempDirectory("bee-layouts");
        Path src = dir.resolve("layouts.c");
        Files.writeString(src, c);
        Path exe = dir.resolve("layouts");
        Process compile = new ProcessBuilder(cc.toString(), "-o", exe.toString(), src.toString())
                .redirectErrorStream(true).start();
        String log = new String(compile.getInputStream().readAllBytes());
        assertEquals(0, compile.waitFor(), log + "\n" + c);
        Process run = new ProcessBuilder(exe.toString()).start();
        List<String> lines = new String(run.getInputStream().readAllBytes()).lines().toList();
        assertEquals(0, run.waitFor());
        Map<String, Long> actual = new LinkedHashMap<>();
        for (String line : lines) {
            int eq = line.lastIndexOf('=');
            actual.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1)));
        }
        List<String> wrong = new ArrayList<>();
        expected.forEach((k, v) -> {
            if (!v.equals(actual.get(k))) {
                wrong.add(k + ": bee " + v + ", header " + actual.get(k));
            }
        });
        assertEquals(List.of(), wrong);
        assertEquals(expected.size(), actual.size());
    }
}
