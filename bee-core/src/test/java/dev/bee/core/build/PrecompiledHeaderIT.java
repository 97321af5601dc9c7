package dev.bee.core.build;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.testing.Examples;
import dev.bee.core.testing.Requirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
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

    private static final String TINY_VMLINUX = """
            #ifndef __VMLINUX_H__
            #define __VMLINUX_H__
            typedef signed char __s8;
            typedef unsigned char __u8;
            typedef short __s16;
            typedef unsigned short __u16;
            typedef int __s32;
            typedef unsigned int __u32;
            typedef long long __s64;
            typedef unsigned long long __u64;
            typedef __u16 __be16;
            typedef __u32 __be32;
            typedef __u32 __wsum;
            enum bpf_map_type { BPF_MAP_TYPE_RINGBUF = 27 };
            struct event { __u32 pid; };
            #endif
            """;

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

    private Path tinyVmlinux() throws Exception {
        Path h = tmp.resolve("vmlinux-tiny.h");
        Files.writeString(h, TINY_VMLINUX);
        return h;
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
        Path vmlinux = tinyVmlinux();
        List<String> messages = new ArrayList<>();
        ClangCompiler compiler = new ClangCompiler(tmp.resolve("cache"), m -> { }, messages::add);
        CompileRequest req = new CompileRequest(src, tmp.resolve("prog.o"), List.of(), null, vmlinux);

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
        assertTrue(usedPch(third), "and made again");
        assertArrayEquals(object, Files.readAllBytes(third.output()));
    }

    @Test
    void aProgramsOwnErrorIsShownOnce() throws Exception {
        Requirements.requireTool("clang");
        Path src = tinyProgram(TINY_PROGRAM.replace("return 0;\n}", "return undeclared;\n}"));
        List<String> messages = new ArrayList<>();
        ClangCompiler compiler = new ClangCompiler(tmp.resolve("cache"), m -> { }, messages::add);
        BeeException e = assertThrows(BeeException.class, () -> compiler.compile(
                new CompileRequest(src, tmp.resolve("prog.o"), List.of(), null, tinyVmlinux())));
        assertEquals(ErrorKind.BUILD, e.kind());
        assertEquals(1, messages.stream().filter(l -> l.contains("error: use of undeclared identifier")).count(),
                String.join("\n", messages));
        assertFalse(Files.exists(tmp.resolve("prog.o")));
    }

    @Test
    void programsThatDoNotStartWithTheIncludeAreCompiledAsWritten() throws Exception {
        Requirements.requireTool("clang");
        ClangCompiler compiler = new ClangCompiler(tmp.resolve("cache"), m -> { }, System.err::println);
        Path vmlinux = tinyVmlinux();
        Path defines = tinyProgram("#define BPF_NO_PRESERVE_ACCESS_INDEX\n" + TINY_PROGRAM);
        assertFalse(usedPch(compiler.compile(new CompileRequest(defines, tmp.resolve("a.o"), List.of(), null, vmlinux))));
        Path plain = tinyProgram(TINY_PROGRAM);
        assertFalse(usedPch(compiler.compile(new CompileRequest(plain, tmp.resolve("b.o"), List.of("-DX=1"), null,
                vmlinux))), "with --cflags");
        Files.writeString(plain.resolveSibling("vmlinux.h"), TINY_VMLINUX);
        assertFalse(usedPch(compiler.compile(new CompileRequest(plain, tmp.resolve("c.o"), List.of(), null, vmlinux))),
                "with a vmlinux.h of its own");
    }
}
