package dev.bee.cli;

import dev.bee.core.testing.Requirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The `bee` launcher as users run it: the class data sharing archive is made on first use, used after,
 * and a corrupt or stale one changes nothing a user sees; the JDK can be chosen.
 */
class LauncherIT {
    private record Result(int code, String out, String err) {
    }

    private static Result launch(Path home, Map<String, String> env, String... args) throws Exception {
        Path launcher = Path.of("target", "bee").toAbsolutePath();
        Requirements.require(Files.isExecutable(launcher), "the launcher is copied by mvn package");
        ProcessBuilder pb = new ProcessBuilder(Stream.concat(Stream.of(launcher.toString()), Stream.of(args)).toList());
        pb.environment().put("BEE_HOME", home.toString());
        pb.environment().remove("BEE_JAVA");
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        String err = new String(p.getErrorStream().readAllBytes());
        return new Result(p.waitFor(), out, err);
    }

    private static List<Path> archives(Path home) throws IOException {
        Path cache = home.resolve("cache");
        if (!Files.isDirectory(cache)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(cache)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jsa")).toList();
        }
    }

    private static void archiveLifecycle(Path home, Map<String, String> env) throws Exception {
        Result first = launch(home, env, "--help");
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("Usage: bee"), first.out());
        assertEquals("", first.err(), "nothing about class sharing on stderr");
        List<Path> made = archives(home);
        assertEquals(1, made.size(), "one archive made on first use: " + made);
        assertTrue(Files.size(made.get(0)) > 100_000, "a real archive");

        // Used: bee's classes and picocli's come from it (the JDK leaves out Java 5 class files, as
        // picocli's were before bee.jar rewrote them, which once left the command line out of it).
        Path classLog = home.resolve("class-load.txt");
        Map<String, String> logging = new java.util.HashMap<>(env);
        logging.put("BEE_JAVA_OPTS", "-Xlog:class+load:file=" + classLog);
        Result second = launch(home, logging, "--help");
        assertEquals(first.out(), second.out());
        assertEquals("", second.err());
        List<String> loaded = Files.readAllLines(classLog);
        List<String> archived = List.of("dev.bee.cli.Main", "picocli.CommandLine", "picocli.CommandLine$Model$CommandSpec");
        for (String c : archived) {
            assertTrue(loaded.stream().anyMatch(l -> l.contains(" " + c + " source: shared objects file")),
                    c + " not from the archive:\n" + loaded.stream().filter(l -> l.contains(" " + c + " ")).toList());
        }

        // `bee run` gets a smaller archive of its own.
        Result run = launch(home, env, "run", "--help");
        assertEquals(0, run.code(), run.err());
        assertEquals("", run.err());
        List<Path> both = archives(home);
        assertEquals(2, both.size(), both.toString());
        Path runArchive = both.stream().filter(a -> a.getFileName().toString().startsWith("bee-run-")).findFirst()
                .orElseThrow();
        assertTrue(Files.size(runArchive) > 100_000 && Files.size(runArchive) < Files.size(made.get(0)),
                "run's archive holds only what a run loads: " + Files.size(runArchive));

        // Corrupt: overwritten with garbage; the output is the same and nothing is said.
        Files.write(made.get(0), new byte[4096]);
        Result corrupt = launch(home, env, "--help");
        assertEquals(0, corrupt.code(), corrupt.err());
        assertEquals(first.out(), corrupt.out());
        assertEquals("", corrupt.err());

        Result off = launch(home, Map.of("BEE_CDS", "off"), "--help");
        assertEquals(first.out(), off.out());
    }

    @Test
    void theArchiveIsMadeUsedAndIgnoredWhenBroken(@TempDir Path home) throws Exception {
        archiveLifecycle(home, Map.of());
    }

    @Test
    void theJdkOfThisBuildWorksToo(@TempDir Path home) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        archiveLifecycle(home, Map.of("BEE_JAVA", java));
        Result v = launch(home, Map.of("BEE_JAVA", java), "version", "-o", "json");
        assertEquals(0, v.code(), v.err());
        assertTrue(v.out().contains("\"java\" : \"" + System.getProperty("java.version")), v.out());
    }

    @Test
    void verboseShowsDebugLogsThoughLibbpfIsBoundBeforeTheFlagsAreParsed(@TempDir Path home) throws Exception {
        Requirements.requireRoot();
        String object = dev.bee.core.testing.Examples.object("execsnoop").toString();
        Result quiet = launch(home, Map.of(), "verify", object);
        assertEquals(0, quiet.code(), quiet.err());
        assertFalse(quiet.err().contains("DEBUG"), quiet.err());
        // libbpf's own debug lines come through its logger, which must not be made (at the default level)
        // by the binding that starts before picocli has read -v.
        Result verbose = launch(home, Map.of(), "verify", object, "-v");
        assertEquals(0, verbose.code(), verbose.err());
        assertTrue(verbose.err().contains("[DEBUG] libbpf - "), verbose.err());
    }

    @Test
    void theConfigDirMovesTheArchivesAndBothScansFindTheCommandAfterIt(@TempDir Path home, @TempDir Path other)
            throws Exception {
        Result r = launch(home, Map.of(), "--config-dir", other.toString(), "run", "--help");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Usage: bee run"), "the JVM's scan found run: " + r.out());
        assertEquals(List.of(), archives(home), "nothing under BEE_HOME when --config-dir moves bee's folder");
        List<Path> moved = archives(other);
        assertEquals(1, moved.size(), moved.toString());
        assertTrue(moved.get(0).getFileName().toString().startsWith("bee-run-"),
                "the launcher's scan found run too: " + moved);
    }

    @Test
    void aTrainingStepThatFailsIsShownUnderVerboseAndTheRestIsStillArchived(@TempDir Path home) throws Exception {
        Requirements.requireTool("clang");
        Requirements.requireKernelBtf();
        // The training builds into bee's cache, where vmlinux.h's folder is a file: its build step fails (exit 10).
        Files.createDirectories(home.resolve("cache"));
        Files.writeString(home.resolve("cache").resolve("vmlinux"), "not a folder");
        Result r = launch(home, Map.of(), "-v", "--help");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Usage: bee"), r.out());
        assertTrue(r.err().matches("(?s)bee cds-training: failed 'bee build \\S+training\\.c .*' \\(exit 10\\): bee: error: .*"),
                r.err());
        assertEquals(1, archives(home).size(), "the archive of the other steps is kept");
        Result quiet = launch(home, Map.of(), "--help");
        assertEquals("", quiet.err(), "made once; and said only under -v");
    }

    @Test
    void withoutAWritableCacheBeeStillRuns(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("not-a-folder");
        Files.writeString(file, "x");
        Result r = launch(file, Map.of(), "version");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("bee "), r.out());
        assertFalse(r.err().contains("cds"), r.err());
    }
}
