package dev.bee.core.watch;

import dev.bee.core.BeeException;
import dev.bee.core.decode.EventDecoder;
import dev.bee.core.ErrorKind;
import dev.bee.core.libbpf.AnonymousMemory;
import dev.bee.core.libbpf.LibbpfException;
import dev.bee.core.libbpf.MapHandle;
import dev.bee.core.libbpf.BpfCalls;
import dev.bee.core.object.BpfObject;
import dev.bee.core.object.MapSpec;
import dev.bee.core.object.MapType;
import dev.bee.core.object.OutputKind;
import dev.bee.core.runtime.Session;
import dev.bee.core.sink.MapRecord;
import dev.bee.core.sink.RecordFilter;
import dev.bee.core.sink.RecordSink;
import dev.bee.core.sink.RecordStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Turns the shown maps of a loaded object (those with a {@code print_}, {@code counter_},
 * {@code gauge_} or {@code hist_} convention) into records: ring buffers and perf event arrays are
 * read as events arrive, hash and array maps polled every interval. Events are taken out of the kernel
 * by the {@link EventDrain}'s thread into a bounded {@link EventQueue}; decoding, the filter and every
 * sink run behind it on the thread that calls {@link #run}, which also polls the maps. The drain, its
 * sources and the queue belong to the {@link Session}, which frees them after the programs are detached.
 */
public final class Watcher {
    private static final Logger LOG = LoggerFactory.getLogger(Watcher.class);
    private static final long MAX_WAIT_NANOS = 100_000_000L;
    /** Entries decoded between looks at the clock (map polls, the stop, the output's flush). */
    private static final int TAKE = 1024;
    /** Longest decoded records wait in a sink's buffer while a busy queue never runs empty. */
    private static final long FLUSH_NANOS = 100_000_000L;
    /** Pages per CPU of a perf event array's buffers (libbpf's perf_buffer takes the same from bee). */
    static final int PERF_PAGES = 64;
    static final String RING_READER_PROPERTY = "bee.ringbuf.reader";
    static final String PERF_READER_PROPERTY = "bee.perfbuf.reader";
    /** How often the live lost counts of ring buffers are refreshed (the summary reads them at the end). */
    private static final long LOSS_INTERVAL_NANOS = 500_000_000L;
    /**
     * What all map pollers together may keep of their maps (docs/metrics.md, "Large maps"), split evenly:
     * 262,144 entries of an 8-byte key fit, within bee run's 48 MiB heap.
     */
    static final long TRACK_BYTES = 12L << 20;
    /** Longest the reading of what the rings hold after a stop goes on: a stop must not wait on a slow filter. */
    private static final long FINAL_DRAIN_NANOS = 2_000_000_000L;

    private final WatchOptions options;
    private final Emitter emitter;
    private final Map<String, MapStats> stats = new LinkedHashMap<>();
    private EventDrain drain;
    private EventTail tail;
    private final List<MapPoller> pollers = new ArrayList<>();
    private final List<RingLossCounter> lossCounters = new ArrayList<>();
    private long nextPollNanos;
    private long nextLossNanos;

    private Watcher(WatchOptions options, Emitter emitter) {
        this.options = options;
        this.emitter = emitter;
    }

    /** Sets up readers for every shown map of the session's object; checks the filter against them. */
    public static Watcher create(Session session, WatchOptions options, RecordSink sink, RecordFilter filter) {
        return create(session, options, sink, RecordStage.NONE, filter);
    }

    /** As above, with {@code stage} between the decoder and the filter (enrichment; see {@link RecordStage}). */
    public static Watcher create(Session session, WatchOptions options, RecordSink sink, RecordStage stage,
                                 RecordFilter filter) {
        Watcher w = new Watcher(options, new Emitter(sink, stage, filter, options.maxRecords()));
        BpfObject object = session.object();
        Map<String, Set<String>> fields = new LinkedHashMap<>();
        List<EventTarget> ringTargets = new ArrayList<>();
        List<EventTarget> perfTargets = new ArrayList<>();
        List<MapHandle> rings = new ArrayList<>();
        List<MapHandle> perfs = new ArrayList<>();
        int cpus = -1;
        long polled = object.maps().stream()
                .filter(m -> m.output() != OutputKind.NONE && m.type().isKeyed() && session.map(m.name()).isPresent())
                .count();
        long trackBytes = TRACK_BYTES / Math.max(1, polled);
        for (MapSpec spec : object.maps()) {
            if (spec.output() == OutputKind.NONE) {
                continue;
            }
            MapHandle h = session.map(spec.name()).orElse(null);
            if (h == null) {
                LOG.warn("map {} was not created by libbpf; not shown", spec.name());
                continue;
            }
            EventDecoder value = new EventDecoder(object.btf(), object.elf().byteOrder(), spec.valueTypeId(),
                    "value", spec.valueSize());
            if (spec.type() == MapType.RINGBUF) {
                if (!value.typed()) {
                    throw new BeeException(ErrorKind.INPUT, "ring buffer " + spec.name() + " declares no value type",
                            "declare it: __type(value, struct event_t); so bee can decode its events");
                }
                MapHandle counter = lossCounter(session, spec);
                MapStats s = w.stat(spec, "ring buffer", counter != null);
                if (counter != null) {
                    if (cpus < 0) {
                        cpus = BpfCalls.possibleCpus();
                    }
                    w.lossCounters.add(new RingLossCounter(counter, cpus, s));
                }
                rings.add(h);
                ringTargets.add(new EventTarget(spec.name(), value, s));
                fields.put(spec.name(), value.fieldNames());
            } else if (spec.type() == MapType.PERF_EVENT_ARRAY) {
                if (!value.typed()) {
                    LOG.warn("perf event array {} declares no value type; not shown "
                            + "(declare __type(value, struct event_t))", spec.name());
                    continue;
                }
                MapStats s = w.stat(spec, "perf buffer", true);
                perfs.add(h);
                perfTargets.add(new EventTarget(spec.name(), value, s));
                fields.put(spec.name(), value.fieldNames());
            } else if (spec.type().isKeyed()) {
                if (cpus < 0) {
                    cpus = BpfCalls.possibleCpus();
                }
                EventDecoder key = new EventDecoder(object.btf(), object.elf().byteOrder(), spec.keyTypeId(), "key",
                        spec.keySize());
                MapStats s = w.stat(spec, "polled", true);
                w.pollers.add(new MapPoller(h, key, value, spec.type().isPerCpu(), cpus, options.perCpu(), s,
                        trackBytes, options.interval()));
                Set<String> f = new java.util.LinkedHashSet<>(key.fieldNames());
                f.addAll(value.fieldNames());
                fields.put(spec.name(), f);
            } else {
                LOG.warn("map {} is a {} map, which bee does not show", spec.name(),
                        spec.type().name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        // An iterator's text is a record under the program's name, with one field.
        object.programs().stream().filter(p -> p.attachKind() == dev.bee.core.object.AttachKind.ITER)
                .forEach(p -> fields.putIfAbsent(p.name(), Set.of("output")));
        filter.check(fields);
        // Target indexes as the drain numbers its sources: the rings', then the perf event arrays'.
        List<EventTarget> targets = new ArrayList<>(ringTargets);
        targets.addAll(perfTargets);
        if (!targets.isEmpty()) {
            w.drain = session.own(openDrain(rings, perfs, targets, options.queueBytes()));
            w.tail = new EventTail(targets, w.emitter);
        }
        return w;
    }

    /** The ring buffer's drop counter (bee_types.h), when its program declares one of the right shape. */
    private static MapHandle lossCounter(Session session, MapSpec ring) {
        String name = RingLossCounter.mapName(ring.name());
        MapSpec spec = session.object().maps().stream().filter(m -> m.name().equals(name)).findFirst().orElse(null);
        if (spec == null) {
            return null;
        }
        if (spec.type() != MapType.PERCPU_ARRAY || spec.valueSize() != 8 || spec.keySize() != 4) {
            LOG.warn("{} is not a per-CPU array of one u64 (declare it with BEE_RINGBUF_LOST); losses of {} "
                    + "stay unknown", name, ring.name());
            return null;
        }
        return session.map(name).orElse(null);
    }

    /**
     * The sources of {@code targets} (the rings', then the perf event arrays', in that order) over one queue;
     * on a failure, nothing is left open.
     */
    private static EventDrain openDrain(List<MapHandle> rings, List<MapHandle> perfs, List<EventTarget> targets,
                                        int queueBytes) {
        List<EventSource> sources = new ArrayList<>();
        AnonymousMemory memory = null;
        try {
            if (!rings.isEmpty()) {
                sources.addAll(ringSources(rings, targets.subList(0, rings.size())));
            }
            List<Integer> cpus = perfs.isEmpty() ? List.of() : dev.bee.core.kernel.OnlineCpus.read();
            for (int i = 0; i < perfs.size(); i++) {
                int t = rings.size() + i;
                sources.add(perfSource(perfs.get(i), cpus, t, targets.get(t).stats()));
            }
            memory = AnonymousMemory.allocate(queueBytes, "the event queue (--queue-size)");
            return new EventDrain(sources, new EventQueue(memory.buffer()), memory);
        } catch (RuntimeException e) {
            sources.forEach(EventSource::close);
            if (memory != null) {
                memory.close();
            }
            throw e;
        }
    }

    private static List<EventSource> ringSources(List<MapHandle> maps, List<EventTarget> targets) {
        List<MapStats> stats = targets.stream().map(EventTarget::stats).toList();
        int[] indexes = java.util.stream.IntStream.range(0, maps.size()).toArray();
        if ("libbpf".equals(System.getProperty(RING_READER_PROPERTY))) {
            return List.of(new LibbpfRingSource(maps, indexes, stats));
        }
        List<EventSource> out = new ArrayList<>();
        try {
            for (int i = 0; i < maps.size(); i++) {
                out.add(MappedRingSource.open(maps.get(i), i, targets.get(i)));
            }
            return out;
        } catch (LibbpfException e) {
            out.forEach(EventSource::close);
            LOG.warn("cannot map the ring buffers ({}); reading them through libbpf", e.getMessage());
            return List.of(new LibbpfRingSource(maps, indexes, stats));
        }
    }

    private static EventSource perfSource(MapHandle map, List<Integer> cpus, int target, MapStats stats) {
        if (!"libbpf".equals(System.getProperty(PERF_READER_PROPERTY))) {
            try {
                return MappedPerfSource.open(map, cpus, PERF_PAGES, target, stats);
            } catch (LibbpfException e) {
                LOG.warn("cannot map the buffers of perf event array {} ({}); reading them through libbpf",
                        map.name(), e.getMessage());
            }
        }
        return new LibbpfPerfSource(map, PERF_PAGES, target, stats);
    }

    private MapStats stat(MapSpec spec, String source, boolean lossCounted) {
        return stats.computeIfAbsent(spec.name(), m -> new MapStats(m, spec.output(), source, lossCounted));
    }

    /**
     * What an iterator program printed as it was attached, emitted like every other record (stage,
     * filter, --max-events, counts under the program's name).
     */
    public void iteratorOutput(MapRecord printed) {
        MapStats s = stats.computeIfAbsent(printed.map(), p -> new MapStats(p, OutputKind.PRINT, "iterator", true));
        emitter.emit(s, printed);
        emitter.flush();
    }

    /**
     * Reads until {@code stop} says so, the duration passes or --max-events records were shown. Polls
     * maps once right away, then every interval.
     */
    public void run(BooleanSupplier stop) {
        long start = System.nanoTime();
        long deadline = options.duration() == null ? Long.MAX_VALUE : start + options.duration().toNanos();
        nextPollNanos = start;
        long lastFlush = start;
        if (drain != null && deadline != start) { // --duration 0 watches nothing: no thread to start
            drain.start();
        }
        while (!stop.getAsBoolean() && !emitter.full()) {
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                break;
            }
            if (!pollers.isEmpty() && now - nextPollNanos >= 0) {
                pollMaps();
                nextPollNanos = now + options.interval().toNanos();
            }
            long waitNanos = Math.min(MAX_WAIT_NANOS, Math.min(deadline - now,
                    pollers.isEmpty() ? Long.MAX_VALUE : nextPollNanos - now));
            if (drain == null) {
                emitter.flush();
                sleep(waitNanos);
            } else {
                EventQueue queue = drain.queue();
                if (queue.await(Math.max(waitNanos, 0))) {
                    queue.take(tail, TAKE);
                }
                if (!queue.hasEntries() || System.nanoTime() - lastFlush >= FLUSH_NANOS) {
                    emitter.flush();
                    lastFlush = System.nanoTime();
                }
                drain.rethrow();
            }
            if (!lossCounters.isEmpty() && now - nextLossNanos >= 0) {
                readLosses();
                nextLossNanos = now + LOSS_INTERVAL_NANOS;
            }
        }
        emitter.flush();
        readLosses();
    }

    private void readLosses() {
        for (RingLossCounter c : lossCounters) {
            c.read();
        }
    }

    private void pollMaps() {
        for (MapPoller p : pollers) {
            p.poll(emitter);
        }
    }

    /**
     * After the programs are detached: reads what is left in the kernel's buffers and the queue (for at
     * most 2 s: a stop must not wait on a slow filter) and polls maps a last time.
     */
    public void drain() {
        readLosses(); // final now: no program runs any more
        if (emitter.full()) {
            return;
        }
        if (drain != null) {
            drain.stop();
            drain.rethrow();
            EventQueue queue = drain.queue();
            long deadline = System.nanoTime() + FINAL_DRAIN_NANOS;
            while (!emitter.full()) {
                if (!queue.hasEntries() && drain.readOnce() == 0 && !queue.hasEntries()) {
                    break;
                }
                if (System.nanoTime() - deadline >= 0) {
                    LOG.warn("stopped reading the event buffers 2 s after the stop with events still in them (the "
                            + "filter or the output is slower than the program); those events are not shown");
                    break;
                }
                queue.take(tail, TAKE);
            }
        }
        pollMaps();
        emitter.flush();
    }

    /** Per-map counts so far, in map order. */
    public List<MapStats> stats() {
        return List.copyOf(stats.values());
    }

    /** The event queue's use so far; all zero when nothing is read as it comes. */
    public QueueUsage queueUsage() {
        if (drain == null) {
            return new QueueUsage(0, 0, 0);
        }
        EventQueue q = drain.queue();
        return new QueueUsage(q.capacity(), q.used(), q.peak());
    }

    /** The event queue's bytes: its size, what it holds now, the most it has held. */
    public record QueueUsage(long capacity, long used, long peak) {
    }

    private static void sleep(long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
