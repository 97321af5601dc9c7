package dev.bee.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bee.core.sink.Json;
import dev.bee.core.testing.Examples;
import dev.bee.core.testing.Requirements;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
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

    /** Fails if a program named in {@code programs}, or a test object's map, is loaded. */
    private static void nothingLoaded(Set<String> programs, Set<Long> idsBefore) {
        for (JsonNode p : bpftool("prog", "list")) {
            assertFalse(programs.contains(p.path("name").asText()), "left loaded: " + p);
        }
        for (JsonNode m : bpftool("map", "list")) {
            assertFalse(TEST_MAPS.contains(m.path("name").asText()), "map left behind: " + m);
        }
        // In CI nothing else loads programs; on a shared machine others may, and only the names count.
        if (Requirements.strict()) {
            Set<Long> appeared = progIds();
            appeared.removeAll(idsBefore);
            assertEquals(Set.of(), appeared, "program ids that appeared during bee verify");
        }
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
        Set<Long> before = progIds();
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
                assertTrue(p.get("reason").isNull(), p.toString());
                assertTrue(p.get("log").isEmpty(), p.toString());
            }
        }
        assertTrue(programs.containsAll(Set.of("tcp_v4_connect", "handle_exec", "enter_nanosleep")), programs.toString());
        nothingLoaded(programs, before);
    }

    @Test
    void aRejectionShowsTheReasonAndTheFailingPathAndExits5() {
        Set<Long> before = progIds();
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
        Set<Long> before = progIds();
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
    void aMissingFileIsNotFound() {
        CliRun r = CliRun.of("verify", "/nonexistent/probe.o");
        assertEquals(7, r.exitCode(), r.err());
        assertEquals(List.of(), r.out().lines().toList());
    }
}
