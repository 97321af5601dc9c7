package dev.bee.core.init;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.object.OutputKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What bee init writes for each choice (that it builds and runs is InitIT's job, with clang and the kernel). */
class ProgramTemplateTest {
    /** The templates as they are in the source tree (the tests run in the module's folder). */
    static final Path TEMPLATES = Path.of("src/main/resources" + SourceTemplate.FOLDER);
    private static final List<OutputKind> OUTPUTS = List.of(OutputKind.PRINT, OutputKind.COUNTER, OutputKind.GAUGE,
            OutputKind.HIST);

    @Test
    void everyCombinationFollowsTheConventions() {
        for (ProgramKind kind : ProgramKind.values()) {
            for (InitChoices.MapKind map : InitChoices.MapKind.values()) {
                for (OutputKind out : OUTPUTS) {
                    InitChoices c = new InitChoices(kind, false,
                            kind == ProgramKind.SECTION ? "tracepoint/syscalls/sys_enter_openat" : null, map, out);
                    String src = ProgramTemplate.render(c, "x.c");
                    String name = ProgramTemplate.mapName(c);
                    assertTrue(name.startsWith(out.prefix()), name);
                    assertTrue(src.contains("} " + name + " SEC(\".maps\");"), src);
                    assertTrue(src.contains("#include \"bee_types.h\""), "display hints: " + src);
                    assertTrue(src.contains("const volatile u32 target_"), "a filter global: " + src);
                    assertTrue(src.contains("Add fields here"), "where a user adds fields: " + src);
                    assertTrue(src.contains("bee build x.c -o x.o") && src.contains("bee run x.o"), src);
                    if (map == InitChoices.MapKind.RINGBUF) {
                        assertTrue(src.contains("__type(value, struct event_t);"), "typed ring buffer: " + src);
                    } else {
                        assertTrue(src.contains("__type(key, struct key_t);"), src);
                    }
                    assertFalse(src.contains("$"), "every placeholder filled: " + src);
                    if (out == OutputKind.HIST) {
                        // A duration, so bee exports the bounds in seconds like every other duration.
                        assertTrue(src.contains("\tduration le; /* "), "histograms observe le: " + src);
                    }
                }
            }
        }
    }

    @Test
    void kprobeNetworkUsesTheConnectProbesAndTheSectionIsWrittenAsGiven() {
        String k = ProgramTemplate.render(new InitChoices(ProgramKind.NETWORK, true, null, InitChoices.MapKind.HASH,
                OutputKind.COUNTER), "c.c");
        assertTrue(k.contains("SEC(\"kprobe/tcp_v4_connect\")") && k.contains("SEC(\"kretprobe/tcp_v4_connect\")"), k);
        assertFalse(k.contains("inet_sock_set_state"), k);
        String s = ProgramTemplate.render(new InitChoices(ProgramKind.SECTION, false, "uprobe/libc.so.6:getpid",
                InitChoices.MapKind.RINGBUF, OutputKind.PRINT), "p.c");
        assertTrue(s.contains("SEC(\"uprobe/libc.so.6:getpid\")\nint on_uprobe_libc_so_6_getpid(void *ctx)"), s);
    }

    /** Issue 21: the histograms' le is a duration in nanoseconds (seconds in metrics), not microseconds. */
    @Test
    void histogramsAreInNanosecondsNotMicroseconds() {
        for (InitChoices.MapKind map : InitChoices.MapKind.values()) {
            String src = ProgramTemplate.render(new InitChoices(ProgramKind.FILE_SYSTEM, false, null, map,
                    OutputKind.HIST), "h.c");
            assertFalse(src.contains("/ 1000") || src.contains("u64 le") || src.contains("microseconds"), src);
            assertTrue(src.contains(map == InitChoices.MapKind.RINGBUF ? "\te->le = delta_ns;\n"
                    : "\tkey.le = 1000; /* 1 us, doubled until the bucket holds the latency */\n"
                    + "\tfor (int i = 0; i < 40 && key.le < delta_ns; i++)\n\t\tkey.le <<= 1;\n"), src);
        }
    }

    /** Each kind's info_t gives the event and key their fields, labels first, and record() copies them. */
    @Test
    void theFieldsComeFromTheProgramsInfoStruct() {
        ProgramTemplate.Info info = ProgramTemplate.Info.of(SourceTemplate.load("file_open.c"), List.of("comm"));
        assertEquals(List.of(new ProgramTemplate.Member("char comm[16];", "comm", true)), info.labels());
        assertEquals(List.of(new ProgramTemplate.Member("u32 pid;", "pid", false),
                new ProgramTemplate.Member("char filename[64];", "filename", true),
                new ProgramTemplate.Member("s32 ret; /* the fd, or -errno */", "ret", false)), info.details());
        String print = ProgramTemplate.render(new InitChoices(ProgramKind.FILE_SYSTEM, false, null,
                InitChoices.MapKind.RINGBUF, OutputKind.PRINT), "f.c");
        assertTrue(print.contains("struct event_t {\n\tchar comm[16];\n\tu32 pid;\n\tchar filename[64];\n"
                + "\ts32 ret; /* the fd, or -errno */\n\tduration latency; /* shown as 1.5ms */\n};"), print);
        assertTrue(print.contains("\t__builtin_memcpy(e->comm, info->comm, sizeof(e->comm));\n\te->pid = info->pid;\n"
                + "\t__builtin_memcpy(e->filename, info->filename, sizeof(e->filename));\n\te->ret = info->ret;\n"
                + "\te->latency = delta_ns;\n"), print);
        String key = ProgramTemplate.render(new InitChoices(ProgramKind.NETWORK, true, null,
                InitChoices.MapKind.HASH, OutputKind.GAUGE), "n.c");
        assertTrue(key.contains("struct key_t {\n\tipv4_addr daddr; /* shown as 10.0.0.1 */\n\tu16 dport;\n};"), key);
        assertTrue(key.contains("\tkey.daddr = info->daddr;\n\tkey.dport = info->dport;\n"), key);
    }

    @Test
    void anInfoStructTheTemplatesCannotUseIsAnError() {
        for (String bad : new String[]{"struct other {\n\tu32 pid;\n};\n", "struct info_t {\n\tu32 pid;\n",
                "struct info_t {\n\tvoid (*f)(void);\n};\n", "struct info_t {\n\tu32 a, b;\n};\n",
                "struct info_t {\n\tu32 pid;\n};\n"}) {
            SourceTemplate t = new SourceTemplate("bad.c", bad);
            assertThrows(IllegalStateException.class, () -> ProgramTemplate.Info.of(t, List.of("comm")), bad);
        }
    }

    /** Every file beside the templates is one some choice uses: none is dead, none is missing. */
    @Test
    void everyTemplateIsUsedAndEveryChoiceHasItsTemplates() throws Exception {
        Set<String> used = new TreeSet<>();
        for (ProgramKind kind : ProgramKind.values()) {
            for (boolean kprobe : new boolean[]{false, true}) {
                if (kprobe && kind != ProgramKind.NETWORK) {
                    continue;
                }
                for (InitChoices.MapKind map : InitChoices.MapKind.values()) {
                    for (OutputKind out : OUTPUTS) {
                        InitChoices c = new InitChoices(kind, kprobe,
                                kind == ProgramKind.SECTION ? "raw_tp/sched_switch" : null, map, out);
                        used.addAll(ProgramTemplate.templates(c));
                        assertFalse(ProgramTemplate.render(c, "x.c").contains("$"), c.toString());
                    }
                }
            }
        }
        Set<String> files = new TreeSet<>();
        try (var list = Files.list(TEMPLATES)) {
            list.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".clang-format")).forEach(files::add);
        }
        assertEquals(files, used);
    }

    /** A '$' in a section is the section's, not a placeholder. */
    @Test
    void aSectionWithADollarIsWrittenAsGiven() {
        String src = ProgramTemplate.render(new InitChoices(ProgramKind.SECTION, false, "uprobe/libx.so:f$MAP",
                InitChoices.MapKind.RINGBUF, OutputKind.COUNTER), "$FILE.c");
        assertTrue(src.contains("SEC(\"uprobe/libx.so:f$MAP\")\nint on_uprobe_libx_so_f_map(void *ctx)"), src);
        assertTrue(src.contains("/* $FILE.c: every hit of uprobe/libx.so:f$MAP,"), src);
        assertTrue(src.contains("bee build $FILE.c -o $FILE.o"), src);
    }

    @Test
    void choicesThatCannotWorkAreUsageErrors() {
        for (Runnable bad : List.<Runnable>of(
                () -> new InitChoices(ProgramKind.PROCESS, true, null, InitChoices.MapKind.HASH, OutputKind.PRINT),
                () -> new InitChoices(ProgramKind.SECTION, false, "xdp", InitChoices.MapKind.HASH, OutputKind.PRINT),
                () -> new InitChoices(ProgramKind.SECTION, false, "nonsense/x", InitChoices.MapKind.HASH, OutputKind.PRINT),
                () -> new InitChoices(ProgramKind.NETWORK, false, "tracepoint/a/b", InitChoices.MapKind.HASH, OutputKind.PRINT),
                () -> new InitChoices(ProgramKind.NETWORK, false, null, InitChoices.MapKind.HASH, OutputKind.NONE))) {
            assertEquals(ErrorKind.USAGE, assertThrows(BeeException.class, bad::run).kind());
        }
    }

    /** The section is written into the C source: nothing in it may become code (issue 19: a newline did). */
    @Test
    void aSectionThatWouldChangeTheSourceIsRefused() {
        for (String bad : new String[]{"tracepoint/a/b\nint evil;", "tracepoint/a/b\r", "tracepoint/a\tb",
                "tracepoint/a/b\")", "tracepoint/a\\b", "tracepoint/a/b*/", "tracepoint/a/\u0000"}) {
            BeeException e = assertThrows(BeeException.class, () -> new InitChoices(ProgramKind.SECTION, false, bad,
                    InitChoices.MapKind.HASH, OutputKind.PRINT), bad);
            assertEquals(ErrorKind.USAGE, e.kind());
            assertTrue(e.getMessage().contains("a section name has no"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), "shown escaped: " + e.getMessage());
        }
        String ok = ProgramTemplate.render(new InitChoices(ProgramKind.SECTION, false, "uprobe/libc.so.6:getpid",
                InitChoices.MapKind.HASH, OutputKind.PRINT), "p.c");
        assertTrue(ok.contains("SEC(\"uprobe/libc.so.6:getpid\")"), ok);
    }

    @Test
    void neverOverwritesWithoutForce(@TempDir Path dir) throws Exception {
        InitChoices c = new InitChoices(ProgramKind.FILE_SYSTEM, false, null, InitChoices.MapKind.RINGBUF, OutputKind.PRINT);
        Path f = dir.resolve("mine.c");
        Files.writeString(f, "my work");
        BeeException e = assertThrows(BeeException.class, () -> NewProgram.write(f, c, false));
        assertTrue(e.hint().contains("--force"), e.hint());
        assertEquals("my work", Files.readString(f));
        NewProgram.Written w = NewProgram.write(f, c, true);
        assertEquals("print_opens", w.map());
        assertEquals(dir.resolve("mine.o"), w.object());
        assertTrue(Files.readString(f).contains("sys_enter_openat"));
        assertEquals(ErrorKind.USAGE, assertThrows(BeeException.class,
                () -> NewProgram.write(dir.resolve("noext"), c, false)).kind());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temp files left");
        }
    }
}
