package dev.bee.cli;

import dev.bee.cli.ui.Screen;
import dev.bee.core.metrics.MetricsServer;
import dev.bee.core.sink.FanOutSink;
import dev.bee.core.sink.RecordSink;
import dev.bee.core.watch.Runner;

import java.util.function.Consumer;

/**
 * Where one {@code bee run}'s records go: the lines on stdout or, on a terminal, the live screen; and the
 * metrics endpoint when it is on. One fan-out feeds them; as the runner's listener it starts the screen
 * and bee's own metrics once everything is attached, and passes on the screen's quit key.
 */
final class RunOutputs implements Runner.Listener, AutoCloseable {
    private final FanOutSink sinks = new FanOutSink();
    private final Screen screen;
    private final MetricsServer metrics;
    private final Consumer<Runner.RunInfo> progress;

    /**
     * @param lines    the stdout sink, used when {@code screen} is null
     * @param screen   the live screen, or null for lines
     * @param metrics  the metrics endpoint, or null when off
     * @param progress told once everything is attached (the "running" line on stderr)
     */
    RunOutputs(RecordSink lines, Screen screen, MetricsServer metrics, Consumer<Runner.RunInfo> progress) {
        this.screen = screen;
        this.metrics = metrics;
        this.progress = progress;
        if (screen != null) {
            sinks.add("screen", screen.sink(), FanOutSink.OnFailure.DROP_SINK);
        } else {
            sinks.add("stdout", lines, FanOutSink.OnFailure.STOP_RUN);
        }
        if (metrics != null) {
            sinks.add("metrics", metrics.sink(), FanOutSink.OnFailure.DROP_SINK);
        }
    }

    FanOutSink sinks() {
        return sinks;
    }

    @Override
    public void started(Runner.RunInfo info) {
        if (metrics != null) {
            metrics.watch(info);
        }
        progress.accept(info);
        if (screen != null) {
            screen.start(info);
        }
    }

    @Override
    public boolean stopRequested() {
        return screen != null && screen.quitRequested();
    }

    /** After the run: the last records out, the terminal restored (held-back warnings printed). */
    void finish() {
        try {
            sinks.close();
        } finally {
            if (screen != null) {
                screen.close();
            }
        }
    }

    /** On every path out: the terminal restored and the endpoint closed. Idempotent. */
    @Override
    public void close() {
        try {
            if (screen != null) {
                screen.close();
            }
        } finally {
            if (metrics != null) {
                metrics.close();
            }
        }
    }
}
