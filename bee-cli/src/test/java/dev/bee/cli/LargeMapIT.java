package dev.bee.cli;

import dev.bee.core.testing.Exposition;
import dev.bee.core.testing.RegistryServer;
import dev.bee.core.testing.Requirements;
import jnr.ffi.LibraryLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A counter_ hash map that gains 210,000 keys at once (src/test/resources/objects/map_flood.c), under
 * the launcher's real heap limit for `bee run` (-Xmx48m): bee stays up, says it cannot read the map in
 * one poll (a warning, bee_map_polls_unfinished_total, the summary) and ends cleanly on SIGTERM. It
 * died of OutOfMemoryError within 2 s when the poller kept two decoded copies of every entry.
 */
class LargeMapIT {
    private static final int MAGIC = 0x666c6f6f;

    /** libc's getpriority: the kernel refuses the made-up arguments after the tracepoint saw them. */
    public interface LibC {
        int getpriority(int which, int who);
    }

    @Test
    void aMapOf210kKeysIsPolledWithinTheLaunchersHeap(@TempDir Path home) throws Exception {
        Requirements.requireRoot();
        Path launcher = Path.of("target", "bee").toAbsolutePath();
        Requirements.require(Files.isExecutable(launcher), "the launcher is copied by mvn package");
        Path obj = TestObjects.object("map_flood");
        int port = RegistryServer.freePort();
        Path out = home.resolve("out.txt");
        Path err = home.resolve("err.txt");
        ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "run", obj.toString(), "--no-tty",
                "--prom-address", "127.0.0.1", "--prom-port", Integer.toString(port))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("BEE_HOME", home.toString());
        pb.environment().put("BEE_CDS", "off");
        pb.environment().remove("BEE_JAVA_OPTS");
        pb.environment().remove("BEE_RUN_JAVA_OPTS");
        Process bee = pb.start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!Files.readString(err).contains("bee: running ")) {
                assertTrue(bee.isAlive(), "bee ended before attaching:\n" + Files.readString(err));
                assertTrue(System.nanoTime() < deadline, "bee did not attach:\n" + Files.readString(err));
                Thread.sleep(100);
            }
            assertTrue(ProcessHandle.of(bee.pid()).flatMap(h -> h.info().arguments()).map(List::of)
                    .orElseThrow().contains("-Xmx48m"), "runs with the launcher's heap limit");
            LibraryLoader.create(LibC.class).load("c").getpriority(MAGIC, 210_000);

            // Several polls later: still up, behind and saying so in its own metrics.
            Exposition e = null;
            double unfinished = 0;
            deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (unfinished == 0 && System.nanoTime() < deadline) {
                Thread.sleep(500);
                assertTrue(bee.isAlive(), "bee died:\n" + Files.readString(err));
                e = Exposition.scrape("http://127.0.0.1:" + port + "/metrics", null);
                unfinished = e.value("bee_map_polls_unfinished_total", "map", "counter_flood").orElse(0);
            }
            assertTrue(unfinished > 0, "polls over the map are counted as unfinished:\n" + (e == null ? "" : e.body()));
            // Every key shown once, over several polls; unchanged entries are not shown again.
            double records = 0;
            deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (records < 210_000 && System.nanoTime() < deadline) {
                Thread.sleep(1000);
                assertTrue(bee.isAlive(), "bee died:\n" + Files.readString(err));
                e = Exposition.scrape("http://127.0.0.1:" + port + "/metrics", null);
                records = e.value("bee_map_records_total", "map", "counter_flood").orElse(0);
            }
            assertEquals(210_000, records, "each new key is one record");
            Thread.sleep(3000);
            assertTrue(bee.isAlive(), "bee died:\n" + Files.readString(err));
            e = Exposition.scrape("http://127.0.0.1:" + port + "/metrics", null);
            assertEquals(210_000, e.value("bee_map_records_total", "map", "counter_flood").orElse(0), e.body());
            assertEquals(0, e.value("bee_map_untracked_entries", "map", "counter_flood").orElse(-1), e.body());

            new ProcessBuilder("kill", "-TERM", Long.toString(bee.pid())).start().waitFor();
            assertTrue(bee.waitFor(15, TimeUnit.SECONDS), "bee did not end after SIGTERM");
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            assertEquals(0, bee.exitValue(), stderr);
            assertFalse(stderr.contains("OutOfMemoryError"), stderr);
            assertTrue(stderr.contains("counter_flood: one poll read "), stderr);
            assertTrue(stderr.matches("(?s).*bee: counter_flood did not keep up: \\d+ polls? unfinished.*"), stderr);
            long lines;
            try (var s = Files.lines(out)) {
                lines = s.filter(l -> l.contains("counter_flood")).count();
            }
            assertEquals(210_000, lines, "entries shown");
        } finally {
            bee.destroyForcibly();
        }
    }

    /** An LPM trie's batches go on from a key (the kernel's generic batch reads), not a bucket: changes and all. */
    @Test
    void anLpmTrieIsReadInBatchesThatResumeFromAKey() {
        Requirements.requireRoot();
        Path obj = TestObjects.object("map_trie");
        LibC libc = LibraryLoader.create(LibC.class).load("c");
        try (BeeProcess bee = BeeProcess.start("run", obj.toString(), "-o", "json", "--interval", "100ms",
                "--prom-port", "0")) {
            bee.awaitAttached(Duration.ofSeconds(60));
            libc.getpriority(0x74726965, 5);
            awaitRecords(bee, 3);
            libc.getpriority(0x74726965, 7);
            awaitRecords(bee, 6);
            bee.signal("TERM");
            assertEquals(0, bee.waitFor(Duration.ofSeconds(15)), bee.err());
            List<com.fasterxml.jackson.databind.JsonNode> r = bee.records("counter_prefixes");
            assertEquals(6, r.size(), bee.out());
            assertEquals(List.of(8L, 16L, 24L), r.subList(0, 3).stream().map(n -> n.get("key").get("prefixlen").asLong())
                    .sorted().toList(), bee.out());
            assertTrue(r.subList(3, 6).stream().allMatch(n -> n.get("value").asLong() == 7), bee.out());
        }
    }

    private static void awaitRecords(BeeProcess bee, int n) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (bee.records("counter_prefixes").size() < n && System.nanoTime() < deadline) {
            BeeProcess.sleep(100);
        }
        assertEquals(n, bee.records("counter_prefixes").size(), bee.out() + bee.err());
    }
}
