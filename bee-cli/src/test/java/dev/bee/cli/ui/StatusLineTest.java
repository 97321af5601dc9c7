package dev.bee.cli.ui;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StatusLineTest {
    @Test
    void perMapFiguresAsTheWatcherCountsThem() {
        List<MapCounts> maps = List.of(new MapCounts("print_opens", 123456, 98765, "unknown", 0),
                new MapCounts("counter_x", 12, 1, "0", 3));
        assertEquals("print_opens: 123456 (98765/s), lost unknown, malformed 0 | counter_x: 12 (1/s), lost 0, malformed 3",
                StatusLine.render(maps, null, false).toString());
        assertEquals("PAUSED print_opens: 123456 (98765/s), lost unknown, malformed 0 | counter_x: 12 (1/s), lost 0, "
                + "malformed 3 | metrics http://127.0.0.1:9091/metrics",
                StatusLine.render(maps, "http://127.0.0.1:9091/metrics", true).toString());
        assertEquals("metrics :9091", StatusLine.render(List.of(), ":9091", false).toString());
    }
}
