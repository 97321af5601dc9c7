package dev.bee.core.watch;

import dev.bee.core.sink.MapRecord;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * The one end of every event source: an entry of the {@link EventQueue} decoded in place by its map's
 * declared type and emitted; bytes that do not match the type are counted as malformed (and reported
 * once), never dropped silently. Watcher thread only.
 */
final class EventTail implements EventQueue.Entries {
    private final EventTarget[] targets;
    private final Emitter emitter;

    EventTail(List<EventTarget> targets, Emitter emitter) {
        this.targets = targets.toArray(EventTarget[]::new);
        this.emitter = emitter;
    }

    @Override
    public void entry(ByteBuffer buffer, int target, long epochNanos, int offset, int length) {
        EventTarget t = targets[target];
        Map<String, Object> fields;
        try {
            fields = t.decoder().decode(buffer, offset, length);
        } catch (RuntimeException e) {
            emitter.malformed(t.stats(), "an event", length, e);
            return;
        }
        emitter.emit(t.stats(), MapRecord.event(t.map(), EpochNanos.toInstant(epochNanos), fields));
    }
}
