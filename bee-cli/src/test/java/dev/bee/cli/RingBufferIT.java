package dev.bee.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bee.core.testing.Exposition;
import dev.bee.core.testing.Requirements;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ring buffers tell the truth about loss, and the two readers (mapped memory, libbpf's callbacks) read
 * the same records. The test programs fire on exec of a binary with their own name (a copy of
 * /bin/true), so other processes on the machine do not add events.
 */
class RingBufferIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(40);
    /** ring_loss.c: events each exec of bee_ring_burst writes into its one-page ring buffer. */
    private static final int BURST = 200;
    private static final int EXECS = 5;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void requirements() {
        Requirements.requireRoot();
        Requirements.requireKernelBtf();
        Requirements.requireTool("clang");
    }

    /** Runs bee on {@code object}, execs {@code name} {@code times} times while it reads, and waits for it to end. */
    private static BeeProcess run(Path object, String name, int times, Map<String, String> env) throws Exception {
        return run(object, name, times, env, 0, null);
    }

    /**
     * The same, with metrics on {@code port} (0: none), and {@code whileRunning} called after the execs
     * and before bee ends.
     */
    private static BeeProcess run(Path object, String name, int times, Map<String, String> env, int port,
                                  Consumer<Integer> whileRunning) throws Exception {
        Path binary = tmp.resolve(name);
        if (!Files.exists(binary)) {
            Files.copy(Path.of("/bin/true"), binary);
            binary.toFile().setExecutable(true);
        }
        BeeProcess bee = BeeProcess.start(env, "run", object.toString(), "-o", "json", "--duration", "4s",
                "--prom-address", "127.0.0.1", "--prom-port", Integer.toString(port));
        bee.awaitAttached(TIMEOUT);
        // The tracepoint takes effect a moment after attach returns.
        BeeProcess.sleep(300);
        for (int i = 0; i < times; i++) {
            new ProcessBuilder(binary.toString()).start().waitFor();
            BeeProcess.sleep(50);
        }
        if (whileRunning != null) {
            whileRunning.accept(port);
        }
        assertEquals(0, bee.waitFor(TIMEOUT), bee.err());
        return bee;
    }

    /** The summary row of {@code map}: records, lost (as printed). */
    private static String[] summary(BeeProcess bee, String map) {
        Matcher m = Pattern.compile("(?m)^" + map + "\\s+ring buffer\\s+(\\d+)\\s+\\d+\\s+\\d+\\s+(.+?)\\s+\\d+$")
                .matcher(bee.err());
        assertTrue(m.find(), bee.err());
        return new String[]{m.group(1), m.group(2)};
    }

    @Test
    void countedLossesAreExact() throws Exception {
        try (BeeProcess bee = run(TestObjects.object("ring_loss"), "bee_ring_burst", EXECS, Map.of())) {
            String[] row = summary(bee, "print_bee_burst");
            long records = Long.parseLong(row[0]);
            long lost = Long.parseLong(row[1]);
            assertEquals(records, bee.records("print_bee_burst").size());
            // Far more than one page per exec: the ring overflowed, and every event is either read or counted.
            assertTrue(lost > 0, bee.err());
            assertEquals((long) BURST * EXECS, records + lost, bee.err());
        }
    }

    @Test
    void uncountedLossIsUnknownAndAFullRingIsReported() throws Exception {
        AtomicReference<Exposition> metrics = new AtomicReference<>();
        try (BeeProcess bee = run(TestObjects.object("ring_unknown"), "bee_ring_burst", EXECS, Map.of(), freePort(),
                port -> metrics.set(Exposition.scrape("http://127.0.0.1:" + port + "/metrics", null)))) {
            String lost = summary(bee, "print_bee_burst")[1];
            assertTrue(lost.matches("unknown \\(ring full \\d+ times?\\)"), bee.err());
            Exposition e = metrics.get();
            assertTrue(e.value("bee_map_ring_full_total", "map", "print_bee_burst").orElse(0) >= 1, e.body());
            assertEquals(0, e.value("bee_map_loss_counted", "map", "print_bee_burst").orElse(-1), e.body());
            assertTrue(e.value("bee_map_lost_total", "map", "print_bee_burst").isEmpty(), e.body());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void mappedAndLibbpfReadersGiveTheSameRecords() throws Exception {
        // 20 execs of 100 reservations (a third discarded) of 48-byte records: the 16 KiB ring wraps 8 times.
        Path object = TestObjects.object("ring_mixed");
        List<String> mapped;
        List<String> libbpf;
        try (BeeProcess bee = run(object, "bee_ring_mixed", 20, Map.of())) {
            mapped = events(bee);
        }
        try (BeeProcess bee = run(object, "bee_ring_mixed", 20,
                Map.of("JAVA_TOOL_OPTIONS", "-Dbee.ringbuf.reader=libbpf"))) {
            libbpf = events(bee);
        }
        assertEquals(20 * 67, mapped.size());
        assertEquals(mapped, libbpf);
        assertTrue(mapped.get(1).contains("\"neg\":-1000") && mapped.get(1).contains("\"tag\":\"tag-b\"")
                && mapped.get(1).contains("\"kind\":\"MIX_ODD\"") && mapped.get(1).contains("\"addr\":\"127.0.0.2\""),
                mapped.get(1));
    }

    private static List<String> events(BeeProcess bee) throws IOException {
        return bee.records("print_bee_mixed").stream().map(n -> n.path("event")).map(JsonNode::toString).toList();
    }
}
