package dev.bee.core.metrics;

import dev.bee.core.object.BpfObject;
import dev.bee.core.object.ObjectReader;
import dev.bee.core.testing.Examples;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which programs use a map, from a real object's relocations, for the metrics' HELP text. */
class MapOriginIT {
    @Test
    void namesTheProgramsWhoseCodeUsesTheMap() {
        BpfObject o = ObjectReader.read(Examples.object("sleeplat"));
        MapOrigin origin = MapOrigin.of(o);
        assertEquals("sleeplat.o", origin.object());
        // The exit programs (through an inlined helper) write the histograms; the enter programs only start.
        assertEquals(List.of("exit_nanosleep", "exit_clock_nanosleep"), origin.users().get("hist_sleep_latency"));
        assertEquals("sleeplat.o (programs exit_nanosleep, exit_clock_nanosleep)", origin.text("hist_sleep_latency"));
        assertEquals(4, origin.users().get("start").size(), origin.users().toString());
        // Without relocations for a map, every program is named; past four, the rest are counted.
        MapOrigin many = new MapOrigin("x.o", List.of("a", "b", "c", "d", "e"), Map.of());
        assertEquals("x.o (programs a, b, c, d and 1 more)", many.text("m"));
        assertEquals("x.o", new MapOrigin("x.o", List.of(), Map.of()).text("m"));
    }
}
