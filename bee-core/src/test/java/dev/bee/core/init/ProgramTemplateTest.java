package dev.bee.core.init;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.object.OutputKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What bee init writes for each choice (that it builds and runs is InitIT's job, with clang and the kernel). */
class ProgramTemplateTest {
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
                    if (out == OutputKind.HIST) {
                        assertTrue(src.contains("u64 le;"), "histograms observe le: " + src);
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
