package dev.bee.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bee.core.io.Json;
import dev.bee.core.testing.Examples;
import dev.bee.core.testing.Requirements;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whatever way bee run ends (SIGINT, SIGTERM, --duration, a failed load), no program, link or map it
 * loaded stays in the kernel, as bpftool sees it; pinned maps and programs stay on request only.
 */
class RunLifecycleIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(40);
    /** bpftool shows the full function name (from BTF); the kernel keeps 15 characters of map names. */
    private static final String PROG = "bee_lifecycle_probe";
    private static final Set<String> MAPS = Set.of("print_bee_lifec", "counter_bee_lif");

    @BeforeAll
    static void requirements() {
        Requirements.requireRoot();
        Requirements.requireKernelBtf();
        Requirements.requireTool("clang");
        Requirements.requireTool("bpftool");
    }

    /** Ids of loaded programs, links and maps that belong to the lifecycle test object. */
    private record Ours(Set<Long> progs, Set<Long> links, Set<Long> maps) {
        boolean isEmpty() {
            return progs.isEmpty() && links.isEmpty() && maps.isEmpty();
        }
    }

    private static JsonNode bpftool(String... args) {
        String[] cmd = Stream.concat(Stream.of("bpftool", "-j"), Stream.of(args)).toArray(String[]::new);
        try {
            return Json.mapper().readTree(Examples.exec(cmd));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Ours ours() {
        Set<Long> progs = new HashSet<>();
        Set<Long> allProgs = new HashSet<>();
        for (JsonNode p : bpftool("prog", "list")) {
            allProgs.add(p.get("id").asLong());
            if (PROG.equals(p.path("name").asText())) {
                progs.add(p.get("id").asLong());
            }
        }
        Set<Long> links = new HashSet<>();
        for (JsonNode l : bpftool("link", "list")) {
            if (progs.contains(l.path("prog_id").asLong())) {
                links.add(l.get("id").asLong());
            }
        }
        Set<Long> maps = new HashSet<>();
        for (JsonNode m : bpftool("map", "list")) {
            if (MAPS.contains(m.path("name").asText())) {
                maps.add(m.get("id").asLong());
            }
        }
        return new Ours(progs, links, maps);
    }

    /**
     * The kernel frees programs and maps a moment after their last reference goes (RCU and a work
     * queue), so "gone" is checked for up to 3 seconds.
     */
    private static Ours awaitGone() {
        Ours o = ours();
        for (int i = 0; i < 30 && !o.isEmpty(); i++) {
            BeeProcess.sleep(100);
            o = ours();
        }
        return o;
    }

    private static Set<Long> ids(String what) {
        Set<Long> out = new HashSet<>();
        for (JsonNode n : bpftool(what, "list")) {
            out.add(n.get("id").asLong());
        }
        return out;
    }

    private void endsClean(String how) throws Exception {
        Path obj = TestObjects.object("lifecycle");
        assertTrue(awaitGone().isEmpty(), "left over from an earlier run: " + ours());
        Set<Long> progsBefore = ids("prog");
        Set<Long> linksBefore = ids("link");
        String[] args = how.equals("duration")
                ? new String[]{"run", obj.toString(), "-o", "json", "--duration", "2s", "--interval", "200ms"}
                : new String[]{"run", obj.toString(), "-o", "json", "--interval", "200ms"};
        try (BeeProcess bee = BeeProcess.start(args)) {
            bee.awaitAttached(TIMEOUT);
            Ours during = ours();
            assertEquals(1, during.progs().size(), "program loaded while bee runs");
            assertEquals(1, during.links().size(), "link while bee runs");
            assertEquals(2, during.maps().size(), "maps while bee runs");
            new ProcessBuilder("/bin/true").start().waitFor();
            if (!how.equals("duration")) {
                BeeProcess.sleep(600);
                bee.signal(how);
            }
            assertEquals(0, bee.waitFor(TIMEOUT), bee.err());
            String reason = how.equals("duration") ? "duration" : "SIG" + how;
            assertTrue(bee.err().contains("stopped (" + reason + ")"), bee.err());
            assertTrue(bee.records("print_bee_lifecycle").size() >= 1, bee.out());
        }
        assertTrue(awaitGone().isEmpty(), "still in the kernel after bee ended by " + how + ": " + ours());
        Set<Long> progsAfter = ids("prog");
        Set<Long> linksAfter = ids("link");
        progsAfter.removeAll(progsBefore);
        linksAfter.removeAll(linksBefore);
        // In CI nothing else loads programs, so the id sets must be equal; on a shared machine other
        // processes may, and only bee's own names (checked above) count.
        if (Requirements.strict()) {
            assertEquals(Set.of(), progsAfter, "program ids that appeared during the run");
            assertEquals(Set.of(), linksAfter, "link ids that appeared during the run");
        }
    }

    @Test
    void sigintReleasesEverything() throws Exception {
        endsClean("INT");
    }

    @Test
    void sigtermReleasesEverything() throws Exception {
        endsClean("TERM");
    }

    @Test
    void durationReleasesEverything() throws Exception {
        endsClean("duration");
    }

    @Test
    void verifierRejectionShowsTheLogAndLeavesNothing() {
        Path obj = TestObjects.object("verifier_reject");
        try (BeeProcess bee = BeeProcess.run(TIMEOUT, "run", obj.toString(), "--duration", "1")) {
            assertEquals(5, bee.exitCode(), bee.err());
            String err = bee.err();
            assertTrue(err.contains("the kernel refused to load program 'bee_rejected_probe'"), err);
            assertTrue(err.contains("-- verifier log of bee_rejected_probe --"), err);
            assertTrue(err.contains("map_value_or_null"), err);
            assertTrue(err.contains("-- end of verifier log --"), err);
        }
        for (JsonNode p : bpftool("prog", "list")) {
            assertFalse("bee_rejected_probe".equals(p.path("name").asText()), "rejected program left loaded");
        }
        for (JsonNode m : bpftool("map", "list")) {
            assertFalse("counter_rejecte".equals(m.path("name").asText()), "map of a failed load left behind");
        }
    }

    @Test
    void badSetFailsBeforeLoadingWithUsageExitCode() {
        Path obj = Examples.object("opensnoop");
        try (BeeProcess bee = BeeProcess.run(TIMEOUT, "run", obj.toString(), "--set", "target_pid=-1")) {
            assertEquals(2, bee.exitCode(), bee.err());
            assertTrue(bee.err().contains("--set target_pid=-1: out of range 0..4294967295"), bee.err());
        }
        try (BeeProcess bee = BeeProcess.run(TIMEOUT, "run", obj.toString(), "--set", "nope=1")) {
            assertEquals(2, bee.exitCode(), bee.err());
            assertTrue(bee.err().contains("settable globals: target_pid, include_failed"), bee.err());
        }
        // An enum takes its names or a number that fits its 4 bytes; more would be cut silently.
        Path typed = TestObjects.object("decode_types");
        try (BeeProcess bee = BeeProcess.run(TIMEOUT, "run", typed.toString(), "--set", "color_value=99999999999")) {
            assertEquals(2, bee.exitCode(), bee.err());
            assertTrue(bee.err().contains("out of range"), bee.err());
        }
    }

    @Test
    void anInterfaceNoProgramUsesIsWarnedAbout() {
        try (BeeProcess bee = BeeProcess.run(TIMEOUT, "run", TestObjects.object("lifecycle").toString(),
                "--iface", "lo", "--duration", "0", "--prom-port", "0")) {
            assertEquals(0, bee.exitCode(), bee.err());
            assertTrue(bee.err().contains("--iface lo: no program of") && bee.err().contains("it is ignored"),
                    bee.err());
        }
    }

    @Test
    void pinnedMapsAndProgramsStayAfterExit() throws Exception {
        Path obj = TestObjects.object("lifecycle");
        Path dir = Path.of("/sys/fs/bpf", "bee-test-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            try (BeeProcess bee = BeeProcess.run(TIMEOUT, "run", obj.toString(), "--duration", "500ms",
                    "--pin-maps", dir.resolve("maps").toString(), "--pin-progs", dir.resolve("progs").toString())) {
                assertEquals(0, bee.exitCode(), bee.err());
            }
            assertTrue(Files.exists(dir.resolve("maps/print_bee_lifecycle")));
            assertTrue(Files.exists(dir.resolve("maps/counter_bee_lifecycle")));
            assertTrue(Files.exists(dir.resolve("progs/bee_lifecycle_probe")));
            assertEquals(1, ours().progs().size(), "the pinned program stays loaded");
            assertTrue(ours().links().isEmpty(), "but it is detached");
        } finally {
            if (Files.exists(dir)) {
                try (Stream<Path> s = Files.walk(dir)) {
                    s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
        assertTrue(awaitGone().isEmpty(), "unpinned: gone " + ours());
    }

    /** A script's pipe to head: bee ends within a second of the first line, detached, exit 0. */
    @Test
    void aClosedOutputPipeEndsTheRunAtOnce() throws Exception {
        Path obj = TestObjects.object("lifecycle");
        assertTrue(awaitGone().isEmpty(), "left over from an earlier run: " + ours());
        List<String> bee = BeeProcess.command("run", obj.toString(), "-o", "json", "--duration", "30s",
                "--prom-port", "0");
        Path err = Files.createTempFile("bee-pipe", ".err");
        // PIPESTATUS: bee's own exit code, not head's.
        Process pipeline = new ProcessBuilder("bash", "-c", String.join(" ", bee.stream().map(a -> "'" + a + "'")
                .toList()) + " 2>" + err + " | head -1; echo \"bee-exit=${PIPESTATUS[0]}\"").start();
        long firstLine = 0;
        java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(pipeline.getInputStream()));
        Thread execs = new Thread(() -> {
            while (pipeline.isAlive()) {
                try {
                    new ProcessBuilder("/bin/true").start().waitFor();
                    Thread.sleep(50);
                } catch (Exception e) {
                    return;
                }
            }
        });
        execs.start();
        String line = out.readLine();
        firstLine = System.nanoTime();
        assertTrue(line != null && line.contains("_bee_lifecycle"), line + "\n" + Files.readString(err));
        String status = out.readLine();
        assertTrue(pipeline.waitFor(5, java.util.concurrent.TimeUnit.SECONDS), "bee still runs after head ended");
        long ms = (System.nanoTime() - firstLine) / 1_000_000;
        execs.join();
        assertEquals("bee-exit=0", status, Files.readString(err));
        assertTrue(ms < 1500, "bee ended " + ms + " ms after the first line");
        assertTrue(Files.readString(err).contains("stopped (output closed)"), Files.readString(err));
        assertTrue(awaitGone().isEmpty(), "still in the kernel after the pipe closed: " + ours());
        Files.deleteIfExists(err);
    }

    /** --ready-file appears only once everything is attached, and goes when bee ends. */
    @Test
    void theReadyFileMeansAttached() throws Exception {
        Path obj = TestObjects.object("lifecycle");
        Path ready = Files.createTempDirectory("bee-ready").resolve("ready.json");
        try (BeeProcess bee = BeeProcess.start("run", obj.toString(), "-o", "json", "--prom-port", "0",
                "--ready-file", ready.toString())) {
            long end = System.nanoTime() + TIMEOUT.toNanos();
            while (!Files.exists(ready) && System.nanoTime() < end && bee.exitCodeOrRunning()) {
                Thread.sleep(10);
            }
            assertTrue(Files.exists(ready), "no ready file: " + bee.err());
            // By the time the file is there, the program is loaded and attached.
            Ours now = ours();
            assertEquals(1, now.progs().size(), "program loaded when ready");
            assertEquals(1, now.links().size(), "attached when ready");
            JsonNode r = Json.mapper().readTree(Files.readString(ready));
            assertEquals(bee.pid(), r.get("pid").asLong());
            assertTrue(r.get("attached").get(0).asText().contains("sched_process_exec"), r.toString());
            assertEquals("print_bee_lifecycle", r.get("maps").get(0).asText(), r.toString());
            bee.signal("INT");
            assertEquals(0, bee.waitFor(TIMEOUT), bee.err());
        }
        assertFalse(Files.exists(ready), "the ready file outlived bee");
    }

    /** A pin folder off bpffs is refused before anything is made; a failed pin takes back the run's other pins. */
    @Test
    void aRunThatFailsToPinLeavesNoPinsAndNoFolders() throws Exception {
        Path obj = TestObjects.object("lifecycle");
        Path off = Files.createTempDirectory("bee-pins").resolve("not/bpffs");
        try (BeeProcess bee = BeeProcess.run(TIMEOUT, "run", obj.toString(), "--duration", "1", "--prom-port", "0",
                "--pin-maps", off.toString())) {
            assertEquals(2, bee.exitCode(), bee.err());
            assertTrue(bee.err().contains("not a bpf one"), bee.err());
        }
        assertFalse(Files.exists(off.getParent()), "no folder made off bpffs");

        Path dir = Path.of("/sys/fs/bpf", "bee-test-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            // A first run leaves its program pinned; a second that pins maps in a new folder and the
            // program in the same place fails at the program and must take its map pins back.
            try (BeeProcess bee = BeeProcess.run(TIMEOUT, "run", obj.toString(), "--duration", "300ms",
                    "--prom-port", "0", "--pin-progs", dir.resolve("progs").toString())) {
                assertEquals(0, bee.exitCode(), bee.err());
            }
            try (BeeProcess bee = BeeProcess.run(TIMEOUT, "run", obj.toString(), "--duration", "300ms",
                    "--prom-port", "0", "--pin-maps", dir.resolve("maps/new").toString(),
                    "--pin-progs", dir.resolve("progs").toString())) {
                assertEquals(2, bee.exitCode(), bee.err());
                assertTrue(bee.err().contains("cannot pin program"), bee.err());
            }
            assertFalse(Files.exists(dir.resolve("maps")), "the failed run's map pins and folders are gone");
            assertTrue(Files.exists(dir.resolve("progs/bee_lifecycle_probe")), "the first run's pin stays");
        } finally {
            if (Files.exists(dir)) {
                try (Stream<Path> s = Files.walk(dir)) {
                    s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
        assertTrue(awaitGone().isEmpty(), "gone: " + ours());
    }
}
