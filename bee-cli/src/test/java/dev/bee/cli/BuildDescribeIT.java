package dev.bee.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bee.core.testing.Examples;
import dev.bee.core.testing.Requirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bee build} and {@code bee describe} end to end through the command line. */
class BuildDescribeIT {
    @TempDir
    Path tmp;

    private static void requireBuildTools() {
        Requirements.requireTool("clang");
        Requirements.requireKernelBtf();
    }

    @Test
    void buildThenDescribeAsTextAndJson() throws Exception {
        requireBuildTools();
        Path out = tmp.resolve("opensnoop.o");
        CliRun build = CliRun.of("build", Examples.source("opensnoop").toString(), "-o", out.toString());
        assertEquals(0, build.exitCode(), build.err());
        assertTrue(Files.size(out) > 1000);
        assertTrue(build.err().contains("wrote " + out + " (2 programs, 3 maps)"), build.err());

        CliRun text = CliRun.of("describe", out.toString());
        assertEquals(0, text.exitCode(), text.err());
        assertTrue(text.out().contains("license:  GPL"), text.out());
        assertTrue(text.out().matches("(?s).*handle_enter\\s+tracepoint\\s+tracepoint\\s+syscalls/sys_enter_openat.*"),
                text.out());
        assertTrue(text.out().matches("(?s).*print_opens\\s+ringbuf\\s+-\\s+struct event_t\\s+1048576\\s+print.*"),
                text.out());
        assertTrue(text.out().matches("(?s).*include_failed\\s+const volatile bool\\s+\\.rodata\\s+true.*"), text.out());

        CliRun json = CliRun.of("describe", out.toString(), "-o", "json");
        assertEquals(0, json.exitCode(), json.err());
        JsonNode doc = new ObjectMapper().readTree(json.out());
        assertEquals("GPL", doc.get("license").asText());
        assertEquals("syscalls/sys_exit_openat", doc.get("programs").get(1).get("target").asText());
        assertEquals("RINGBUF", doc.get("maps").get(1).get("type").asText());
        assertEquals("PRINT", doc.get("maps").get(1).get("output").asText());
        assertEquals(0, doc.get("globals").get(0).get("defaultValue").asInt());
    }

    @Test
    void printkFormatStringsAreNoGlobals() throws Exception {
        requireBuildTools();
        Path obj = TestObjects.object("printk");
        String text = CliRun.of("describe", obj.toString()).out();
        assertFalse(text.contains("____fmt"), text);
        assertTrue(text.matches("(?s).*target_pid\\s+const volatile u32\\s+\\.rodata\\s+0.*"), text);

        JsonNode doc = new ObjectMapper().readTree(CliRun.of("describe", obj.toString(), "-o", "json").out());
        assertEquals(List.of("target_pid", "max_u64"), doc.get("globals").findValuesAsText("name"));

        // Nor may --set offer or take them; checked before anything is loaded.
        try (BeeProcess bee = BeeProcess.run(Duration.ofSeconds(60), "run", obj.toString(), "--prom-port", "0",
                "--set", "handle_exec.____fmt=x")) {
            assertEquals(2, bee.exitCode(), bee.err());
            assertTrue(bee.err().contains("the object has no global named 'handle_exec.____fmt'"), bee.err());
            assertTrue(bee.err().contains("settable globals: target_pid, max_u64\n"), bee.err());
        }
    }

    @Test
    void objectAndImageViewsAgree() throws Exception {
        requireBuildTools();
        Path src = Path.of("src", "test", "resources", "objects", "printk.c").toAbsolutePath();
        Path out = tmp.resolve("printk.o");
        Path store = tmp.resolve("store");
        CliRun build = CliRun.of("build", src.toString(), "printk:v1", "-o", out.toString(), "--storage", store.toString());
        assertEquals(0, build.exitCode(), build.err());
        assertTrue(build.err().contains("wrote " + out + " (1 program, 1 map)"), build.err());

        String file = CliRun.of("describe", out.toString()).out();
        String image = CliRun.of("describe", "printk:v1", "--storage", store.toString()).out();
        for (String text : List.of(file, image)) {
            assertTrue(text.matches("(?s).*\\nprint_execs\\s+ringbuf\\s+-\\s+struct event_t\\s+4096\\s+print\\n.*"),
                    "a ring buffer has no key: " + text);
        }
        assertTrue(image.matches("(?s).*\\nbuilt by:  clang \\d+\\.\\d+\\S* from printk\\.c \\(.*"), image);

        String fileJson = CliRun.of("describe", out.toString(), "-o", "json").out();
        String imageJson = CliRun.of("describe", "printk:v1", "-o", "json", "--storage", store.toString()).out();
        for (JsonNode map : List.of(new ObjectMapper().readTree(fileJson).get("maps").get(0),
                new ObjectMapper().readTree(imageJson).get("object").get("maps").get(0))) {
            assertEquals(0, map.get("keySize").asInt(), map.toString());
            assertTrue(map.get("keyType").isNull(), map.toString());
        }
        // u64 2^64-1 is written as its exact digits, not rounded through a double.
        for (String json : List.of(fileJson, imageJson)) {
            assertTrue(json.contains("\"defaultValue\" : 18446744073709551615"), json);
        }
    }

    @Test
    void defaultOutputIsTheSourceWithDotO() throws Exception {
        requireBuildTools();
        Path src = tmp.resolve("mine.c");
        Files.copy(Examples.source("execsnoop"), src);
        CliRun build = CliRun.of("build", src.toString(), "--cflags", "-DUNUSED=1 -Wall");
        assertEquals(0, build.exitCode(), build.err());
        assertTrue(Files.isRegularFile(tmp.resolve("mine.o")));
    }

    @Test
    void compileErrorShowsClangDiagnosticsAndLeavesNoFile() throws Exception {
        requireBuildTools();
        Path src = tmp.resolve("broken.c");
        Files.writeString(src, "#include \"vmlinux.h\"\nint broken(void) { return undefined_thing; }\n");
        Path out = tmp.resolve("broken.o");
        CliRun build = CliRun.of("build", src.toString(), "-o", out.toString());
        assertEquals(4, build.exitCode());
        assertTrue(build.err().contains("use of undeclared identifier 'undefined_thing'"), build.err());
        assertTrue(build.err().contains("bee: error: clang could not compile " + src), build.err());
        assertFalse(Files.exists(out));
        try (var files = Files.list(tmp)) {
            assertEquals(1, files.count(), "no temp files left behind");
        }
    }

    @Test
    void missingClangSaysHowToInstall() {
        CliRun build = CliRun.of("build", Examples.source("execsnoop").toString(), "--clang", "/nonexistent/clang");
        assertEquals(9, build.exitCode());
        assertTrue(build.err().contains("--clang /nonexistent/clang is not an executable file"), build.err());
        assertTrue(build.err().contains("hint: "), build.err());
    }

    @Test
    void missingSourceIsNotFound() {
        CliRun build = CliRun.of("build", tmp.resolve("nope.c").toString());
        assertEquals(7, build.exitCode());
        assertTrue(build.err().contains("nope.c: no such file"), build.err());
    }

    @Test
    void describeRejectsGarbageWithExitCode3() throws Exception {
        Path junk = tmp.resolve("junk.o");
        Files.write(junk, new byte[]{1, 2, 3, 4, 5});
        CliRun run = CliRun.of("describe", junk.toString());
        assertEquals(3, run.exitCode());
        assertTrue(run.err().startsWith("bee: error: " + junk + ": not an ELF file"), run.err());
        assertTrue(run.err().contains("hint:"), run.err());
        assertEquals("", run.out());
    }

    @Test
    void usageErrorsExitWith2() {
        CliRun run = CliRun.of("describe");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("Missing required parameter"), run.err());
    }
}
