package dev.bee.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bee.core.testing.Requirements;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An iterator's text goes through the same emitter as every event: printed as a record under the
 * program's name, counted in the summary, and subject to --filter like any map.
 */
class IteratorOutputIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(40);

    @BeforeAll
    static void requirements() {
        Requirements.requireRoot();
        Requirements.requireKernelBtf();
        Requirements.requireTool("clang");
    }

    private static BeeProcess run(String... extra) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("run", TestObjects.object("iter_tasks").toString(),
                "-o", "json", "--duration", "1s", "--prom-port", "0"));
        args.addAll(List.of(extra));
        BeeProcess bee = BeeProcess.start(args.toArray(String[]::new));
        assertEquals(0, bee.waitFor(TIMEOUT), bee.err());
        return bee;
    }

    /** The summary row of the iterator: records, shown, filtered. */
    private static long[] row(BeeProcess bee) {
        Matcher m = Pattern.compile("(?m)^bee_iter_tasks\\s+iterator\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s").matcher(bee.err());
        assertTrue(m.find(), bee.err());
        return new long[]{Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))};
    }

    @Test
    void iteratorTextIsARecordCountedInTheSummary() throws Exception {
        try (BeeProcess bee = run()) {
            List<JsonNode> records = bee.records("bee_iter_tasks");
            assertEquals(1, records.size(), bee.out());
            assertTrue(records.get(0).path("iterator").asText().startsWith("bee_iter first task "), bee.out());
            assertEquals(List.of(1L, 1L, 0L), List.of(row(bee)[0], row(bee)[1], row(bee)[2]));
        }
    }

    @Test
    void theFilterAppliesToIteratorText() throws Exception {
        try (BeeProcess bee = run("--filter", "bee_iter_tasks,output,^no such text$")) {
            assertEquals(0, bee.records("bee_iter_tasks").size(), bee.out());
            assertEquals(List.of(1L, 0L, 1L), List.of(row(bee)[0], row(bee)[1], row(bee)[2]));
        }
        try (BeeProcess bee = run("--filter", "bee_iter_tasks,output,first task")) {
            assertEquals(1, bee.records("bee_iter_tasks").size(), bee.out());
        }
    }
}
