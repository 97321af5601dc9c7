package dev.bee.core.runtime;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Reading the verifier's log: statistics, the reason, and the failing path. */
class VerifierLogTest {
    /** A level 1|4 log of a program that branches, then fails on the second path. */
    private static final String BRANCHED = """
            func#0 @0
            0: R1=ctx() R10=fp0
            0: (b7) r1 = 0                        ; R1_w=0
            1: (85) call bpf_map_lookup_elem#1    ; R0_w=map_value_or_null(id=1)
            2: (15) if r0 == 0x0 goto pc+2        ; R0_w=map_value(id=1)
            3: (79) r1 = *(u64 *)(r0 +0)          ; R1_w=scalar()
            4: (95) exit
            from 2 to 5: R0_w=0 R10=fp0
            5: (79) r1 = *(u64 *)(r0 +0)
            R0 invalid mem access 'scalar'
            verification time 35 usec
            stack depth 8
            processed 9 insns (limit 1000000) max_states_per_insn 0 total_states 1 peak_states 1 mark_read 0
            """;

    @Test
    void statistics() {
        assertEquals(OptionalLong.of(9), VerifierLog.processedInstructions(BRANCHED));
        assertEquals(OptionalLong.of(35), VerifierLog.verificationMicros(BRANCHED));
        assertEquals(OptionalLong.empty(), VerifierLog.verificationMicros("processed 3 insns (limit 1000000)"));
        assertEquals(OptionalLong.empty(), VerifierLog.processedInstructions(""));
    }

    @Test
    void statesAndStackDepth() {
        VerifierLog.States states = VerifierLog.states(BRANCHED);
        assertEquals(OptionalLong.of(1), states.total());
        assertEquals(OptionalLong.of(1), states.peak());
        assertEquals(OptionalLong.of(0), states.maxPerInstruction());
        assertEquals("8", VerifierLog.stackDepth(BRANCHED));
        assertEquals("24+0", VerifierLog.stackDepth("stack depth 24+0\nprocessed 40 insns (limit 1000000) "
                + "max_states_per_insn 2 total_states 7 peak_states 7 mark_read 3\n"));
        assertEquals(OptionalLong.of(2), VerifierLog.states("processed 40 insns (limit 1000000) max_states_per_insn 2 "
                + "total_states 7 peak_states 6 mark_read 3").maxPerInstruction());
        // Older kernels end the line early: what is missing is unknown, not 0.
        VerifierLog.States old = VerifierLog.states("processed 3 insns (limit 1000000)");
        assertEquals(OptionalLong.empty(), old.total());
        assertEquals(OptionalLong.empty(), old.peak());
        assertNull(VerifierLog.stackDepth("processed 3 insns"));
    }

    @Test
    void reasonIsTheLastLineBeforeTheStatistics() {
        assertEquals("R0 invalid mem access 'scalar'", VerifierLog.reason(BRANCHED));
        assertNull(VerifierLog.reason(""));
    }

    @Test
    void failingPathStartsAtTheLastBranch() {
        VerifierLog.Excerpt e = VerifierLog.failingPath(BRANCHED, 40);
        assertEquals(List.of("from 2 to 5: R0_w=0 R10=fp0", "5: (79) r1 = *(u64 *)(r0 +0)",
                "R0 invalid mem access 'scalar'"), e.lines());
        assertEquals(7, e.leftOut());
    }

    @Test
    void aLongPathKeepsItsEnd() {
        StringBuilder log = new StringBuilder("0: R1=ctx() R10=fp0\n");
        for (int i = 0; i < 5000; i++) {
            log.append(i).append(": (07) r2 += 1\n");
        }
        log.append("R2 unbounded memory access\nprocessed 5001 insns (limit 1000000)\n");
        VerifierLog.Excerpt e = VerifierLog.failingPath(log.toString(), 40);
        assertEquals(40, e.lines().size());
        assertEquals("R2 unbounded memory access", e.lines().get(39));
        assertEquals(4962, e.leftOut());
        assertEquals(5002, VerifierLog.failingPath(log.toString(), 0).lines().size());
    }

    @Test
    void withoutABranchThePathIsTheWholeLog() {
        VerifierLog.Excerpt e = VerifierLog.failingPath("0: R1=ctx()\n0: (95) exit\nR0 !read_ok\n", 0);
        assertEquals(3, e.lines().size());
        assertEquals(0, e.leftOut());
    }
}
