package dev.bee.cli.ui;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.sink.RecordSink;
import dev.bee.core.watch.MapStats;
import dev.bee.core.watch.Runner;
import org.jline.terminal.Size;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bee run}'s live screen on a terminal. Records come in through {@link #sink()} on the watcher
 * thread and are only filed in memory; one screen thread owns the terminal, reading keys and drawing at
 * most {@link #FRAMES_PER_SECOND} times a second, so a slow terminal never slows the watcher and a
 * flood of events costs no more redraws. Counts on screen are the watcher's, never what was drawn.
 *
 * <p>Life: {@link #create} before the run (the sink may receive iterator output during the load),
 * {@link #start} once everything is attached (so load and attach errors print normally), then
 * {@link #quitRequested()} polled by the runner, and {@link #close()} when the run is over, on every path,
 * before the summary is printed.
 */
public final class Screen implements AutoCloseable {
    static final int FRAMES_PER_SECOND = 10;
    /** Events kept per ring or perf buffer panel (and lines per iterator panel). */
    static final int HISTORY = 1000;
    private static final long FRAME_NANOS = 1_000_000_000L / FRAMES_PER_SECOND;
    private static final long JOIN_MILLIS = 2000;

    private final String name;
    private final String metrics;
    private final Feed feed = new Feed(HISTORY);
    private volatile boolean quit;
    private volatile boolean running;
    private volatile Throwable failure;
    private boolean closed;
    private TerminalSession terminal;
    private StderrCapture stderr;
    private Thread thread;

    private Screen(String name, String metrics) {
        this.name = name;
        this.metrics = metrics;
    }

    /** A screen for the program {@code name}; {@code metricsAddress} (may be null) is shown when set. */
    public static Screen create(String name, String metricsAddress) {
        return new Screen(name, metricsAddress);
    }

    /**
     * Whether the terminal type can show a screen at all: a dumb terminal (an editor's shell buffer,
     * TERM unset) cannot move the cursor, so it gets line output as a pipe does. A type that is set but
     * unknown is only found out by {@link #start}, which then fails with a hint.
     */
    public static boolean supported(String term) {
        return term != null && !term.isBlank() && !term.startsWith("dumb");
    }

    /** Where the run's records go (a {@code FanOutSink} member); never blocks on the terminal. */
    public RecordSink sink() {
        return feed;
    }

    /**
     * Takes over the terminal and starts drawing {@code info}'s maps; bee's messages to stderr are held
     * until {@link #close()}.
     *
     * @throws BeeException when the terminal cannot show the screen (nothing is left changed then)
     */
    public synchronized void start(Runner.RunInfo info) {
        if (closed || thread != null) {
            throw new IllegalStateException("the screen was already started or closed");
        }
        try {
            terminal = TerminalSession.open();
        } catch (IOException | RuntimeException e) {
            throw new BeeException(ErrorKind.ENVIRONMENT, "cannot show the screen on this terminal: " + e.getMessage(),
                    "use --no-tty for line output");
        }
        stderr = StderrCapture.start();
        running = true;
        thread = new Thread(() -> loop(info), "bee-screen");
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether the user asked to quit (q, Ctrl-C), or the screen failed and cannot show the run any more. */
    public boolean quitRequested() {
        return quit;
    }

    /**
     * Stops drawing, restores the terminal (normal screen, cursor, attributes) and replays what was
     * written to stderr meanwhile. Idempotent; safe whether or not {@link #start} ran or succeeded.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        running = false;
        try {
            if (thread != null) {
                thread.join(JOIN_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                if (terminal != null) {
                    terminal.close();
                }
            } finally {
                if (stderr != null) {
                    stderr.close();
                }
            }
        }
        if (failure != null) {
            System.err.println("bee: warning: the screen failed, so the run stopped: " + failure);
            System.err.flush();
        }
    }

    /** The screen thread: keys as they come, a frame every {@link #FRAME_NANOS} at most. */
    private void loop(Runner.RunInfo info) {
        try {
            ViewState view = new ViewState(info.maps().stream().map(Panel::of).toList());
            Map<String, RateMeter> meters = new HashMap<>();
            KeyDecoder keys = new KeyDecoder();
            Snapshot shown = Snapshot.EMPTY;
            boolean input = true;
            long nextFrame = System.nanoTime();
            while (running) {
                long wait = Math.max(1, (nextFrame - System.nanoTime()) / 1_000_000);
                Key key = null;
                if (input) {
                    int c = terminal.read(wait);
                    if (c == TerminalSession.END) {
                        input = false; // stdin is gone: keep drawing until the run ends some other way
                    } else {
                        key = c == TerminalSession.TIMEOUT ? keys.idle() : keys.feed(c);
                    }
                } else {
                    Thread.sleep(wait);
                }
                if (key != null && KeyBindings.apply(key, view, shown)) {
                    quit = true;
                }
                if (key != null) {
                    // Event panels keep what their filter matches apart (Feed.filter).
                    for (Panel p : view.panels()) {
                        if (p.kind() == Panel.Kind.EVENTS) {
                            feed.filter(p.name(), view.view(p).filter());
                        }
                    }
                }
                long now = System.nanoTime();
                if (now - nextFrame >= 0) {
                    shown = frame(info, view, meters, now);
                    nextFrame = now + FRAME_NANOS;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            failure = e;
            quit = true;
        }
    }

    /** Draws one frame at {@code now} (System.nanoTime) and returns the data it showed. */
    private Snapshot frame(Runner.RunInfo info, ViewState view, Map<String, RateMeter> meters, long now) {
        Snapshot shown = view.paused() ? view.frozen() : feed.snapshot();
        shown.outputs().keySet().forEach(program -> view.add(Panel.iterator(program)));
        List<MapCounts> counts = new ArrayList<>();
        for (MapStats s : info.maps()) {
            long records = s.records();
            long perSecond = meters.computeIfAbsent(s.map(), m -> new RateMeter()).update(now, records);
            counts.add(new MapCounts(s.map(), records, perSecond, s.lostText(), s.malformed()));
        }
        Size size = terminal.size();
        terminal.draw(Frame.render(heading(info.attachments()), view, shown, stderr.latestLine(),
                StatusLine.render(counts, metrics, view.paused()), size.getRows(), size.getColumns()), size);
        return shown;
    }

    private String heading(List<String> attachments) {
        return "bee run " + name + "  " + attachments.size() + " attached: " + String.join(", ", attachments);
    }
}
