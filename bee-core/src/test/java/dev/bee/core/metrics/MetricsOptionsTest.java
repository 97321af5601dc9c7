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
        MetricsOptions o = MetricsOptions.parse("ebpf_solo_io", 10, "bee", List.of(), List.of("a,1,2.5,1e3", "b,[0,10]"));
        assertArrayEquals(new double[]{1, 2.5, 1000}, o.bucketsFor("a", false));
        assertArrayEquals(new double[]{0, 10}, o.bucketsFor("b", true));
        assertArrayEquals(MetricsOptions.DEFAULT_BUCKETS, o.bucketsFor("c", false));
        assertArrayEquals(MetricsOptions.DEFAULT_SECONDS_BUCKETS, o.bucketsFor("c", true));
    }

    @Test
    void beeNamesLeaveOutTheConventionWordBumbleBeeNamesKeepTheMapName() {
        assertEquals("ebpf_solo_io_x", MetricsOptions.defaults().metricName("counter_x"));
        assertEquals("ebpf_solo_io_opens", MetricsOptions.defaults().metricName("gauge_opens"));
        assertEquals("lat", MetricsOptions.parse("", 1, "bee", List.of(), List.of()).metricName("hist_lat"));
        assertEquals("ebpf_solo_io_counter_x",
                MetricsOptions.parse("ebpf_solo_io", 1, "bumblebee", List.of(), List.of()).metricName("counter_x"));
        assertEquals("counter_x", MetricsOptions.parse("", 1, "BumbleBee", List.of(), List.of()).metricName("counter_x"));
        // A name that would be empty or start with a digit keeps the convention word.
        assertEquals("counter_", MetricsOptions.parse("", 1, "bee", List.of(), List.of()).metricName("counter_"));
        assertEquals("hist_1x", MetricsOptions.parse("", 1, "bee", List.of(), List.of()).metricName("hist_1x"));
        assertEquals("p_other", MetricsOptions.parse("p", 1, "bee", List.of(), List.of()).metricName("other"));
    }

    @Test
    void secondsReplaceANsSuffixOrAreAdded() {
        assertEquals("p_latency_seconds", MetricNaming.seconds("p_latency_ns"));
        assertEquals("p_latency_seconds", MetricNaming.seconds("p_latency"));
        assertEquals("p_wait_seconds", MetricNaming.seconds("p_wait_seconds"));
    }

    @Test
    void badFlagsAreUsageErrorsThatShowTheRightForm() {
        for (Runnable bad : List.<Runnable>of(
                () -> MetricsOptions.parse("9bad", 1, "bee", List.of(), List.of()),
                () -> MetricsOptions.parse("p", 1, "prometheus", List.of(), List.of()),
                () -> MetricsOptions.parse("p", 0, "bee", List.of(), List.of()),
                () -> MetricsOptions.parse("p", 1, "bee", List.of("nofield"), List.of()),
                () -> MetricsOptions.parse("p", 1, "bee", List.of(), List.of("m,2,1")),
                () -> MetricsOptions.parse("p", 1, "bee", List.of(), List.of("m,x")),
                () -> MetricsOptions.parse("p", 1, "bee", List.of(), List.of("m,1,Infinity")),
                () -> MetricsOptions.parse("p", 1, "bee", List.of(), List.of("m")))) {
            BeeException e = assertThrows(BeeException.class, bad::run);
            assertEquals(ErrorKind.USAGE, e.kind());
            assertTrue(e.hint() != null || e.getMessage().contains("--max-series"), e.getMessage());
        }
    }
}
