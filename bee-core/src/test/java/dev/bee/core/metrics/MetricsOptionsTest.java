package dev.bee.core.metrics;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsOptionsTest {
    @Test
    void bucketsInBeesFormAndBumbleBeesBracketForm() {
        MetricsOptions o = MetricsOptions.parse("ebpf_solo_io", 10, List.of(), List.of("a,1,2.5,1e3", "b,[0,10]"));
        assertArrayEquals(new double[]{1, 2.5, 1000}, o.bucketsFor("a"));
        assertArrayEquals(new double[]{0, 10}, o.bucketsFor("b"));
        assertArrayEquals(MetricsOptions.DEFAULT_BUCKETS, o.bucketsFor("c"));
    }

    @Test
    void namesJoinPrefixAndMap() {
        assertEquals("ebpf_solo_io_counter_x", MetricsOptions.defaults().metricName("counter_x"));
        assertEquals("counter_x", MetricsOptions.parse("", 1, List.of(), List.of()).metricName("counter_x"));
    }

    @Test
    void badFlagsAreUsageErrorsThatShowTheRightForm() {
        for (Runnable bad : List.<Runnable>of(
                () -> MetricsOptions.parse("9bad", 1, List.of(), List.of()),
                () -> MetricsOptions.parse("p", 0, List.of(), List.of()),
                () -> MetricsOptions.parse("p", 1, List.of("nofield"), List.of()),
                () -> MetricsOptions.parse("p", 1, List.of(), List.of("m,2,1")),
                () -> MetricsOptions.parse("p", 1, List.of(), List.of("m,x")),
                () -> MetricsOptions.parse("p", 1, List.of(), List.of("m,1,Infinity")),
                () -> MetricsOptions.parse("p", 1, List.of(), List.of("m")))) {
            BeeException e = assertThrows(BeeException.class, bad::run);
            assertEquals(ErrorKind.USAGE, e.kind());
            assertTrue(e.hint() != null || e.getMessage().contains("--max-series"), e.getMessage());
        }
    }
}
