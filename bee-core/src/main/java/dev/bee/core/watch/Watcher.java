package dev.bee.core.watch;

import dev.bee.core.BeeException;
import dev.bee.core.decode.EventDecoder;
import dev.bee.core.ErrorKind;
import dev.bee.core.libbpf.LibbpfException;
import dev.bee.core.libbpf.MapHandle;
import dev.bee.core.libbpf.BpfCalls;
import dev.bee.core.object.BpfObject;
import dev.bee.core.object.MapSpec;
import dev.bee.core.object.MapType;
import dev.bee.core.object.OutputKind;
import dev.bee.core.runtime.Session;
import dev.bee.core.sink.RecordFilter;
import dev.bee.core.sink.RecordSink;
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
 * read as events arrive, hash and array maps polled every interval. All reading happens on the thread
 * that calls {@link #run}; readers belong to the {@link Session}, which frees them after the programs
 * are detached.
 */
public final class Watcher {
    private static final Logger LOG = LoggerFactory.getLogger(Watcher.class);
    private static final int MAX_WAIT_MS = 100;
    /** How often the live lost counts of ring buffers are refreshed (the summary reads them at the end). */
    private static final long LOSS_INTERVAL_NANOS = 500_000_000L;

    private final WatchOptions options;
    private final Emitter emitter;
    private final Map<String, MapStats> stats = new LinkedHashMap<>();
    private RingBufferReader ring;
    private final List<PerfBufferReader> perf = new ArrayList<>();
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
        Watcher w = new Watcher(options, new Emitter(sink, filter, options.maxRecords()));
        BpfObject object = session.object();
        Map<String, Set<String>> fields = new LinkedHashMap<>();
        List<MapHandle> ringMaps = new ArrayList<>();
        List<RingBufferReader.Target> ringTargets = new ArrayList<>();
        int cpus = -1;
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
                ringMaps.add(h);
                ringTargets.add(new RingBufferReader.Target(spec.name(), value, s));
                fields.put(spec.name(), value.fieldNames());
            } else if (spec.type() == MapType.PERF_EVENT_ARRAY) {
                if (!value.typed()) {
                    LOG.warn("perf event array {} declares no value type; not shown "
                            + "(declare __type(value, struct event_t))", spec.name());
                    continue;
                }
                MapStats s = w.stat(spec, "perf buffer", true);
                w.perf.add(session.own(new PerfBufferReader(h, value, s, w.emitter)));
                fields.put(spec.name(), value.fieldNames());
            } else if (spec.type().isKeyed()) {
                if (cpus < 0) {
                    cpus = BpfCalls.possibleCpus();
                }
                EventDecoder key = new EventDecoder(object.btf(), object.elf().byteOrder(), spec.keyTypeId(), "key",
                        spec.keySize());
                MapStats s = w.stat(spec, "polled", true);
                w.pollers.add(new MapPoller(h, key, value, spec.type().isPerCpu(), cpus, options.perCpu(), s));
                Set<String> f = new java.util.LinkedHashSet<>(key.fieldNames());
                f.addAll(value.fieldNames());
                fields.put(spec.name(), f);
            } else {
                LOG.warn("map {} is a {} map, which bee does not show", spec.name(),
                        spec.type().name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        filter.check(fields);
        if (!ringMaps.isEmpty()) {
            w.ring = session.own(openRings(ringMaps, ringTargets, w.emitter));
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

    private static RingBufferReader openRings(List<MapHandle> maps, List<RingBufferReader.Target> targets,
                                              Emitter emitter) {
        if ("libbpf".equals(System.getProperty(RingBufferReader.READER_PROPERTY))) {
            return new LibbpfRingReader(maps, targets, emitter);
        }
        try {
            return MappedRingReader.open(maps, targets, emitter);
        } catch (LibbpfException e) {
            LOG.warn("cannot map the ring buffers ({}); reading them through libbpf", e.getMessage());
            return new LibbpfRingReader(maps, targets, emitter);
        }
    }

    private MapStats stat(MapSpec spec, String source, boolean lossCounted) {
        return stats.computeIfAbsent(spec.name(), m -> new MapStats(m, spec.output(), source, lossCounted));
    }

    /**
     * Reads until {@code stop} says so, the duration passes or --max-events records were shown. Polls
     * maps once right away, then every interval.
     */
    public void run(BooleanSupplier stop) {
        long start = System.nanoTime();
        long deadline = options.duration() == null ? Long.MAX_VALUE : start + options.duration().toNanos();
        nextPollNanos = start;
        while (!stop.getAsBoolean() && !emitter.full()) {
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                break;
            }
            if (!pollers.isEmpty() && now - nextPollNanos >= 0) {
                pollMaps();
                nextPollNanos = now + options.interval().toNanos();
            }
            long waitNanos = Math.min(deadline - now, pollers.isEmpty() ? Long.MAX_VALUE : nextPollNanos - now);
            int wait = (int) Math.max(0, Math.min(MAX_WAIT_MS, waitNanos / 1_000_000));
            readEvents(wait);
            emitter.flush();
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

    private void readEvents(int waitMs) {
        int readers = (ring != null ? 1 : 0) + perf.size();
        if (readers == 0) {
            sleep(waitMs);
            return;
        }
        int each = Math.max(readers == 1 ? waitMs : waitMs / readers, 0);
        if (ring != null) {
            ring.poll(each);
        }
        for (PerfBufferReader p : perf) {
            p.poll(each);
        }
    }

    private void pollMaps() {
        for (MapPoller p : pollers) {
            p.poll(emitter);
        }
    }

    /** After the programs are detached: reads what is left in the buffers and polls maps a last time. */
    public void drain() {
        readLosses(); // final now: no program runs any more
        if (emitter.full()) {
            return;
        }
        if (ring != null) {
            ring.drain();
        }
        for (PerfBufferReader p : perf) {
            p.poll(0);
        }
        pollMaps();
        emitter.flush();
    }

    /** Per-map counts so far, in map order. */
    public List<MapStats> stats() {
        return List.copyOf(stats.values());
    }

    private static void sleep(int ms) {
        if (ms <= 0) {
            return;
        }
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
