package dev.bee.core.btf;

import dev.bee.core.elf.ElfFile;
import dev.bee.core.testing.Requirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The headers bee writes, compiled by clang for the BPF target: clang accepts them, its layout of
 * every uniquely named struct and union (size and each member's offset), enum and typedef equals
 * BTF's, and a CO-RE program builds against the running kernel's.
 */
class BtfCWriterIT {
    @TempDir
    Path tmp;

    @Test
    void kernelHeaderHasExactLayouts() throws Exception {
        Requirements.requireKernelBtf();
        Path clang = Requirements.requireTool("clang");
        Btf btf = BtfReader.readKernel();
        long start = System.nanoTime();
        String header = BtfCWriterTest.toC(btf);
        System.out.printf("vmlinux.h: %d types -> %d bytes in %d ms%n", btf.count(), header.length(),
                (System.nanoTime() - start) / 1_000_000);
        Files.writeString(tmp.resolve("vmlinux.h"), header);

        int[] counts = new int[2];
        String asserts = layoutAsserts(btf, counts);
        assertTrue(counts[0] > 1000 && counts[1] > 10000, counts[0] + " types, " + counts[1] + " offsets");
        Path file = tmp.resolve("asserts.c");
        Files.writeString(file, asserts);
        assertCompiles(clang, file, "-O2", "-g", "-c");
    }

    @Test
    void handMadeHeaderHasExactLayoutsInEveryCMode() throws Exception {
        Path clang = Requirements.requireTool("clang");
        Btf btf = BtfCWriterTest.sample();
        Files.writeString(tmp.resolve("vmlinux.h"), BtfCWriterTest.toC(btf));
        int[] counts = new int[2];
        String asserts = layoutAsserts(btf, counts)
                + "_Static_assert(sizeof(struct dup___2) == 8, \"dup___2\");\n"
                + "_Static_assert(__builtin_offsetof(struct dup___2, y) == 4, \"dup___2.y\");\n"
                + "_Static_assert(_Alignof(struct cacheline) == 64, \"cacheline\");\n"
                + "_Static_assert(sizeof(bool) == 1 && true && !false, \"bool\");\n"
                + "_Static_assert(LONELY == 5 && MODE_B == 1, \"enumerators\");\n";
        assertTrue(counts[0] >= 10 && counts[1] >= 20, counts[0] + " types, " + counts[1] + " offsets");
        Path file = tmp.resolve("asserts.c");
        Files.writeString(file, asserts);
        for (String std : new String[]{"-std=gnu17", "-std=c2x", "-std=gnu89"}) {
            assertCompiles(clang, file, std, "-Wall", "-fsyntax-only");
        }
    }

    /**
     * Bitfields have no {@code offsetof}: every uniquely named kernel struct with one is compiled
     * against the header with {@code -g}, and the BTF clang writes for it must equal the kernel's.
     */
    @Test
    void kernelBitfieldsRoundTrip() throws Exception {
        Requirements.requireKernelBtf();
        Path clang = Requirements.requireTool("clang");
        Btf btf = BtfReader.readKernel();
        int compared = roundTrip(clang, btf, s -> s.members().stream().anyMatch(m -> m.bitfieldSize() > 0));
        assertTrue(compared > 100, compared + " structs compared");
    }

    /** Layouts clang makes from C source (packed, aligned, bitfields, enums) survive BTF -> C -> BTF. */
    @Test
    void clangLayoutsRoundTrip() throws Exception {
        Path clang = Requirements.requireTool("clang");
        Path src = tmp.resolve("layouts.c");
        Files.writeString(src, """
                typedef unsigned long long u64;
                typedef unsigned int u32;
                typedef unsigned short u16;
                typedef unsigned char u8;
                struct inner { u64 a; } __attribute__((aligned(32)));
                struct packed_hdr { u8 t; u32 len; u16 x; } __attribute__((packed));
                struct packed_al { u8 t; u64 v; } __attribute__((packed, aligned(4)));
                struct bits { u64 a: 3, b: 61; u8 c: 7; u32 d: 20; u64 e: 40; int : 0; char f; };
                struct straddle { u8 a; u32 b: 30; u32 c: 4; } __attribute__((packed));
                union over { u32 a; u8 b[3]; } __attribute__((aligned(16)));
                enum tiny { T0, T1 } __attribute__((packed));
                enum big { B0 = 0xffffffffffULL };
                struct cacheline_padding { char x[0]; } __attribute__((aligned(64)));
                struct cl { int a; struct cacheline_padding p; int b __attribute__((aligned(64))); long c; };
                struct holder {
                    struct packed_hdr h;
                    u8 pad1;
                    struct inner in;
                    struct bits b;
                    char c;
                    struct packed_al pa;
                    union over o;
                    enum tiny t;
                    enum big e;
                    struct { int x; union { int y; float z; }; struct { char q: 3; } nested; };
                    int (*const cbs[3])(struct holder *, ...);
                    void *(*(*weird)(int))[4];
                    const volatile int cv;
                    int arr2[2][3];
                    _Bool flag;
                    __int128 big;
                    long double ld;
                    struct cl cl;
                    char tail[];
                };
                struct outer_packed { char c; struct cl cl; } __attribute__((packed));
                typedef struct { int a; u8 b: 4; } anon_t;
                struct uses { anon_t a; struct outer_packed op; struct straddle st; char c; struct straddle st2; };
                struct anon_al {
                    int a;
                    struct { int b; } __attribute__((aligned(16)));
                    union { char c; } __attribute__((aligned(8)));
                    char d;
                };
                struct holder h;
                struct uses u;
                struct anon_al aa;
                """);
        Path obj = tmp.resolve("layouts.o");
        run(clang, List.of("-g", "-c", src.toString(), "-o", obj.toString()));
        Btf btf = BtfReader.read(obj.toString(), btfOf(obj));
        int compared = roundTrip(clang, btf, s -> true);
        assertTrue(compared >= 12, compared + " structs compared");
    }

    @Test
    void coreProgramBuildsAgainstIt() throws Exception {
        Requirements.requireKernelBtf();
        Path clang = Requirements.requireTool("clang");
        Files.writeString(tmp.resolve("vmlinux.h"), BtfCWriterTest.toC(BtfReader.readKernel()));
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
                    bool traced = true;
                    bpf_printk("%s %d %d", name, ppid, traced);
                    return 0;
                }

                char LICENSE[] SEC("license") = "GPL";
                """);
        assertCompiles(clang, prog, "-I/usr/include", "-O2", "-g", "-c");
    }

    /**
     * Writes {@code btf} as a header, compiles a global of every uniquely named struct or union that
     * {@code select} picks with {@code -g}, and checks that the BTF clang writes for every uniquely
     * named struct and union in it (size, named members' bit offsets and bitfield sizes) equals
     * {@code btf}'s. Returns how many were compared.
     */
    private int roundTrip(Path clang, Btf btf, java.util.function.Predicate<BtfType.Struct> select) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("round"));
        Files.writeString(dir.resolve("vmlinux.h"), BtfCWriterTest.toC(btf));
        Map<String, Integer> tags = tagCounts(btf);
        StringBuilder c = new StringBuilder("#include \"vmlinux.h\"\n");
        Map<String, BtfType.Struct> expected = new HashMap<>();
        for (int id = 1; id < btf.count(); id++) {
            if (btf.type(id) instanceof BtfType.Struct s && !s.name().isEmpty() && tags.get(s.name()) == 1) {
                String tag = (s.union() ? "union " : "struct ") + s.name();
                expected.put(tag, s);
                if (select.test(s)) {
                    c.append(tag).append(" __bee_v").append(id).append(";\n");
                }
            }
        }
        Path src = dir.resolve("use.c");
        Files.writeString(src, c);
        Path obj = dir.resolve("use.o");
        run(clang, List.of("-g", "-c", src.toString(), "-o", obj.toString()));
        Btf back = BtfReader.read(obj.toString(), btfOf(obj));
        int compared = 0;
        List<String> wrong = new ArrayList<>();
        for (int id = 1; id < back.count(); id++) {
            if (!(back.type(id) instanceof BtfType.Struct got) || got.name().isEmpty()) {
                continue;
            }
            String tag = (got.union() ? "union " : "struct ") + got.name();
            BtfType.Struct want = expected.get(tag);
            if (want == null) {
                continue;
            }
            compared++;
            if (got.size() != want.size()) {
                wrong.add(tag + ": size " + got.size() + ", BTF says " + want.size());
            }
            Map<String, BtfType.Member> gotMembers = new HashMap<>();
            got.members().forEach(m -> gotMembers.put(m.name(), m));
            for (BtfType.Member m : want.members()) {
                BtfType.Member g = gotMembers.get(m.name());
                if (!m.name().isEmpty() && (g == null || g.bitOffset() != m.bitOffset()
                        || g.bitfieldSize() != m.bitfieldSize())) {
                    wrong.add(tag + "." + m.name() + ": " + (g == null ? "missing" : "bit " + g.bitOffset() + " width "
                            + g.bitfieldSize()) + ", BTF says bit " + m.bitOffset() + " width " + m.bitfieldSize());
                }
            }
        }
        assertTrue(wrong.isEmpty(),
                wrong.size() + " differences, first: " + wrong.subList(0, Math.min(10, wrong.size())));
        return compared;
    }

    private static byte[] btfOf(Path obj) throws Exception {
        ElfFile elf = ElfFile.parse(obj.toString(), Files.readAllBytes(obj));
        return elf.data(elf.section(".BTF").orElseThrow());
    }

    private static Map<String, Integer> tagCounts(Btf btf) {
        Map<String, Integer> tags = new HashMap<>();
        for (int id = 1; id < btf.count(); id++) {
            BtfType t = btf.type(id);
            if (t instanceof BtfType.Struct || t instanceof BtfType.Enum) { // a fwd names the same type
                tags.merge(t.name(), 1, Integer::sum);
            }
        }
        return tags;
    }

    /**
     * {@code _Static_assert}s of BTF's size of every uniquely named struct, union, enum and typedef,
     * and of the offset of every named non-bitfield member of those structs and unions.
     */
    private static String layoutAsserts(Btf btf, int[] counts) {
        Map<String, Integer> tags = tagCounts(btf);
        Map<String, Integer> ordinary = new HashMap<>();
        for (int id = 1; id < btf.count(); id++) {
            if (btf.type(id) instanceof BtfType.Typedef d) {
                ordinary.merge(d.name(), 1, Integer::sum);
            }
        }
        StringBuilder c = new StringBuilder("#include \"vmlinux.h\"\n");
        for (int id = 1; id < btf.count(); id++) {
            BtfType t = btf.type(id);
            if (t instanceof BtfType.Struct s && !s.name().isEmpty() && tags.get(s.name()) == 1) {
                String tag = (s.union() ? "union " : "struct ") + s.name();
                sizeAssert(c, tag, s.size());
                counts[0]++;
                for (BtfType.Member m : s.members()) {
                    if (!m.name().isEmpty() && m.bitfieldSize() == 0) {
                        c.append("_Static_assert(__builtin_offsetof(").append(tag).append(", ").append(m.name())
                                .append(") == ").append(m.bitOffset() / 8).append(", \"offset of ").append(tag)
                                .append('.').append(m.name()).append("\");\n");
                        counts[1]++;
                    }
                }
            } else if (t instanceof BtfType.Enum e && !e.name().isEmpty() && !e.values().isEmpty()
                    && tags.get(e.name()) == 1) {
                sizeAssert(c, "enum " + e.name(), e.size());
                counts[0]++;
            } else if (t instanceof BtfType.Typedef d && ordinary.get(d.name()) == 1 && sized(btf, id)) {
                sizeAssert(c, d.name(), btf.sizeOf(id));
                counts[0]++;
            }
        }
        return c.toString();
    }

    /** Typedefs of functions, void and incomplete types have no size; keywords are renamed. */
    private static boolean sized(Btf btf, int id) {
        String name = btf.type(id).name();
        BtfType t = btf.type(btf.resolve(id));
        return !(t instanceof BtfType.FuncProto || t instanceof BtfType.Void || t instanceof BtfType.Fwd)
                && name.matches("[A-Za-z_][A-Za-z0-9_]*") && !name.startsWith("__builtin_")
                && !List.of("int", "static_assert").contains(name);
    }

    private static void sizeAssert(StringBuilder c, String type, long size) {
        c.append("_Static_assert(sizeof(").append(type).append(") == ").append(size).append(", \"size of ")
                .append(type).append("\");\n");
    }

    private void assertCompiles(Path clang, Path file, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of(options));
        args.addAll(List.of("-I" + tmp, file.toString()));
        if (args.contains("-c")) {
            args.addAll(List.of("-o", tmp.resolve("out.o").toString()));
        }
        run(clang, args);
    }

    /** Runs clang for the BPF target; it must succeed without a single warning. */
    private static void run(Path clang, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(clang.toString(), "-target", "bpf"));
        String arch = System.getProperty("os.arch");
        if (arch.equals("amd64") || arch.equals("x86_64")) {
            cmd.add("-D__TARGET_ARCH_x86");
        } else if (arch.equals("aarch64")) {
            cmd.add("-D__TARGET_ARCH_arm64");
        }
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        int rc = p.waitFor();
        List<String> errors = out.lines().filter(l -> l.contains("error") || l.contains("warning")).limit(20).toList();
        assertEquals(0, rc, String.join(" ", cmd) + "\n" + String.join("\n", errors));
        assertTrue(errors.isEmpty(), String.join("\n", errors)); // the header must not even warn
    }
}
