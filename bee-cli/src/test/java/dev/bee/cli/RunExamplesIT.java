package dev.bee.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bee.core.kernel.KernelEnvironment;
import dev.bee.core.testing.Examples;
import dev.bee.core.testing.Requirements;
import jnr.ffi.LibraryLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bee run on the examples, as a separate process on the real kernel: the test makes the events
 * itself (opens a unique file, execs a uniquely named program, connects to its own listener...) and
 * checks the decoded fields in bee's JSON output.
 */
class RunExamplesIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(40);
    private static final long MY_PID = ProcessHandle.current().pid();

    @TempDir
    Path tmp;

    /** getppid() for the decode test object, which fires on it. */
    public interface LibC {
        int getppid();
    }

    @BeforeAll
    static void requirements() {
        Requirements.requireRoot();
        Requirements.requireKernelBtf();
        Requirements.requireTool("clang");
    }

    /** A unique name of at most 15 characters (the kernel's comm length). */
    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 6);
    }

    /** An IPv4 listener on 127.0.0.1 (Java's plain sockets would be IPv6 ones with mapped addresses). */
    private static ServerSocketChannel listener() throws IOException {
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.INET);
        s.bind(new InetSocketAddress("127.0.0.1", 0), 50);
        return s;
    }

    private static SocketChannel connect(int port) throws IOException {
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.INET);
        c.connect(new InetSocketAddress("127.0.0.1", port));
        return c;
    }

    /** Polls bee's output until {@code done} holds for its records, then stops it with {@code signal}. */
    private static void stopWhen(BeeProcess bee, String signal, Predicate<List<JsonNode>> done) {
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < end && bee.exitCodeOrRunning()) {
            if (done.test(bee.json())) {
                break;
            }
            BeeProcess.sleep(100);
        }
        bee.signal(signal);
        assertEquals(0, bee.waitFor(TIMEOUT), bee.err());
    }

    @Test
    void opensnoopShowsTheFileThisTestOpens() throws IOException {
        Path obj = Examples.object("opensnoop");
        Path file = tmp.resolve(unique("bee-open-"));
        Files.writeString(file, "x");
        try (BeeProcess bee = BeeProcess.start("run", obj.toString(), "-o", "json", "--duration", "30s",
                "--set", "target_pid=" + MY_PID, "--filter", "print_opens,filename," + file.getFileName(),
                "--max-events", "1")) {
            bee.awaitAttached(TIMEOUT);
            Files.readAllBytes(file);
            assertEquals(0, bee.waitFor(TIMEOUT), bee.err());
            List<JsonNode> events = bee.records("print_opens");
            assertEquals(1, events.size(), bee.out());
            JsonNode e = events.get(0).get("event");
            assertEquals(file.toString(), e.get("filename").asText());
            assertEquals(MY_PID, e.get("pid").asLong());
            assertTrue(e.get("ret").asInt() >= 0, e.toString());
            assertTrue(e.get("flags").asText().startsWith("0x"), e.toString());
            assertTrue(events.get(0).get("time").asText().endsWith("Z"));
            assertTrue(bee.err().contains("stopped (max-events)"), bee.err());
        }
    }

    @Test
    void execsnoopShowsTheProgramThisTestRuns() throws Exception {
        Path obj = Examples.object("execsnoop");
        Path exe = tmp.resolve(unique("beeexec"));
        Files.createSymbolicLink(exe, Path.of("/bin/true"));
        try (BeeProcess bee = BeeProcess.start("run", obj.toString(), "-o", "json", "--duration", "30s",
                "--filter", "print_execs,filename," + exe.getFileName(), "--max-events", "1")) {
            bee.awaitAttached(TIMEOUT);
            Process child = new ProcessBuilder(exe.toString()).start();
            assertEquals(0, child.waitFor());
            assertEquals(0, bee.waitFor(TIMEOUT), bee.err());
            JsonNode e = single(bee.records("print_execs")).get("event");
            assertEquals(exe.toString(), e.get("filename").asText());
            assertEquals(child.pid(), e.get("pid").asLong());
            assertEquals(MY_PID, e.get("ppid").asLong());
        }
    }

    @Test
    void exitsnoopShowsExitCodeAndLifetime() throws Exception {
        Path obj = Examples.object("exitsnoop");
        String name = unique("beeexit");
        Path exe = tmp.resolve(name);
        Files.createSymbolicLink(exe, Path.of("/bin/sh"));
        try (BeeProcess bee = BeeProcess.start("run", obj.toString(), "-o", "json", "--duration", "30s",
                "--filter", "print_exits,comm,^" + name + "$", "--max-events", "1")) {
            bee.awaitAttached(TIMEOUT);
            Process child = new ProcessBuilder(exe.toString(), "-c", "sleep 0.05; exit 3").start();
            assertEquals(3, child.waitFor());
            assertEquals(0, bee.waitFor(TIMEOUT), bee.err());
            JsonNode e = single(bee.records("print_exits")).get("event");
            assertEquals(child.pid(), e.get("pid").asLong());
            assertEquals(MY_PID, e.get("ppid").asLong());
            assertEquals(3, e.get("exit_code").asInt());
            assertEquals(0, e.get("signal").asInt());
            assertFalse(e.get("core_dumped").asBoolean());
            long lifetime = e.get("lifetime").asLong();
            assertTrue(lifetime >= 50_000_000L && lifetime < 30_000_000_000L, "lifetime ns " + lifetime);
        }
    }

    @Test
    void sleeplatMeasuresThisTestsSleep() throws Exception {
        Path obj = Examples.object("sleeplat");
        String name = unique("beesleep");
        Path exe = tmp.resolve(name);
        Files.createSymbolicLink(exe, Path.of("/bin/sleep"));
        try (BeeProcess bee = BeeProcess.start("run", obj.toString(), "-o", "json", "--duration", "30s",
                "--filter", "hist_sleep_latency,comm,^" + name + "$",
                // Other processes' sleeps fill the log2 map too: none of its records may end the run.
                "--filter", "hist_sleep_latency_log2,le,^none$", "--max-events", "1")) {
            bee.awaitAttached(TIMEOUT);
            Process child = new ProcessBuilder(exe.toString(), "0.3").start();
            assertEquals(0, child.waitFor());
            assertEquals(0, bee.waitFor(TIMEOUT), bee.err());
            JsonNode e = single(bee.records("hist_sleep_latency")).get("event");
            assertEquals(child.pid(), e.get("pid").asLong());
            long ns = e.get("latency").asLong();
            assertTrue(ns >= 300_000_000L && ns < 5_000_000_000L, "latency ns " + ns);
        }
    }

    @Test
    void verboseExplainsEachLoaderStep() {
        Path obj = Examples.object("opensnoop");
        BeeProcess bee = BeeProcess.run(TIMEOUT, "run", obj.toString(), "-v", "--duration", "1s", "-o", "none",
                "--prom-port", "0");
        assertEquals(0, bee.exitCode(), bee.err());
        String err = bee.err();
        assertTrue(err.contains("bpf(BPF_MAP_CREATE) per map, bpf(BPF_PROG_LOAD) per program"), err);
        assertTrue(err.contains("map print_opens: ringbuf, key 0 bytes, value 0 bytes, 1048576 entries, flags 0x0"), err);
        assertTrue(err.matches("(?s).*program handle_enter: tracepoint, \\d+ instructions, \\d+ processed by the verifier,"
                + " \\d+ states \\(\\d+ at peak\\), verified in \\d+ us.*"), err);
        assertTrue(err.matches("(?s).*attaching handle_enter: tracepoint syscalls/sys_enter_openat is id \\d+ .*"
                + "perf_event_open\\(PERF_TYPE_TRACEPOINT.*"), err);
        assertTrue(err.contains("attached handle_enter -> tracepoint syscalls/sys_enter_openat"), err);
        assertTrue(err.contains("detached handle_enter -> tracepoint syscalls/sys_enter_openat"), err);
    }

    @Test
    void textOutputDrawsAPerBucketHistogramAtEachPollAndJsonKeepsTheNumbers() throws Exception {
        Path obj = Examples.object("sleeplat");
        try (BeeProcess bee = BeeProcess.start("run", obj.toString(), "--interval", "200ms", "--duration", "4s",
                "--filter", "hist_sleep_latency,comm,^none$")) {
            bee.awaitAttached(TIMEOUT);
            for (int i = 0; i < 3; i++) {
                assertEquals(0, new ProcessBuilder("sleep", "0.05").start().waitFor());
            }
            assertEquals(0, bee.waitFor(TIMEOUT), bee.err());
            String out = bee.out();
            assertTrue(out.lines().anyMatch(l -> l.matches("\\S+  hist_sleep_latency_log2")), out);
            assertTrue(out.contains("range : count") && out.contains("share  distribution"), out);
            // A sleep of 50 ms lands in the (2^25, 2^26] ns bucket, drawn with a bar.
            assertTrue(out.lines().anyMatch(l -> l.contains("33554433 -> 67108864 : ") && l.contains("|*")), out);
            assertFalse(out.lines().anyMatch(l -> l.contains("hist_sleep_latency_log2") && l.contains(" le ")),
                    "no line per bucket in text: " + out);
        }
        try (BeeProcess json = BeeProcess.start("run", obj.toString(), "-o", "json", "--interval", "200ms",
                "--duration", "2s", "--filter", "hist_sleep_latency,comm,^none$")) {
            json.awaitAttached(TIMEOUT);
            assertEquals(0, new ProcessBuilder("sleep", "0.05").start().waitFor());
            assertEquals(0, json.waitFor(TIMEOUT), json.err());
            assertFalse(json.records("hist_sleep_latency_log2").isEmpty(), "JSON keeps the buckets as records");
        }
    }

    @Test
    void tcpconnectShowsAndCountsThisTestsConnections() throws Exception {
        Path obj = Examples.object("tcpconnect");
        try (ServerSocketChannel server = listener()) {
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            try (BeeProcess bee = BeeProcess.start("run", obj.toString(), "-o", "json", "--interval", "200ms",
                    "--filter", "print_connects,dport,^" + port + "$", "--filter", "counter_connects,dport,^" + port + "$")) {
                bee.awaitAttached(TIMEOUT);
                List<SocketChannel> open = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    open.add(connect(port));
                    open.add(server.accept());
                }
                stopWhen(bee, "INT", recs -> lastCount(recs, port).orElse(0L) >= 3
                        && recs.stream().filter(r -> r.get("map").asText().equals("print_connects")).count() >= 3);
                for (SocketChannel s : open) {
                    s.close();
                }
                List<JsonNode> events = bee.records("print_connects");
                assertEquals(3, events.size(), bee.out());
                for (JsonNode r : events) {
                    JsonNode e = r.get("event");
                    assertEquals(MY_PID, e.get("pid").asLong());
                    assertEquals("127.0.0.1", e.get("daddr").asText());
                    assertEquals("127.0.0.1", e.get("saddr").asText());
                    assertEquals(port, e.get("dport").asInt());
                }
                assertEquals(Optional.of(3L), lastCount(bee.json(), port), bee.out());
                JsonNode entry = bee.records("counter_connects").get(0);
                assertEquals("127.0.0.1", entry.get("key").get("daddr").asText());
                assertTrue(bee.err().contains("stopped (SIGINT)"), bee.err());
            }
        }
    }

    private static Optional<Long> lastCount(List<JsonNode> records, int port) {
        Optional<Long> last = Optional.empty();
        for (JsonNode r : records) {
            if (r.get("map").asText().equals("counter_connects") && r.get("key").get("dport").asInt() == port) {
                last = Optional.of(r.get("value").asLong());
            }
        }
        return last;
    }

    @Test
    void activeconnGaugesOpenConnections() throws Exception {
        Path obj = Examples.object("activeconn");
        try (ServerSocketChannel server = listener()) {
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            try (BeeProcess bee = BeeProcess.start("run", obj.toString(), "-o", "json", "--interval", "200ms",
                    "--filter", "gauge_active_connections,dport,^" + port + "$")) {
                bee.awaitAttached(TIMEOUT);
                try (SocketChannel a = connect(port); SocketChannel a2 = server.accept();
                     SocketChannel b = connect(port); SocketChannel b2 = server.accept()) {
                    stopWhen(bee, "TERM", recs -> recs.stream().anyMatch(r -> r.get("value").asLong() == 2));
                }
                JsonNode last = bee.records("gauge_active_connections").get(bee.records("gauge_active_connections").size() - 1);
                assertEquals(2, last.get("value").asLong(), bee.out());
                assertEquals("127.0.0.1", last.get("key").get("daddr").asText());
                assertTrue(bee.err().contains("stopped (SIGTERM)"), bee.err());
            }
        }
    }

    @Test
    void textOutputIsAlignedColumns() throws IOException {
        Path obj = Examples.object("opensnoop");
        Path file = tmp.resolve(unique("bee-text-"));
        Files.writeString(file, "x");
        try (BeeProcess bee = BeeProcess.start("run", obj.toString(), "--no-tty", "--duration", "30s",
                "--set", "target_pid=" + MY_PID, "--filter", "print_opens,filename," + file.getFileName(),
                "--max-events", "1")) {
            bee.awaitAttached(TIMEOUT);
            Files.readAllBytes(file);
            assertEquals(0, bee.waitFor(TIMEOUT), bee.err());
            String[] lines = bee.out().split("\n");
            assertEquals(2, lines.length, bee.out());
            assertTrue(lines[0].matches("time +map +pid +uid +comm +ret +flags +filename"), lines[0]);
            String[] cells = lines[1].split(" +");
            assertEquals("print_opens", cells[1]);
            assertEquals(Long.toString(MY_PID), cells[2]);
            assertEquals(file.toString(), cells[cells.length - 1]);
            // Columns line up: every cell of the row starts where its header starts.
            assertEquals(lines[0].indexOf("filename"), lines[1].indexOf(file.toString()));
            assertTrue(bee.err().contains("RECORDS"), bee.err());
        }
    }

    @Test
    void decodesPaddedNestedEnumBoolArrayAndTypedSets() {
        Path obj = TestObjects.object("decode_types");
        LibC libc = LibraryLoader.create(LibC.class).load("c");
        try (BeeProcess bee = BeeProcess.start("run", obj.toString(), "-o", "json", "--interval", "200ms",
                "--set", "target_pid=" + MY_PID, "--set", "flag_value=true", "--set", "color_value=BLUE",
                "--set", "name_value=bee", "--set", "addr_value=10.1.2.3", "--set", "neg_value=-5")) {
            bee.awaitAttached(TIMEOUT);
            for (int i = 0; i < 3; i++) {
                libc.getppid();
            }
            stopWhen(bee, "INT", recs -> recs.stream().anyMatch(r -> r.get("map").asText().equals("counter_percpu")
                    && r.get("value").asLong() == 3) && recs.size() >= 7);
            List<JsonNode> events = bee.records("print_decoded");
            assertEquals(3, events.size(), bee.out());
            String expected = "{\"tag\":7,\"pid\":" + MY_PID + ",\"flag\":true,\"big\":18446744073709551614,"
                    + "\"in.port\":443,\"in.value\":123456,\"color\":\"BLUE\",\"bytes\":[1,2,3,255],\"name\":\"bee\","
                    + "\"neg\":-5,\"addr\":\"10.1.2.3\",\"took\":1500000}";
            for (JsonNode e : events) {
                assertEquals(expected, e.get("event").toString());
            }
            List<JsonNode> perf = bee.records("print_perf");
            assertEquals(3, perf.size(), bee.out());
            assertEquals("{\"port\":80,\"value\":" + MY_PID + "}", perf.get(0).get("event").toString());
            List<JsonNode> counts = bee.records("counter_percpu");
            assertEquals(3, counts.get(counts.size() - 1).get("value").asLong());
            assertEquals("{\"key\":0}", counts.get(0).get("key").toString());
        }
    }

    @Test
    void kprobeExampleFailsWithTheReasonAndExitCode5() {
        Path obj = Examples.object("tcpconnect_kprobe");
        try (BeeProcess bee = BeeProcess.run(TIMEOUT, "run", obj.toString(), "--duration", "1")) {
            if (KernelEnvironment.kprobesAvailable().orElse(true)) {
                assertEquals(0, bee.exitCode(), bee.err());
                return;
            }
            assertEquals(5, bee.exitCode(), bee.err());
            assertTrue(bee.err().contains("kprobes are not available on this kernel (CONFIG_KPROBES is off)"), bee.err());
            assertTrue(bee.err().contains("hint: use a tracepoint"), bee.err());
            assertEquals("", bee.out());
        }
    }

    private static JsonNode single(List<JsonNode> nodes) {
        assertEquals(1, nodes.size(), nodes.toString());
        return nodes.get(0);
    }
}
