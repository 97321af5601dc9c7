package dev.bee.core.watch;

import dev.bee.core.object.BpfObject;
import dev.bee.core.runtime.Attachment;
import dev.bee.core.runtime.Loader;
import dev.bee.core.runtime.RunOptions;
import dev.bee.core.runtime.Session;
import dev.bee.core.runtime.StopSignals;
import dev.bee.core.sink.RecordFilter;
import dev.bee.core.sink.RecordSink;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * A whole {@code bee run}: load and attach, watch until a signal, the duration or the record limit,
 * then detach every program, read what is left, free the readers and close the object, in that
 * order, on every path out (an exception included).
 */
public final class Runner {
    /** How the run went: time, per-map counts, why it stopped, what was attached. */
    public record Result(Duration elapsed, List<MapStats> stats, String stopReason, List<String> attached) {
        public long totalRecords() {
            return stats.stream().mapToLong(MapStats::records).sum();
        }

        public long totalLost() {
            return stats.stream().mapToLong(MapStats::lost).sum();
        }
    }

    /** Where the runner reports progress for people (stderr in the CLI). */
    public interface Progress {
        void attached(List<String> attachments, List<String> shownMaps);
    }

    private Runner() {
    }

    public static Result run(BpfObject object, RunOptions runOptions, WatchOptions watchOptions, RecordSink sink,
                             RecordFilter filter, Consumer<String> iterOutput, Progress progress) {
        long start = System.nanoTime();
        try (StopSignals stop = StopSignals.install()) {
            Session session = Loader.load(object, runOptions, iterOutput);
            try {
                Watcher watcher = Watcher.create(session, watchOptions, sink, filter);
                List<String> attached = session.attachments().stream().map(Attachment::description).toList();
                progress.attached(attached, watcher.shownMaps());
                watcher.run(stop::stopRequested);
                String reason = stop.reason() != null ? stop.reason()
                        : watchOptions.maxRecords() > 0 && watchOptions.duration() == null ? "max-events"
                        : "duration";
                if (stop.reason() == null && watchOptions.maxRecords() > 0 && watchOptions.duration() != null
                        && System.nanoTime() - start < watchOptions.duration().toNanos()) {
                    reason = "max-events";
                }
                session.detach();
                watcher.drain();
                return new Result(Duration.ofNanos(System.nanoTime() - start), watcher.stats(), reason, attached);
            } finally {
                session.close();
            }
        }
    }
}
