package dev.bee.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bee.core.kernel.KernelEnvironment;
import dev.bee.core.io.Json;
import dev.bee.core.testing.Examples;
import dev.bee.core.testing.Exposition;
import dev.bee.core.testing.Promtool;
import dev.bee.core.testing.Requirements;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every program bee init writes builds with bee build and, run with bee run, shows an event the test
 * caused: an IPv4 connect to the test's own listener, a file opened by a thread of the test with a name of
 * its own (which becomes its comm), a /bin/true the test started. Kprobe programs stop at the clear
 * attach error where the kernel has no kprobes. The interactive path is driven once through tmux.
 */
class InitIT {
    private static final String OPENER = "beeinit-open";

    @BeforeAll
    static void requirements() {
        Requirements.requireRoot();
        Requirements.requireKernelBtf();
        Requirements.requireTool("clang");
        Examples.object("opensnoop"); // builds vmlinux.h into the shared cache once
    }

    private record Case(String type, String map, String output) {
        String[] initArgs(Path file) {
            List<String> a = new ArrayList<>(List.of("init", "--map", map, "--output", output, "--file", file.toString()));
            switch (type) {
                case "network-kprobe" -> a.addAll(List.of("--program-type", "network", "--kprobe"));
                case "section" -> a.addAll(List.of("--section", "tracepoint/syscalls/sys_enter_openat"));
                default -> a.addAll(List.of("--program-type", type));
            }
            return a.toArray(new String[0]);
        }
    }

    private static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (String t : List.of("network", "network-kprobe", "file-system", "process", "section")) {
            for (String m : List.of("ringbuf", "hash")) {
                for (String o : List.of("print", "counter", "gauge", "hist")) {
                    out.add(new Case(t, m, o));
                }
            }
        }
        return out;
    }

    @Test
    void everyCombinationBuildsAndRunsAsWritten(@TempDir Path dir) throws Exception {
        long pid = ProcessHandle.current().pid();
        boolean kprobes = KernelEnvironment.kprobesAvailable().orElse(true);
        List<String> failures = new ArrayList<>();
        try (ServerSocket listener = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            for (Case c : cases()) {
                Path src = dir.resolve(c.type().replace('-', '_') + "_" + c.map() + "_" + c.output() + ".c");
                CliRun init = CliRun.of(c.initArgs(src));
                assertEquals(0, init.exitCode(), c + ": " + init.err());
                assertTrue(init.out().contains("bee build " + src) && init.out().contains("bee run "), init.out());
                Path obj = dir.resolve(src.getFileName().toString().replace(".c", ".o"));
                CliRun build = CliRun.of("build", src.toString(), "-o", obj.toString());
                if (build.exitCode() != 0) {
                    failures.add(c + " does not build: " + build.err());
                    continue;
                }
                String map = c.output() + "_" + switch (c.type()) {
                    case "network", "network-kprobe" -> "connects";
                    case "file-system" -> "opens";
                    case "process" -> "exits";
                    default -> "hits";
                };
                String filter = c.type().startsWith("network") ? "dport,^" + listener.getLocalPort() + "$"
                        : c.type().equals("process") ? "comm,^true$" : "comm,^" + OPENER + "$";
                // The connects come from child processes (bash), whose pids the test cannot know ahead.
                String global = c.type().equals("process") ? "target_ppid" : "target_pid";
                long target = c.type().startsWith("network") ? 0 : pid;
                CliRun run = runWhileCausing(c.type(), listener, dir, "run", obj.toString(), "-o", "json",
                        "--prom-port", "0", "--interval", "200ms", "--duration", "20s", "--max-events", "1",
                        "--set", global + "=" + target, "--filter", map + "," + filter);
                if (c.type().equals("network-kprobe") && !kprobes) {
                    if (run.exitCode() != 5 || !run.err().contains("kprobes are not available")) {
                        failures.add(c + ": expected the kprobe attach error, got " + run.exitCode() + ": " + run.err());
                    }
                    continue;
                }
                List<JsonNode> records = new ArrayList<>();
                for (String line : run.out().split("\n")) {
                    if (!line.isBlank()) {
                        records.add(Json.mapper().readTree(line));
                    }
                }
                if (run.exitCode() != 0 || records.size() != 1 || !run.err().contains("stopped (max-events)")) {
                    failures.add(c + ": no event the test caused (exit " + run.exitCode() + "): " + run.out() + run.err());
                    continue;
                }
                JsonNode r = records.get(0);
                assertEquals(map, r.path("map").asText(), r.toString());
                JsonNode fields = r.has("event") ? r.get("event") : r.get("key");
                if (c.type().startsWith("network")) {
                    assertEquals("127.0.0.1", fields.path("daddr").asText(), r.toString());
                }
                if (c.output().equals("print") && c.map().equals("ringbuf") && c.type().equals("file-system")) {
                    assertTrue(fields.path("filename").asText().contains("beeinit-"), r.toString());
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /** Runs bee in-process while another thread keeps causing events of {@code type} until the run ends. */
    private static CliRun runWhileCausing(String type, ServerSocket listener, Path dir, String... args) throws Exception {
        try (Causing c = new Causing(type, listener, dir)) {
            return CliRun.of(args);
        }
    }

    /** A thread that keeps causing events of one program type until closed. */
    private static final class Causing implements AutoCloseable {
        private final AtomicBoolean done = new AtomicBoolean();
        private final Thread thread;

        Causing(String type, ServerSocket listener, Path dir) {
            thread = new Thread(() -> {
                int n = 0;
                while (!done.get()) {
                    try {
                        switch (type) {
                            case "network", "network-kprobe" -> {
                                // An IPv4 socket (Java's own are IPv6, mapped), from a child process.
                                Process bash = new ProcessBuilder("bash", "-c",
                                        "exec 3<>/dev/tcp/127.0.0.1/" + listener.getLocalPort()).start();
                                try (Socket accepted = listener.accept()) {
                                    bash.waitFor();
                                }
                            }
                            case "process" -> new ProcessBuilder("/bin/true").start().waitFor();
                            default -> Files.readAllBytes(Files.writeString(dir.resolve("beeinit-" + (n++ % 4)), "x"));
                        }
                        Thread.sleep(100);
                    } catch (IOException e) {
                        // the next round tries again
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, OPENER);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            done.set(true);
            thread.join(5000);
        }
    }

    /**
     * Issue 18 item 4: what every template's program serves at /metrics, scraped while the test causes its
     * events, passes Prometheus' linter ({@code promtool check metrics}): the map's metric under bee's names
     * and bee's own metrics.
     */
    @Test
    void everyTemplatesMetricsPassPromtool(@TempDir Path dir) throws Exception {
        Requirements.requireTool("promtool");
        long pid = ProcessHandle.current().pid();
        List<String> failures = new ArrayList<>();
        int checked = 0;
        try (ServerSocket listener = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            for (Case c : cases()) {
                if (c.type().equals("network-kprobe")) {
                    continue; // the same maps as network's; kprobes do not attach on every kernel
                }
                Path src = dir.resolve(c.type().replace('-', '_') + "_" + c.map() + "_" + c.output() + ".c");
                assertEquals(0, CliRun.of(c.initArgs(src)).exitCode(), c.toString());
                Path obj = dir.resolve(src.getFileName().toString().replace(".c", ".o"));
                CliRun build = CliRun.of("build", src.toString(), "-o", obj.toString());
                assertEquals(0, build.exitCode(), c + ": " + build.err());
                String map = c.output() + "_" + switch (c.type()) {
                    case "network" -> "connects";
                    case "file-system" -> "opens";
                    case "process" -> "exits";
                    default -> "hits";
                };
                String global = c.type().equals("process") ? "target_ppid" : "target_pid";
                long target = c.type().equals("network") ? 0 : pid;
                int port = freePort();
                try (Causing cause = new Causing(c.type(), listener, dir);
                     BeeProcess bee = BeeProcess.start("run", obj.toString(), "--no-tty", "--interval", "200ms",
                             "--prom-address", "127.0.0.1", "--prom-port", Integer.toString(port),
                             "--set", global + "=" + target)) {
                    bee.awaitAttached(java.time.Duration.ofSeconds(40));
                    // The program's metric once a record reached it; print maps have only bee's own.
                    boolean print = c.output().equals("print");
                    Exposition e = null;
                    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(15).toNanos();
                    while (System.nanoTime() < deadline) {
                        e = Exposition.scrape("http://127.0.0.1:" + port + "/metrics", null);
                        boolean seen = e.value("bee_map_records_total", "map", map).orElse(0) > 0;
                        if (seen && (print || e.samples().stream().anyMatch(x -> x.name().startsWith("ebpf_solo_io_")))) {
                            break;
                        }
                        BeeProcess.sleep(200);
                    }
                    if (e == null || (!print && e.samples().stream().noneMatch(x -> x.name().startsWith("ebpf_solo_io_")))) {
                        failures.add(c + ": no metric of " + map + ": " + (e == null ? "" : e.body()) + bee.err());
                        continue;
                    }
                    // Issue 21: durations (gauges' values, histograms' bounds) in seconds, never microseconds.
                    String seconds = "ebpf_solo_io_" + map.substring(map.indexOf('_') + 1) + "_seconds";
                    if ((c.output().equals("gauge") || c.output().equals("hist"))
                            && e.samples().stream().noneMatch(x -> x.name().startsWith(seconds))) {
                        failures.add(c + ": no " + seconds + " metric: " + e.body());
                    }
                    String problems = Promtool.problems(e.body());
                    if (!problems.isEmpty()) {
                        failures.add(c + ": promtool: " + problems);
                    }
                    checked++;
                    bee.signal("INT");
                    bee.waitFor(java.time.Duration.ofSeconds(20));
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertEquals(32, checked);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void asksForWhatIsMissingOnATerminalAndNeverOverwrites(@TempDir Path dir) throws Exception {
        Requirements.requireTool("tmux");
        Path jar = Path.of("target", "bee.jar").toAbsolutePath();
        Requirements.require(Files.isRegularFile(jar), "bee.jar is built by mvn package");
        String session = "beeinit" + ProcessHandle.current().pid();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        tmux("-L", session, "new-session", "-d", "-x", "120", "-y", "40", "-c", dir.toString(),
                java + " -jar " + jar + " init; echo EXIT=$?; sleep 30");
        try {
            awaitScreen(session, "Language (c) [c]:");
            tmux("-L", session, "send-keys", "Enter");
            awaitScreen(session, "Program type (network, file-system, process) [network]:");
            tmux("-L", session, "send-keys", "file-system", "Enter");
            awaitScreen(session, "Map type (ringbuf, hash) [ringbuf]:");
            tmux("-L", session, "send-keys", "hash", "Enter");
            awaitScreen(session, "Output (print, counter, gauge, hist) [print]:");
            tmux("-L", session, "send-keys", "bogus", "Enter");
            awaitScreen(session, "Please answer one of: print, counter, gauge, hist");
            tmux("-L", session, "send-keys", "gauge", "Enter");
            awaitScreen(session, "File [file_open.c]:");
            tmux("-L", session, "send-keys", "Enter");
            String screen = awaitScreen(session, "EXIT=0");
            assertTrue(screen.contains("bee build file_open.c -o file_open.o"), screen);
            String src = Files.readString(dir.resolve("file_open.c"));
            assertTrue(src.contains("} gauge_opens SEC(\".maps\");") && src.contains("BPF_MAP_TYPE_HASH"), src);
        } finally {
            tmux("-L", session, "kill-server");
        }
        // Again, with every choice given and the file there: refused, the file untouched.
        String before = Files.readString(dir.resolve("file_open.c"));
        CliRun again = CliRun.of("init", "--program-type", "process", "--map", "ringbuf", "--output", "print",
                "--file", dir.resolve("file_open.c").toString());
        assertEquals(2, again.exitCode(), again.err());
        assertTrue(again.err().contains("--force"), again.err());
        assertEquals(before, Files.readString(dir.resolve("file_open.c")));
        assertFalse(Files.list(dir).anyMatch(p -> p.getFileName().toString().endsWith(".tmp")));
    }

    private static String tmux(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tmux"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }

    private static String awaitScreen(String session, String text) throws Exception {
        String screen = "";
        for (int i = 0; i < 200; i++) {
            screen = tmux("-L", session, "capture-pane", "-p");
            if (screen.contains(text)) {
                return screen;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("'" + text + "' did not appear on the terminal:\n" + screen);
    }
}
