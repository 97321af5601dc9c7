package dev.bee.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bee.core.io.Json;
import dev.bee.core.testing.Examples;
import dev.bee.core.testing.Requirements;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bee verify on the real kernel, in this test's process, so anything it left loaded would still be held
 * when bpftool looks: the examples pass, rejections show the verifier's reason and failing path with
 * exit code 5, each program is reported on its own, and nothing stays in the kernel.
 */
class VerifyIT {
    /** Map names as the kernel keeps them (15 characters) for the test objects' maps. */
    private static final Set<String> TEST_MAPS = Set.of("counter_rejecte", "counter_verify");

    @BeforeAll
    static void requirements() {
        Requirements.requireRoot();
        Requirements.requireKernelBtf();
        Requirements.requireTool("clang");
        Requirements.requireTool("bpftool");
    }

    private static JsonNode bpftool(String... args) {
        String[] cmd = Stream.concat(Stream.of("bpftool", "-j"), Stream.of(args)).toArray(String[]::new);
        try {
            return Json.mapper().readTree(Examples.exec(cmd));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Set<Long> progIds() {
        Set<Long> ids = new HashSet<>();
        bpftool("prog", "list").forEach(p -> ids.add(p.get("id").asLong()));
        return ids;
    }

    /** What bee verify may not leave behind, taken before it runs. */
    private record Before(Set<Long> progIds, Set<String> fds) {
        static Before now() {
            return new Before(VerifyIT.progIds(), bpfFds());
        }
    }

    /** This process' file descriptors that hold BPF programs, maps or links. */
    private static Set<String> bpfFds() {
        Set<String> out = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("anon_inode:bpf")) {
                        out.add(fd.getFileName() + " -> " + target);
                    }
                } catch (IOException e) {
                    // closed while listing
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out;
    }

    /**
     * bee verify ran in this process, so what it failed to close would still be held here. On the kernel
     * side, programs with the test objects' unique names and their maps must be gone; the kernel frees
     * them a moment after their last reference goes, so that is checked for up to 3 seconds. Example
     * programs have names other tests on a shared machine use too: in CI (strict), where nothing else
     * loads programs, no program id may have appeared at all.
     */
    private static void nothingLoaded(Set<String> uniquePrograms, Before before) {
        Set<String> leaked = bpfFds();
        leaked.removeAll(before.fds());
        assertEquals(Set.of(), leaked, "BPF file descriptors bee verify left open");
        String left = leftInKernel(uniquePrograms, before);
        for (int i = 0; i < 30 && !left.isEmpty(); i++) {
            BeeProcess.sleep(100);
            left = leftInKernel(uniquePrograms, before);
        }
        assertEquals("", left, "still in the kernel after bee verify");
    }

    private static String leftInKernel(Set<String> uniquePrograms, Before before) {
        StringBuilder left = new StringBuilder();
        for (JsonNode p : bpftool("prog", "list")) {
            boolean appeared = !before.progIds().contains(p.get("id").asLong());
            if (uniquePrograms.contains(p.path("name").asText()) || (appeared && Requirements.strict())) {
                left.append(p).append('\n');
            }
        }
        for (JsonNode m : bpftool("map", "list")) {
            if (TEST_MAPS.contains(m.path("name").asText())) {
                left.append(m).append('\n');
            }
        }
        return left.toString();
    }

    private static JsonNode json(CliRun r) {
        try {
            return Json.mapper().readTree(r.out());
        } catch (IOException e) {
            throw new AssertionError("not JSON:\n" + r.out() + "\n" + r.err(), e);
        }
    }

    @Test
    void everyExamplePassesAndNothingStaysLoaded() {
        Before before = Before.now();
        Set<String> programs = new HashSet<>();
        for (String name : Examples.names()) {
            Path obj = Examples.object(name);
            CliRun r = CliRun.of("verify", obj.toString(), "-o", "json");
            assertEquals(0, r.exitCode(), name + ":\n" + r.out() + r.err());
            JsonNode doc = json(r);
            assertTrue(doc.get("passed").asBoolean(), r.out());
            assertEquals(0, doc.get("rejected").asInt());
            assertFalse(doc.get("programs").isEmpty(), r.out());
            for (JsonNode p : doc.get("programs")) {
                programs.add(p.get("program").asText());
                assertTrue(p.get("passed").asBoolean(), p.toString());
                assertTrue(p.get("instructions").asLong() > 0, p.toString());
                assertTrue(p.get("verificationMicros").asLong() >= 0, p.toString());
                // The verifier's own statistics: at least the state it starts in, never more at peak than in all.
                assertTrue(p.get("totalStates").asLong() >= 1, p.toString());
                assertTrue(p.get("peakStates").asLong() >= 1, p.toString());
                assertTrue(p.get("peakStates").asLong() <= p.get("totalStates").asLong(), p.toString());
                assertTrue(p.get("maxStatesPerInstruction").isIntegralNumber(), p.toString());
                assertTrue(p.get("stackDepth").asText().matches("\\d+(\\+\\d+)*"), p.toString());
                assertTrue(p.get("reason").isNull(), p.toString());
                assertTrue(p.get("log").isEmpty(), p.toString());
            }
        }
        assertTrue(programs.containsAll(Set.of("tcp_v4_connect", "handle_exec", "enter_nanosleep")), programs.toString());
        nothingLoaded(Set.of(), before);
    }

    @Test
    void theTableShowsTheVerifiersStatistics() {
        CliRun r = CliRun.of("verify", Examples.object("opensnoop").toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().startsWith("PROGRAM       SECTION"), r.out());
        assertTrue(r.out().lines().findFirst().orElseThrow().matches("PROGRAM\\s+SECTION\\s+RESULT\\s+INSNS\\s+STATES\\s+"
                + "PEAK\\s+STACK\\s+TIME"), r.out());
        assertTrue(r.out().matches("(?s).*\\nhandle_enter\\s+tracepoint/syscalls/sys_enter_openat\\s+passed\\s+\\d+\\s+"
                + "[1-9]\\d*\\s+[1-9]\\d*\\s+\\d+\\s+\\S+\\n.*"), r.out());
    }

    @Test
    void aRejectionShowsTheReasonAndTheFailingPathAndExits5() {
        Before before = Before.now();
        CliRun r = CliRun.of("verify", TestObjects.object("verifier_reject").toString());
        assertEquals(5, r.exitCode(), r.out() + r.err());
        String out = r.out();
        assertTrue(out.lines().anyMatch(l -> l.startsWith("bee_rejected_probe") && l.contains("rejected")), out);
        assertTrue(out.contains("bee_rejected_probe: R0 invalid mem access 'map_value_or_null'"), out);
        assertTrue(out.contains("-- verifier log of bee_rejected_probe --"), out);
        assertTrue(out.contains("call bpf_map_lookup_elem"), out);
        assertTrue(out.contains("-- end of verifier log --"), out);
        assertFalse(out.contains("processed "), "statistics are in the table, not the log excerpt:\n" + out);
        assertTrue(r.err().contains("bee: error: the verifier rejected 1 of 1 program of "), r.err());
        nothingLoaded(Set.of("bee_rejected_probe"), before);
    }

    @Test
    void eachProgramIsReportedOnItsOwnInJson() {
        Before before = Before.now();
        Path obj = TestObjects.object("verifier_mixed");
        CliRun r = CliRun.of("verify", obj.toString(), "-o", "json");
        assertEquals(5, r.exitCode(), r.out() + r.err());
        JsonNode doc = json(r);
        assertFalse(doc.get("passed").asBoolean());
        assertEquals(1, doc.get("rejected").asInt());
        JsonNode good = doc.get("programs").get(0);
        JsonNode bad = doc.get("programs").get(1);
        assertEquals("bee_verify_good", good.get("program").asText());
        assertTrue(good.get("passed").asBoolean(), good.toString());
        assertTrue(good.get("instructions").asLong() > 0, good.toString());
        assertEquals("bee_verify_bad", bad.get("program").asText());
        assertEquals("tracepoint/sched/sched_process_exit", bad.get("section").asText());
        assertFalse(bad.get("passed").asBoolean());
        assertTrue(bad.get("instructions").asLong() > 0, bad.toString());
        String reason = bad.get("reason").asText();
        assertTrue(reason.contains("invalid mem access 'map_value_or_null'"), reason);
        JsonNode log = bad.get("log");
        assertEquals(reason, log.get(log.size() - 1).asText(), "the log ends at the rejection");
        assertTrue(log.size() <= 40, "trimmed to --log-lines' default: " + log.size());

        CliRun shortLog = CliRun.of("verify", obj.toString(), "-o", "json", "--log-lines", "3");
        JsonNode badShort = json(shortLog).get("programs").get(1);
        assertEquals(3, badShort.get("log").size(), shortLog.out());
        assertEquals(reason, badShort.get("log").get(2).asText());
        assertEquals(log.size() + bad.get("logLinesLeftOut").asInt(),
                3 + badShort.get("logLinesLeftOut").asInt(), "left out plus shown is the whole path");
        nothingLoaded(Set.of("bee_verify_good", "bee_verify_bad"), before);
    }

    @Test
    void setOverridesApplyAsInRun() {
        Path obj = Examples.object("opensnoop");
        CliRun ok = CliRun.of("verify", obj.toString(), "--set", "target_pid=1", "--set", "include_failed=true");
        assertEquals(0, ok.exitCode(), ok.out() + ok.err());
        assertTrue(ok.out().contains("handle_enter"), ok.out());
        CliRun bad = CliRun.of("verify", obj.toString(), "--set", "nope=1");
        assertEquals(2, bad.exitCode(), bad.err());
        assertTrue(bad.err().contains("settable globals: target_pid, include_failed"), bad.err());
    }

    @Test
    void anImageInTheStoreIsVerifiedLikeAFile(@TempDir Path store) {
        String ref = "localhost:5999/bee-test/execsnoop:v1";
        CliRun build = CliRun.of("build", Examples.source("execsnoop").toString(), ref, "--storage", store.toString());
        assertEquals(0, build.exitCode(), build.err());
        CliRun r = CliRun.of("verify", ref, "--storage", store.toString(), "-o", "json");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("handle_exec", json(r).get("programs").get(0).get("program").asText(), r.out());
    }

    @Test
    void aMissingFileIsNotFound() {
        CliRun r = CliRun.of("verify", "/nonexistent/probe.o");
        assertEquals(7, r.exitCode(), r.err());
        assertEquals(List.of(), r.out().lines().toList());
    }
}
