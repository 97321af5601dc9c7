package dev.bee.core.sink;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FanOutSinkTest {
    private static final MapRecord R = new MapRecord("m", MapRecord.Kind.EVENT, Instant.EPOCH, Map.of(), Map.of("a", 1L));

    private static final class Recording implements RecordSink {
        final List<MapRecord> seen = new ArrayList<>();
        boolean fail;

        @Override
        public void write(MapRecord record) {
            if (fail) {
                throw new IllegalStateException("broken");
            }
            seen.add(record);
        }

        @Override
        public void flush() {
        }
    }

    @Test
    void everySinkGetsEveryRecord() {
        Recording a = new Recording();
        Recording b = new Recording();
        FanOutSink f = new FanOutSink().add("a", a, FanOutSink.OnFailure.STOP_RUN).add("b", b, FanOutSink.OnFailure.DROP_SINK);
        f.write(R);
        f.write(R);
        assertEquals(2, a.seen.size());
        assertEquals(2, b.seen.size());
    }

    @Test
    void aFailingDroppableSinkIsSwitchedOffAndTheOthersGoOn() {
        Recording out = new Recording();
        Recording metrics = new Recording();
        FanOutSink f = new FanOutSink().add("metrics", metrics, FanOutSink.OnFailure.DROP_SINK)
                .add("stdout", out, FanOutSink.OnFailure.STOP_RUN);
        metrics.fail = true;
        f.write(R);
        metrics.fail = false;
        f.write(R);
        assertEquals(2, out.seen.size());
        assertEquals(0, metrics.seen.size(), "a dropped sink stays off");
    }

    @Test
    void aFailingStdoutEndsTheRun() {
        Recording out = new Recording();
        FanOutSink f = new FanOutSink().add("stdout", out, FanOutSink.OnFailure.STOP_RUN);
        out.fail = true;
        assertThrows(IllegalStateException.class, () -> f.write(R));
    }
}
