package dev.bee.core.metrics;

import dev.bee.core.object.BpfObject;
import dev.bee.core.object.MapSpec;
import dev.bee.core.object.MapType;
import dev.bee.core.object.OutputKind;
import dev.bee.core.sink.MapRecord;
import dev.bee.core.testing.Exposition;
import dev.bee.core.testing.RegistryServer;
import dev.bee.core.watch.Runner;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The endpoint's registrations: bee_build_info from the start, bee's own metrics once the run is attached. */
class MetricsServerTest {
    @Test
    void aMapMetricCannotTakeOneOfBeesOwnNames() throws java.io.IOException {
        MapSpec spec = new MapSpec("counter_map_records", ".maps", MapType.HASH, 4, 8, 16, 0, false,
                OutputKind.of("counter_map_records", ".maps"), null, null, 0, 0);
        BpfObject object = new BpfObject("t.o", "GPL", List.of(), List.of(spec), List.of(), null, null, null);
        int port = RegistryServer.freePort();
        try (MetricsServer server = MetricsServer.start(object,
                MetricsOptions.parse("bee", 100, "bee", List.of(), List.of()), "127.0.0.1", port)) {
            server.sink().write(new MapRecord("counter_map_records", MapRecord.Kind.ENTRY, Instant.EPOCH,
                    Map.of("cpu", 0L), Map.of("value", 5L)));
            server.watch(new Runner.RunInfo(List.of(), List.of(), List::of, () -> false));
            Exposition e = Exposition.scrape(server.url().replace("0.0.0.0", "127.0.0.1"), null);
            // The map's metric is left out (with a warning); bee's own are served.
            assertTrue(e.find("bee_map_records_total", "cpu", "0").isEmpty(), e.body());
            assertEquals(0, e.value("bee_program_stats_enabled").orElseThrow(), e.body());
            assertEquals(1, e.find("bee_build_info").size(), e.body());
        }
    }
}
