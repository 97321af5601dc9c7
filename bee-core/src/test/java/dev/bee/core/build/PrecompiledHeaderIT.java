package dev.bee.core.build;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.testing.BtfBuilder;
import dev.bee.core.testing.Examples;
import dev.bee.core.testing.Requirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bee compiles with a precompiled vmlinux.h where it can: the objects are the same byte for byte as
 * without it, and a PCH clang cannot use costs a second compile, never a failed build or strange messages.
 */
class PrecompiledHeaderIT {
    @TempDir
    Path tmp;

    private static final String TINY_PROGRAM = """
            // SPDX-License-Identifier: GPL-2.0
            #include "vmlinux.h"
            #include <bpf/bpf_helpers.h>

            char LICENSE[] SEC("license") = "GPL";

            struct {
                __uint(type, BPF_MAP_TYPE_RINGBUF);
                __uint(max_entries, 4096);
                __type(value, struct event);
            } print_events SEC(".maps");

            SEC("tracepoint/syscalls/sys_enter_openat")
            int handle(void *ctx) {
                struct event *e = bpf_ringbuf_reserve(&print_events, sizeof(*e), 0);
                if (!e)
                    return 0;
                e->pid = bpf_get_current_pid_tgid() >> 32;
                bpf_ringbuf_submit(e, 0);
                return 0;
            }
            """;

    private static boolean usedPch(CompileResult r) {
        return r.command().contains("-include-pch");
    }

    /** The build's own command without the PCH, compiled and stripped by hand. */
    private static byte[] withoutPch(CompileResult r, Path out) throws Exception {
        List<String> cmd = new ArrayList<>(r.command());
        int i = cmd.indexOf("-include-pch");
        cmd.remove(i + 1);
        cmd.remove(i);
        cmd.set(cmd.indexOf("-o") + 1, out.toString());
        Examples.exec(cmd.toArray(String[]::new));
        Examples.exec(Requirements.requireTool("llvm-strip").toString(), "-g", out.toString());
        return Files.readAllBytes(out);
    }

    @Test
    void everyExampleIsTheSameObjectWithThePrecompiledHeader() throws Exception {
        Requirements.requireTool("clang");
        Requirements.requireKernelBtf();
        ClangCompiler compiler = new ClangCompiler(Examples.cacheRoot(), m -> { }, System.err::println);
        for (String name : Examples.names()) {
            Path out = tmp.resolve(name + ".o");
            CompileResult r = compiler.compile(new CompileRequest(Examples.source(name), out, List.of(), null, null));
            assertTrue(usedPch(r), name + " starts with #include \"vmlinux.h\": " + r.command());
            assertArrayEquals(withoutPch(r, tmp.resolve(name + ".plain.o")), Files.readAllBytes(out), name);
        }
    }

    private Path tinyProgram(String text) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("src"));
        Path src = dir.resolve("prog.c");
        Files.writeString(src, text);
        return src;
    }

    /**
     * A kernel BTF with just what the tiny program and libbpf's bpf_helpers.h need, so its header and
     * PCH take milliseconds; dated back, so its stamp is trusted at once.
     */
    private Path tinyKernelBtf() throws Exception {
        BtfBuilder b = new BtfBuilder();
        int u8 = b.integer("unsigned char", 1, 0);
        int s8 = b.integer("signed char", 1, 1);
        int u16 = b.integer("short unsigned int", 2, 0);
        int s16 = b.integer("short int", 2, 1);
        int u32 = b.integer("unsigned int", 4, 0);
        int s32 = b.integer("int", 4, 1);
        int u64 = b.integer("long long unsigned int", 8, 0);
        int s64 = b.integer("long long int", 8, 1);
        b.typedef("__u8", u8);
        b.typedef("__s8", s8);
        int tu16 = b.typedef("__u16", u16);
        b.typedef("__s16", s16);
        int tu32 = b.typedef("__u32", u32);
        b.typedef("__s32", s32);
        b.typedef("__u64", u64);
        b.typedef("__s64", s64);
        b.typedef("__be16", tu16);
        b.typedef("__be32", tu32);
        b.typedef("__wsum", tu32);
        b.enumeration("bpf_map_type", 4, false, new Object[]{"BPF_MAP_TYPE_RINGBUF", 27});
        b.struct("event", 4, false, new Object[]{"pid", tu32, 0});
        Path btf = tmp.resolve("tiny-vmlinux.btf");
        Files.write(btf, b.build());
        Files.setLastModifiedTime(btf, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        return btf;
    }

    private ClangCompiler tinyCompiler(List<String> messages) throws Exception {
        return new ClangCompiler(tmp.resolve("cache"), tinyKernelBtf(), m -> { }, messages::add);
    }

    private List<Path> pchs() throws Exception {
        try (Stream<Path> s = Files.walk(tmp.resolve("cache"))) {
            return s.filter(p -> p.toString().endsWith(".pch")).toList();
        }
    }

    @Test
    void aPrecompiledHeaderClangRefusesIsDroppedAndTheBuildGoesOn() throws Exception {
        Requirements.requireTool("clang");
        Path src = tinyProgram(TINY_PROGRAM);
        List<String> messages = new ArrayList<>();
        ClangCompiler compiler = tinyCompiler(messages);
        CompileRequest req = new CompileRequest(src, tmp.resolve("prog.o"), List.of(), null, null);

        CompileResult first = compiler.compile(req);
        assertTrue(usedPch(first), first.command().toString());
        byte[] object = Files.readAllBytes(first.output());
        assertEquals(1, pchs().size());
        Files.writeString(pchs().get(0), "not a precompiled header");

        CompileResult second = compiler.compile(req);
        assertFalse(usedPch(second), "compiled again without it");
        assertEquals(List.of(), messages, "clang's complaint about the PCH is not shown");
        assertArrayEquals(object, Files.readAllBytes(second.output()));
        assertEquals(List.of(), pchs(), "the PCH is dropped");

        CompileResult third = compiler.compile(req);
        assertFalse(usedPch(third), "and not made again for this header, clang and flags");
        assertEquals(List.of(), pchs());
        assertArrayEquals(object, Files.readAllBytes(third.output()));
    }

    @Test
    void aProgramsOwnErrorIsShownOnce() throws Exception {
        Requirements.requireTool("clang");
        Path src = tinyProgram(TINY_PROGRAM.replace("return 0;\n}", "return undeclared;\n}"));
        List<String> messages = new ArrayList<>();
        ClangCompiler compiler = tinyCompiler(messages);
        BeeException e = assertThrows(BeeException.class, () -> compiler.compile(
                new CompileRequest(src, tmp.resolve("prog.o"), List.of(), null, null)));
        assertEquals(ErrorKind.BUILD, e.kind());
        assertEquals(1, messages.stream().filter(l -> l.contains("error: use of undeclared identifier")).count(),
                String.join("\n", messages));
        assertFalse(Files.exists(tmp.resolve("prog.o")));
    }

    @Test
    void programsThatDoNotStartWithTheIncludeAreCompiledAsWritten() throws Exception {
        Requirements.requireTool("clang");
        List<String> messages = new ArrayList<>();
        ClangCompiler compiler = tinyCompiler(messages);
        Path defines = tinyProgram("#define BPF_NO_PRESERVE_ACCESS_INDEX\n" + TINY_PROGRAM);
        assertFalse(usedPch(compiler.compile(new CompileRequest(defines, tmp.resolve("a.o"), List.of(), null, null))));
        Path plain = tinyProgram(TINY_PROGRAM);
        assertTrue(usedPch(compiler.compile(new CompileRequest(plain, tmp.resolve("b.o"), List.of(), null, null))));
        assertFalse(usedPch(compiler.compile(new CompileRequest(plain, tmp.resolve("b.o"), List.of("-DX=1"), null,
                null))), "with --cflags");
        Path header = Files.list(tmp.resolve("cache").resolve("vmlinux")).filter(d -> Files.isRegularFile(
                d.resolve("vmlinux.h"))).findFirst().orElseThrow().resolve("vmlinux.h");
        assertFalse(usedPch(compiler.compile(new CompileRequest(plain, tmp.resolve("c.o"), List.of(), null, header))),
                "with --vmlinux, a header that may have no include guard");
        Files.copy(header, plain.resolveSibling("vmlinux.h"));
        assertFalse(usedPch(compiler.compile(new CompileRequest(plain, tmp.resolve("d.o"), List.of(), null, null))),
                "with a vmlinux.h of its own");
        assertEquals(List.of(), messages);
    }
}
