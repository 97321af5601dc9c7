package dev.bee.cli;

import dev.bee.cli.ui.Screen;
import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.io.AtomicFiles;
import dev.bee.core.metrics.MetricsServer;
import dev.bee.core.runtime.StdoutReaderCheck;
import dev.bee.core.io.Json;
import dev.bee.core.io.WriteError;
import dev.bee.core.sink.OutputClosedException;
import dev.bee.core.watch.MapStats;
import dev.bee.core.sink.FanOutSink;
import dev.bee.core.sink.RecordSink;
import dev.bee.core.watch.Runner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Where one {@code bee run}'s records go: the lines on stdout or, on a terminal, the live screen; and the
 * metrics endpoint when it is on. One fan-out feeds them; as the runner's listener it starts the screen
 * and bee's own metrics once everything is attached (and writes the ready file), and asks the runner to
 * stop on the screen's quit key or when nobody reads stdout any more.
 */
final class RunOutputs implements Runner.Listener, AutoCloseable {
    private final FanOutSink sinks = new FanOutSink();
    private final Screen screen;
    private final MetricsServer metrics;
    private final Consumer<Runner.RunInfo> progress;
    private final Path readyFile;
    private final StdoutReaderCheck stdoutReaderCheck;
    private final Function<PrintStream, RecordSink> linesTo;
    private boolean readyWritten;

    /**
     * @param linesTo  makes the lines sink on a stream: on {@code out}, used when {@code screen} is null; null
     *                 when no records are printed ({@code -o none})
     * @param out      stdout
     * @param screen   the live screen, or null for lines
     * @param metrics  the metrics endpoint, or null when off
     * @param progress told once everything is attached (the "running" line on stderr)
     * @param readyFile written once everything is attached and removed at the end, or null
     */
    RunOutputs(Function<PrintStream, RecordSink> linesTo, PrintStream out, Screen screen, MetricsServer metrics,
               Consumer<Runner.RunInfo> progress, Path readyFile) {
        this.linesTo = linesTo;
        this.screen = screen;
        this.metrics = metrics;
        this.progress = progress;
        this.readyFile = readyFile;
        this.stdoutReaderCheck = screen == null && linesTo != null ? new StdoutReaderCheck() : null;
        if (screen != null) {
            sinks.add("screen", screen.sink(), FanOutSink.OnFailure.DROP_SINK);
        } else if (linesTo != null) {
            sinks.add("stdout", linesTo.apply(out), FanOutSink.OnFailure.STOP_RUN);
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
        if (readyFile != null) {
            writeReady(info);
        }
        if (screen != null) {
            screen.start(info);
        }
    }

    /** Refuses a --ready-file path that exists (a file, folder or symlink): checked before anything loads. */
    static void requireNewReadyFile(Path readyFile) {
        if (readyFile != null && Files.exists(readyFile, LinkOption.NOFOLLOW_LINKS)) {
            throw readyFileExists(readyFile);
        }
    }

    private static BeeException readyFileExists(Path readyFile) {
        return new BeeException(ErrorKind.USAGE, "--ready-file " + readyFile + " exists; bee writes its ready file"
                + " new and removes it at the end, so it does not take an existing one",
                "remove it if a bee run that ended left it, or give another path");
    }

    /** The ready file: what a script waiting for the attach needs to know, written whole or not at all. */
    private void writeReady(Runner.RunInfo info) {
        Map<String, Object> ready = new LinkedHashMap<>();
        ready.put("pid", ProcessHandle.current().pid());
        ready.put("attached", info.attachments());
        ready.put("maps", info.maps().stream().map(MapStats::map).toList());
        ready.put("metrics", metrics == null ? null : metrics.url());
        try {
            // Never over a file: bee removes its ready file at the end, so it must be bee's own.
            AtomicFiles.writeNew(readyFile, (Json.line(ready) + "\n").getBytes(StandardCharsets.UTF_8));
            readyWritten = true;
        } catch (FileAlreadyExistsException e) {
            throw readyFileExists(readyFile);
        } catch (IOException e) {
            throw WriteError.of(readyFile, e, "give --ready-file another path");
        }
    }

    /**
     * The lines sink again, discarding: what the warm-up runs while the program loads. Not the metrics
     * (a twin would repeat their warnings) nor the screen, which keep up without it.
     */
    @Override
    public RecordSink warmupSink() {
        if (screen != null || linesTo == null) {
            return null;
        }
        FanOutSink twin = new FanOutSink();
        twin.add("stdout", linesTo.apply(new PrintStream(OutputStream.nullOutputStream(), false,
                StandardCharsets.UTF_8)), FanOutSink.OnFailure.DROP_SINK);
        return twin;
    }

    @Override
    public boolean stopRequested() {
        return screen != null ? screen.quitRequested() : stdoutReaderCheck != null && stdoutReaderCheck.gone();
    }

    @Override
    public String stopReason() {
        return screen != null ? "quit" : "output closed";
    }

    /** After the run: the last records out, the terminal restored (held-back warnings printed). */
    void finish() {
        try {
            sinks.close();
        } catch (OutputClosedException e) {
            // nobody reads the records any more; the summary still goes to stderr
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
            if (readyWritten) {
                Files.deleteIfExists(readyFile);
            }
        } catch (IOException e) {
            // a ready file that cannot be removed is only stale
        } finally {
            if (metrics != null) {
                metrics.close();
            }
        }
    }
}
