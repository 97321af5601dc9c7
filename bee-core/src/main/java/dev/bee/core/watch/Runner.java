package dev.bee.core.watch;

import dev.bee.core.attach.Attachment;
import dev.bee.core.object.BpfObject;
import dev.bee.core.runtime.LibbpfBinding;
import dev.bee.core.runtime.Loader;
import dev.bee.core.runtime.RunOptions;
import dev.bee.core.runtime.Session;
import dev.bee.core.runtime.StopSignals;
import dev.bee.core.sink.MapRecord;
import dev.bee.core.sink.OutputClosedException;
import dev.bee.core.sink.RecordFilter;
import dev.bee.core.sink.RecordSink;
import dev.bee.core.sink.RecordStage;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A whole {@code bee run}: load and attach, watch until a signal, the duration, the record limit, the
 * listener's request or the output's reader going away, then detach every program, read what is left, free the readers and close the object,
 * in that order, on every path out (an exception included). Iterator output goes through the watcher as records.
 */
public final class Runner {
    /** How the run went: time, per-map counts, why it stopped. */
    public record Result(Duration elapsed, List<MapStats> stats, String stopReason, Watcher.QueueUsage queue) {
    }

    /**
     * A running program as others see it once everything is attached: what is attached, the live counts
     * of every shown map, the kernel's statistics per program (empty unless asked for, and after the
     * run), and whether the kernel is keeping them (without CAP_SYS_ADMIN it is not, and no count is
     * true), and the use of the event queue. Safe to read from any thread.
     */
    public record RunInfo(List<String> attachments, List<MapStats> maps,
                          Supplier<List<Session.ProgramStats>> programStats, BooleanSupplier programStatsOn,
                          Supplier<Watcher.QueueUsage> queue) {
        /** For a run that reads no events as they come. */
        public static final Supplier<Watcher.QueueUsage> NO_QUEUE = () -> new Watcher.QueueUsage(0, 0, 0);
    }

    /** Told when everything is attached (the CLI reports it, starts the screen, registers metrics). */
    public interface Listener {
        void started(RunInfo info);

        /**
         * A stop asked for from outside the signals (a screen's quit key, a reader of the output that went
         * away); polled by the watcher.
         */
        default boolean stopRequested() {
            return false;
        }

        /** Why {@link #stopRequested()} said so, for the summary. */
        default String stopReason() {
            return "quit";
        }

        /**
         * A twin of the run's sinks that discards what it is given, for the {@link Warmup} while the
         * program loads; null for none.
         */
        default RecordSink warmupSink() {
            return null;
        }
    }

    /** The longest the warm-up may hold back "running" (it overlaps the load). */
    private static final Duration WARMUP_BUDGET = Duration.ofMillis(150);

    private Runner() {
    }

    public static Result run(BpfObject object, RunOptions runOptions, WatchOptions watchOptions, RecordSink sink,
                             RecordFilter filter, Listener listener) {
        return run(object, runOptions, watchOptions, sink, RecordStage.NONE, filter, listener);
    }

    /** As above, with {@code stage} between the decoder and the filter (enrichment; see {@link RecordStage}). */
    public static Result run(BpfObject object, RunOptions runOptions, WatchOptions watchOptions, RecordSink sink,
                             RecordStage stage, RecordFilter filter, Listener listener) {
        long start = System.nanoTime();
        // With --duration 0 nothing is watched (load, attach, detach): no event path to warm.
        boolean watches = watchOptions.duration() == null || !watchOptions.duration().isZero();
        RecordSink warm = watches ? listener.warmupSink() : null;
        // The warm-up overlaps the kernel's load and attach, not the binding: both are CPU in this JVM.
        LibbpfBinding.await();
        try (StopSignals stop = StopSignals.install();
             Warmup warmup = warm == null ? null : Warmup.start(object, warm, WARMUP_BUDGET)) {
            // An iterator prints as it is attached, before the watcher exists: its text waits for it.
            List<MapRecord> printed = new ArrayList<>();
            Session session = Loader.load(object, runOptions,
                    (program, text) -> printed.add(MapRecord.iterator(program, Instant.now(), text)));
            try {
                Watcher watcher = Watcher.create(session, watchOptions, sink, stage, filter);
                for (MapRecord r : printed) {
                    watcher.iteratorOutput(r);
                }
                List<String> attached = session.attachments().stream().map(Attachment::description).toList();
                if (warmup != null) {
                    warmup.await();
                }
                listener.started(new RunInfo(attached, watcher.stats(), session::programStats, session::runStatsOn,
                        watcher::queueUsage));
                BooleanSupplier stopNow = () -> stop.stopRequested() || listener.stopRequested();
                boolean outputClosed = false;
                try {
                    watcher.run(stopNow);
                } catch (OutputClosedException e) {
                    outputClosed = true;
                }
                String reason = outputClosed ? "output closed"
                        : stop.reason() != null ? stop.reason()
                        : listener.stopRequested() ? listener.stopReason()
                        : watchOptions.maxRecords() > 0 && watchOptions.duration() == null ? "max-events"
                        : "duration";
                if (!outputClosed && stop.reason() == null && !listener.stopRequested() && watchOptions.maxRecords() > 0
                        && watchOptions.duration() != null
                        && System.nanoTime() - start < watchOptions.duration().toNanos()) {
                    reason = "max-events";
                }
                session.detach();
                if (!outputClosed) {
                    try {
                        watcher.drain();
                    } catch (OutputClosedException e) {
                        reason = "output closed";
                    }
                }
                return new Result(Duration.ofNanos(System.nanoTime() - start), watcher.stats(), reason, watcher.queueUsage());
            } finally {
                session.close();
            }
        }
    }
}
