package dev.bee.core.watch;

import dev.bee.core.object.BpfObject;
import dev.bee.core.object.ObjectReader;
import dev.bee.core.sink.MapRecord;
import dev.bee.core.sink.RecordSink;
import dev.bee.core.testing.Examples;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The warm-up runs the event path of an object's shown event maps into the sink it is given, and stops. */
class WarmupIT {
    private static final class Collecting implements RecordSink {
        final List<MapRecord> records = new ArrayList<>();
        int flushes;

        @Override
        public synchronized void write(MapRecord record) {
            records.add(record);
        }

        @Override
        public synchronized void flush() {
            flushes++;
        }
    }

    @Test
    void decodesSyntheticEventsOfEveryShownEventMapIntoTheTwin() throws Exception {
        BpfObject execsnoop = ObjectReader.read(Examples.object("execsnoop"));
        Collecting twin = new Collecting();
        try (Warmup w = Warmup.start(execsnoop, twin, Duration.ofSeconds(30))) {
            w.await();
        }
        assertEquals(Warmup.EVENTS, twin.records.size());
        assertTrue(twin.flushes >= Warmup.EVENTS / 64, "flushed in batches as the readers do: " + twin.flushes);
        MapRecord r = twin.records.get(twin.records.size() - 1);
        assertEquals("print_execs", r.map());
        assertEquals(MapRecord.Kind.EVENT, r.kind());
        // Decoded by the map's own type: the same fields a real event of it has.
        assertTrue(r.value().keySet().containsAll(List.of("pid", "comm")), r.value().keySet().toString());
    }

    @Test
    void theBudgetAndCloseBoundIt() throws Exception {
        BpfObject execsnoop = ObjectReader.read(Examples.object("execsnoop"));
        Collecting twin = new Collecting();
        try (Warmup w = Warmup.start(execsnoop, twin, Duration.ZERO)) {
            w.await();
        }
        assertTrue(twin.records.size() <= 1, "a spent budget stops it: " + twin.records.size());

        RecordSink slow = new RecordSink() {
            @Override
            public void write(MapRecord record) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void flush() {
            }
        };
        long t0 = System.nanoTime();
        Warmup w = Warmup.start(execsnoop, slow, Duration.ofSeconds(60));
        w.close(); // a failed load: stopped at once, not after its budget
        assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "close stops it");
    }

    @Test
    void anObjectWithoutEventMapsStartsNothing() throws Exception {
        BpfObject activeconn = ObjectReader.read(Examples.object("activeconn"));
        Collecting twin = new Collecting();
        try (Warmup w = Warmup.start(activeconn, twin, Duration.ofSeconds(30))) {
            w.await();
        }
        assertEquals(List.of(), twin.records);
    }
}
