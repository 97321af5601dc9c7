package dev.bee.core.init;

import dev.bee.core.object.OutputKind;
import dev.bee.core.testing.Requirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The templates are C as {@code clang-format} writes it in the style of the {@code .clang-format} beside
 * them, and so is every program bee init writes from them: an edit that breaks the style fails here.
 */
class TemplateFormatIT {
    private static final Path STYLE = ProgramTemplateTest.TEMPLATES.resolve(".clang-format");

    @Test
    void everyTemplateIsFormatted() throws Exception {
        List<Path> templates = new ArrayList<>();
        try (var list = Files.list(ProgramTemplateTest.TEMPLATES)) {
            list.filter(p -> p.toString().endsWith(".c") || p.toString().endsWith(".h")).sorted().forEach(templates::add);
        }
        assertTrue(templates.size() >= 13, templates.toString());
        Result r = clangFormat(templates);
        assertEquals(0, r.exit(), r.output());
    }

    @Test
    void everyProgramBeeInitWritesIsFormatted(@TempDir Path dir) throws Exception {
        List<Path> programs = new ArrayList<>();
        for (ProgramKind kind : ProgramKind.values()) {
            for (boolean kprobe : new boolean[]{false, true}) {
                if (kprobe && kind != ProgramKind.NETWORK) {
                    continue;
                }
                for (InitChoices.MapKind map : InitChoices.MapKind.values()) {
                    for (OutputKind out : List.of(OutputKind.PRINT, OutputKind.COUNTER, OutputKind.GAUGE, OutputKind.HIST)) {
                        InitChoices c = new InitChoices(kind, kprobe,
                                kind == ProgramKind.SECTION ? "uprobe/libc.so.6:getpid" : null, map, out);
                        String name = kind + (kprobe ? "_kprobe_" : "_") + map + "_" + out + ".c";
                        programs.add(Files.writeString(dir.resolve(name), ProgramTemplate.render(c, name)));
                    }
                }
            }
        }
        assertEquals(40, programs.size());
        Result r = clangFormat(programs);
        assertEquals(0, r.exit(), r.output());
    }

    /** The check can fail: spaces for a tab, and a function's brace on its line, are both caught. */
    @Test
    void aBadlyFormattedEditFails(@TempDir Path dir) throws Exception {
        String probe = Files.readString(ProgramTemplateTest.TEMPLATES.resolve("probe.c"));
        for (String bad : new String[]{probe.replace("\tu32 pid;", "    u32 pid;"),
                probe.replace("int $FUNCTION(void *ctx)\n{", "int $FUNCTION(void *ctx) {"),
                probe.replace("\t\treturn 0;", "\t\t{ return 0; }")}) {
            assertFalse(bad.equals(probe));
            Path file = Files.writeString(dir.resolve("probe.c"), bad);
            Result r = clangFormat(List.of(file));
            assertTrue(r.exit() != 0 && r.output().contains("code should be clang-formatted"), r.output());
        }
    }

    private record Result(int exit, String output) {
    }

    private static Result clangFormat(List<Path> files) throws Exception {
        Path tool = Requirements.requireTool("clang-format");
        List<String> cmd = new ArrayList<>(List.of(tool.toString(), "--dry-run", "-Werror",
                "--style=file:" + STYLE.toAbsolutePath()));
        files.forEach(f -> cmd.add(f.toAbsolutePath().toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "clang-format did not finish");
        return new Result(p.exitValue(), out);
    }
}
