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

        Result second = launch(home, env, "--help");
        assertEquals(first.out(), second.out());
        assertEquals("", second.err());

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
    void withoutAWritableCacheBeeStillRuns(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("not-a-folder");
        Files.writeString(file, "x");
        Result r = launch(file, Map.of(), "version");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("bee "), r.out());
        assertFalse(r.err().contains("cds"), r.err());
    }
}
