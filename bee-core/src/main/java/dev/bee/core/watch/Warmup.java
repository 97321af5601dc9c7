package dev.bee.core.watch;

import dev.bee.core.decode.EventDecoder;
import dev.bee.core.object.BpfObject;
import dev.bee.core.object.MapSpec;
import dev.bee.core.object.OutputKind;
import dev.bee.core.sink.MapRecord;
import dev.bee.core.sink.RecordSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the event path (decoding an event in place, then every sink) on synthetic events while the
 * program loads, on another thread, so the JIT has compiled it before the first real event: a burst that
 * meets a cold path fills the ring buffer while the JVM still interprets (measured: 67k of a 1M-event
 * burst into a 16 MiB ring dropped, where the C consumer dropped none). The sink is a twin of the run's
 * that discards what it is given; the decoders are the run's own kind, over direct memory as the ring is.
 */
public final class Warmup implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Warmup.class);
    /**
     * Events per map: past the optimizing compiler's invocation threshold (Tier4InvocationThreshold: 5000
     * by default, 2000 in the flags the launcher gives `bee run` before JDK 22), so its compiles are
     * queued before the first real event.
     */
    static final int EVENTS = 6_000;
    private static final int BATCH = 64;

    private final Thread thread;
    private volatile boolean stop;

    private Warmup(List<Target> targets, RecordSink sink, Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        thread = new Thread(() -> run(targets, sink, deadline), "bee-warmup");
        thread.setDaemon(true);
    }

    private record Target(String map, EventDecoder decoder, ByteBuffer sample) {
    }

    /**
     * Starts warming the path of every ring buffer and perf event array of {@code object} that is shown,
     * into {@code sink}, for at most {@code budget}.
     */
    public static Warmup start(BpfObject object, RecordSink sink, Duration budget) {
        List<Target> targets = new ArrayList<>();
        for (MapSpec spec : object.maps()) {
            if (spec.output() == OutputKind.NONE || !spec.type().isEvents()) {
                continue;
            }
            EventDecoder decoder = new EventDecoder(object.btf(), object.elf().byteOrder(), spec.valueTypeId(),
                    "value", spec.valueSize());
            if (decoder.typed() && decoder.size() > 0) {
                ByteBuffer sample = ByteBuffer.allocateDirect(decoder.size()).order(ByteOrder.nativeOrder());
                targets.add(new Target(spec.name(), decoder, sample));
            }
        }
        Warmup w = new Warmup(targets, sink, budget);
        if (!targets.isEmpty()) {
            w.thread.start();
        }
        return w;
    }

    private void run(List<Target> targets, RecordSink sink, long deadline) {
        long started = System.nanoTime();
        int done = 0;
        try {
            for (int i = 0; i < EVENTS && !stop && System.nanoTime() < deadline; i++) {
                for (Target t : targets) {
                    // Some non-zero bytes, so strings and numbers take their usual branches.
                    t.sample().put((i & 15) % t.sample().capacity(), (byte) ('a' + (i & 15)));
                    Map<String, Object> fields = t.decoder().decode(t.sample(), 0, t.sample().capacity());
                    sink.write(MapRecord.event(t.map(), Instant.now(), fields));
                }
                if (i % BATCH == BATCH - 1) {
                    sink.flush();
                }
                done = i + 1;
            }
        } catch (RuntimeException e) {
            LOG.debug("warm-up stopped: {}", e.toString());
        }
        LOG.debug("warm-up: {} events per map in {} ms", done, (System.nanoTime() - started) / 1_000_000);
    }

    /** Waits for the warm-up to end (it ends by its budget). */
    public void await() {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops it early (the run failed) and waits for it. */
    @Override
    public void close() {
        stop = true;
        if (thread.isAlive()) {
            await();
        }
    }
}
