package dev.bee.core.btf;

import dev.bee.core.testing.Requirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The vmlinux.h bee writes from the running kernel's BTF: clang accepts it, and clang's layout of
 * every uniquely named struct and union (size and each member's offset) equals BTF's.
 */
class BtfCWriterIT {
    @TempDir
    Path tmp;

    @Test
    void kernelHeaderHasExactLayouts() throws Exception {
        Requirements.requireKernelBtf();
        Path clang = Requirements.requireTool("clang");
        Btf btf = BtfReader.readKernel();
        Files.writeString(tmp.resolve("vmlinux.h"), BtfCWriter.toC(btf));

        Map<String, Integer> tagCount = new HashMap<>();
        for (int id = 1; id < btf.count(); id++) {
            BtfType t = btf.type(id);
            if (t instanceof BtfType.Struct || t instanceof BtfType.Enum) {
                tagCount.merge(t.name(), 1, Integer::sum);
            }
        }
        StringBuilder c = new StringBuilder("#include \"vmlinux.h\"\n");
        int sizes = 0;
        int offsets = 0;
        Map<Integer, Boolean> targetDependent = new HashMap<>();
        for (int id = 1; id < btf.count(); id++) {
            if (!(btf.type(id) instanceof BtfType.Struct s) || s.name().isEmpty() || tagCount.get(s.name()) != 1
                    || dependsOnVaList(btf, id, targetDependent, 0)) {
                continue; // va_list is 8 bytes for BPF but 24 on x86: no header can match those
            }
            String tag = (s.union() ? "union " : "struct ") + s.name();
            c.append("_Static_assert(sizeof(").append(tag).append(") == ").append(s.size()).append(", \"size of ")
                    .append(tag).append("\");\n");
            sizes++;
            for (BtfType.Member m : s.members()) {
                if (!m.name().isEmpty() && m.bitfieldSize() == 0) {
                    c.append("_Static_assert(__builtin_offsetof(").append(tag).append(", ").append(m.name())
                            .append(") == ").append(m.bitOffset() / 8).append(", \"offset of ").append(tag)
                            .append('.').append(m.name()).append("\");\n");
                    offsets++;
                }
            }
        }
        assertTrue(sizes > 1000 && offsets > 10000, sizes + " sizes, " + offsets + " offsets");
        Path asserts = tmp.resolve("asserts.c");
        Files.writeString(asserts, c);
        assertCompiles(clang, asserts);
    }

    @Test
    void coreProgramBuildsAgainstIt() throws Exception {
        Requirements.requireKernelBtf();
        Path clang = Requirements.requireTool("clang");
        Files.writeString(tmp.resolve("vmlinux.h"), BtfCWriter.toC(BtfReader.readKernel()));
        Path prog = tmp.resolve("prog.c");
        Files.writeString(prog, """
                #include "vmlinux.h"
                #include <bpf/bpf_helpers.h>
                #include <bpf/bpf_tracing.h>
                #include <bpf/bpf_core_read.h>
                SEC("tracepoint/syscalls/sys_enter_openat")
                int on_open(struct trace_event_raw_sys_enter *ctx)
                {
                    const char *name = (const char *)ctx->args[1];
                    struct task_struct *task = (struct task_struct *)bpf_get_current_task();
                    int ppid = BPF_CORE_READ(task, real_parent, tgid);
                    bpf_printk("%s %d", name, ppid);
                    return 0;
                }
                char LICENSE[] SEC("license") = "GPL";
                """);
        assertCompiles(clang, prog);
    }

    private void assertCompiles(Path clang, Path file) throws Exception {
        Process p = new ProcessBuilder(clang.toString(), "-target", "bpf", "-D__TARGET_ARCH_x86", "-O2", "-g",
                "-I" + tmp, "-c", file.toString(), "-o", tmp.resolve("out.o").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        int rc = p.waitFor();
        List<String> errors = out.lines().filter(l -> l.contains("error")).limit(20).toList();
        assertEquals(0, rc, String.join("\n", errors));
    }

    private static boolean dependsOnVaList(Btf btf, int id, Map<Integer, Boolean> memo, int depth) {
        if (depth > 64) {
            return false;
        }
        Boolean known = memo.get(id);
        if (known != null) {
            return known;
        }
        memo.put(id, false);
        boolean result = false;
        BtfType t = btf.type(id);
        if (t instanceof BtfType.Typedef d) {
            result = d.name().equals("__builtin_va_list") || dependsOnVaList(btf, d.type(), memo, depth + 1);
        } else if (t instanceof BtfType.Modifier m) {
            result = dependsOnVaList(btf, m.type(), memo, depth + 1);
        } else if (t instanceof BtfType.Array a) {
            result = dependsOnVaList(btf, a.elementType(), memo, depth + 1);
        } else if (t instanceof BtfType.Struct s) {
            for (BtfType.Member m : s.members()) {
                result |= dependsOnVaList(btf, m.type(), memo, depth + 1);
            }
        }
        memo.put(id, result);
        return result;
    }
}
