package dev.bee.core.kernel;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The kernel's CPU lists: ranges and single CPUs, in order; anything else refused, not guessed at. */
class OnlineCpusTest {
    @Test
    void rangesAndSingleCpusAreListedInOrder() {
        assertEquals(List.of(0), OnlineCpus.parse("0\n"));
        assertEquals(List.of(0, 1, 2, 3), OnlineCpus.parse("0-3"));
        assertEquals(List.of(0, 1, 4, 6, 7), OnlineCpus.parse("0-1,4,6-7\n"));
    }

    @Test
    void whatIsNotACpuListIsRefused() {
        for (String bad : new String[]{"", "a", "3-1", "0-1-2", "-1", "0,", "99999999"}) {
            assertThrows(IllegalArgumentException.class, () -> OnlineCpus.parse(bad), bad);
        }
    }

    @Test
    void thisMachineHasOnlineCpus() {
        assertFalse(OnlineCpus.read().isEmpty());
    }
}
