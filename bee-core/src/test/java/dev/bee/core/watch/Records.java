package dev.bee.core.watch;

import dev.bee.core.sink.MapRecord;
import dev.bee.core.sink.RecordSink;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A sink that keeps what it is given, counts flushes, and can run a check (or fail) on each write. */
final class Records implements RecordSink {
    final List<MapRecord> written = new ArrayList<>();
    int flushes;
    Consumer<MapRecord> onWrite = r -> {
    };

    @Override
    public void write(MapRecord record) {
        onWrite.accept(record);
        written.add(record);
    }

    @Override
    public void flush() {
        flushes++;
    }
}
