package dev.bee.core.watch;

import dev.bee.core.decode.DurationValue;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Per-CPU values summed field by field: numbers of one kind add up, without overflow; others keep CPU 0's. */
class MapPollerTest {

    @Test
    void longsAddAndOverflowIntoBigIntegers() {
        assertEquals(7L, MapPoller.add(3L, 4L));
        assertEquals(-1L, MapPoller.add(-5L, 4L));
        assertEquals(BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE), MapPoller.add(Long.MAX_VALUE, 1L));
        assertEquals(BigInteger.valueOf(Long.MIN_VALUE).subtract(BigInteger.ONE), MapPoller.add(Long.MIN_VALUE, -1L));
    }

    @Test
    void bigIntegersAddAndComeBackToLongsWhenTheyFit() {
        BigInteger big = BigInteger.ONE.shiftLeft(64);
        assertEquals(big.add(BigInteger.TWO), MapPoller.add(big, 2L));
        assertEquals(big.add(BigInteger.TWO), MapPoller.add(2L, big));
        assertEquals(5L, MapPoller.add(BigInteger.valueOf(3), 2L), "a sum that fits a long is a Long");
        assertEquals(Long.class, MapPoller.add(big.negate(), big).getClass());
    }

    @Test
    void doublesAndDurationsAdd() {
        assertEquals(1.75, MapPoller.add(1.5, 0.25));
        assertEquals(new DurationValue(3_000), MapPoller.add(new DurationValue(1_000), new DurationValue(2_000)));
    }

    @Test
    void anythingElseKeepsTheFirstCpusValue() {
        assertEquals("cat", MapPoller.add("cat", "bash"));
        assertEquals(true, MapPoller.add(true, false));
        assertEquals(3L, MapPoller.add(3L, 1.5), "different kinds do not mix");
        assertEquals(1.5, MapPoller.add(1.5, 3L));
    }
}
