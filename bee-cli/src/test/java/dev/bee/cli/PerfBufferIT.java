package dev.bee.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bee.core.testing.Requirements;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Perf buffers read in place: the kernel's lost-sample records make the loss count exact, bee's own
 * reader and libbpf's give the same records, and a ring buffer and a perf buffer in one object are read
 * through one wait. perf_events.c fires on exec of binaries with its own names (copies of /bin/true), run
 * on CPU 0 (taskset) so that a flood's pending lost count is reported by the next sample on that CPU.
 */
class PerfBufferIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(40);
    /** perf_events.c: events per exec of bee_perf_small (perf and ring) and of bee_perf_flood (perf only). */
    private static final int SMALL = 50;
    private static final int FLOOD = 6000;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void requirements() {
        Requirements.requireRoot();
        Requirements.requireKernelBtf();
        Requirements.requireTool("clang");
        Requirements.requireTool("taskset");
    }

    /** Runs bee on perf_events.o with {@code env}, execs each of {@code names} on CPU 0 in turn, waits for it. */
    private static BeeProcess run(Map<String, String> env, List<String> names) throws Exception {
        return run(env, names, false);
    }

    /**
     * The same, with bee itself on CPU 0 when {@code sameCpu}: the program runs with preemption off, so bee
     * cannot read the buffer while a flood fills it (on another CPU it may keep up, and nothing is lost).
     */
    private static BeeProcess run(Map<String, String> env, List<String> names, boolean sameCpu) throws Exception {
        String[] args = {"run", TestObjects.object("perf_events").toString(), "-o", "json", "--duration", "4s",
                "--prom-port", "0"};
        BeeProcess bee = sameCpu
                ? BeeProcess.startAs(List.of("taskset", "-c", "0"), Path.of("target", "bee.jar").toAbsolutePath(),
                        tmp, env, args)
                : BeeProcess.start(env, args);
        bee.awaitAttached(TIMEOUT);
        BeeProcess.sleep(300); // the tracepoint takes effect a moment after attach returns
        for (String name : names) {
            Path binary = tmp.resolve(name);
            if (!Files.exists(binary)) {
                Files.copy(Path.of("/bin/true"), binary);
                assertTrue(binary.toFile().setExecutable(true));
            }
            assertEquals(0, new ProcessBuilder("taskset", "-c", "0", binary.toString()).start().waitFor());
            BeeProcess.sleep(50);
        }
        assertEquals(0, bee.waitFor(TIMEOUT), bee.err());
        return bee;
    }

    /** The summary row of {@code map}: records, lost (as printed). */
    private static String[] summary(BeeProcess bee, String map, String source) {
        Matcher m = Pattern.compile("(?m)^" + map + "\\s+" + source + "\\s+(\\d+)\\s+\\d+\\s+\\d+\\s+(.+?)\\s+\\d+$")
                .matcher(bee.err());
        assertTrue(m.find(), bee.err());
        return new String[]{m.group(1), m.group(2)};
    }

    @Test
    void lostSamplesAreCountedExactly() throws Exception {
        List<String> names = new ArrayList<>(List.of("bee_perf_flood", "bee_perf_flood", "bee_perf_flood"));
        names.add("bee_perf_small"); // the flood's last lost count is written before this one's samples
        try (BeeProcess bee = run(Map.of(), names, true)) {
            String[] row = summary(bee, "print_bee_perf", "perf buffer");
            long lost = Long.parseLong(row[1]);
            List<JsonNode> perf = bee.records("print_bee_perf");
            long flood = perf.stream().filter(n -> n.path("event").path("flood").asLong() == 1).count();
            long small = perf.size() - flood;
            assertEquals(SMALL, small, bee.err());
            assertEquals(Long.parseLong(row[0]), perf.size());
            assertTrue(lost > 0, "6000 samples of 56 bytes overflow 256 KiB: " + bee.err());
            assertEquals(3L * FLOOD, flood + lost, bee.err());
        }
    }

    @Test
    void bothReadersGiveTheSameRecordsAndTheRingIsReadBesideThePerfBuffer() throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            names.add("bee_perf_small");
        }
        List<String> mapped;
        List<String> libbpf;
        List<String> ring;
        try (BeeProcess bee = run(Map.of(), names)) {
            mapped = events(bee, "print_bee_perf");
            ring = events(bee, "print_bee_ring");
            assertEquals("0", summary(bee, "print_bee_perf", "perf buffer")[1]);
            assertEquals("0", summary(bee, "print_bee_ring", "ring buffer")[1]);
        }
        try (BeeProcess bee = run(Map.of("JAVA_TOOL_OPTIONS", "-Dbee.perfbuf.reader=libbpf"), names)) {
            libbpf = events(bee, "print_bee_perf");
        }
        assertEquals(20 * SMALL, mapped.size());
        assertEquals(mapped, libbpf);
        assertEquals(mapped, ring, "the same events through the ring buffer");
        assertTrue(mapped.get(3).contains("\"i\":3") && mapped.get(3).contains("\"neg\":-3000"), mapped.get(3));
    }

    private static List<String> events(BeeProcess bee, String map) throws IOException {
        return bee.records(map).stream().map(n -> n.path("event")).map(JsonNode::toString).toList();
    }
}
