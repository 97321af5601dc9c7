package dev.bee.core.watch;

import dev.bee.core.decode.DurationValue;
import dev.bee.core.decode.EventDecoder;
import dev.bee.core.libbpf.MapHandle;
import dev.bee.core.sink.MapRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Polls a hash, LRU hash or array map (per-CPU or not) and emits the entries that are new or changed
 * since the last poll (new all-zero entries, such as untouched array slots, are skipped), and a removal
 * for each entry that was there at the last poll and is gone. Per-CPU values
 * are summed field by field, or with {@code perCpu} shown as one list per field, indexed by CPU.
 *
 * <p>Bounded for any map the kernel allows (docs/metrics.md, "Large maps"): what it remembers is an
 * {@link EntryFingerprints} of at most {@code trackBytes} (an entry past it is counted as untracked and
 * not shown), and one poll reads at most {@link #MAX_ENTRIES_PER_POLL} entries or for half the
 * interval. A pass over a map that needs more goes on from where it stopped at the next poll, and each
 * poll that stopped early is counted ({@link MapStats#pollsUnfinished()}), with one warning. Entries are
 * read {@link #BATCH} at a time with {@code BPF_MAP_LOOKUP_BATCH} (one syscall instead of two per
 * entry; a hash map's batch position is a bucket, so its passes never restart), or key by key where the
 * kernel has no batch reads (before 5.6) or a hash bucket holds more entries than one batch.
 */
final class MapPoller {
    private static final Logger LOG = LoggerFactory.getLogger(MapPoller.class);
    /** Most entries one poll reads: about a third of a core's second in syscalls and decoding. */
    static final int MAX_ENTRIES_PER_POLL = 65_536;
    /** How often (in entries read) a poll looks at the clock. */
    private static final int CLOCK_EVERY = 256;
    /** Entries asked for in one batch read (at most this many per 64 KiB of values, at least 16). */
    private static final int BATCH = 1024;

    private final MapHandle handle;
    private final EventDecoder key;
    private final EventDecoder value;
    private final MapStats stats;
    private final int keySize;
    private final int valueSize;
    private final int cpus;
    private final int stride;
    private final boolean showPerCpu;
    private final long maxStepsPerPass;
    private final long pollNanos;
    private final int maxPerPoll;
    private final EntryFingerprints seen;
    /** The pass under way: its number, the last key it read (null: it starts at the first key), keys read. */
    private int pass = 1;
    private byte[] cursor;
    /** Whether entries are read in batches (BPF_MAP_LOOKUP_BATCH) until the kernel says it cannot; then key by key. */
    private boolean batched = true;
    private final int batchSize;
    private long passSteps;
    private long passUntracked;
    private boolean warnedUnfinished;
    private boolean warnedUntracked;

    MapPoller(MapHandle handle, EventDecoder key, EventDecoder value, boolean perCpuMap, int cpus, boolean showPerCpu,
              MapStats stats, long trackBytes, Duration interval) {
        this(handle, key, value, perCpuMap, cpus, showPerCpu, stats, trackBytes, interval, MAX_ENTRIES_PER_POLL);
    }

    MapPoller(MapHandle handle, EventDecoder key, EventDecoder value, boolean perCpuMap, int cpus, boolean showPerCpu,
              MapStats stats, long trackBytes, Duration interval, int maxPerPoll) {
        this.handle = handle;
        this.key = key;
        this.value = value;
        this.stats = stats;
        this.keySize = handle.keySize();
        int vs = handle.valueSize();
        this.stride = perCpuMap ? (vs + 7) & ~7 : vs;
        this.cpus = perCpuMap ? cpus : 1;
        this.valueSize = stride * this.cpus;
        this.showPerCpu = perCpuMap && showPerCpu;
        int maxEntries = Math.max(1, handle.maxEntries());
        // A pass restarts at the first key when the key it stands on is deleted meanwhile; this ends one
        // that keeps restarting.
        this.maxStepsPerPass = Math.max(16, maxEntries * 2L + 16);
        this.pollNanos = Math.max(1, interval.toNanos() / 2);
        this.maxPerPoll = maxPerPoll;
        this.batchSize = (int) Math.max(16, Math.min(BATCH, (64 << 10) / Math.max(1, valueSize)));
        long fit = trackBytes / EntryFingerprints.bytesPerEntry(keySize);
        this.seen = new EntryFingerprints(keySize, (int) Math.max(1, Math.min(maxEntries, fit)));
    }

    String map() {
        return handle.name();
    }

    /**
     * Reads on in the pass under way, for at most {@code maxPerPoll} entries or half the interval; a pass
     * that reaches the end of the map reports the entries it did not see as removed and starts the next.
     */
    void poll(Emitter emitter) {
        long start = System.nanoTime();
        Instant now = Instant.now();
        if (batched && pollBatches(emitter, now, start)) {
            return;
        }
        for (int read = 0; ; read++) {
            if (read >= maxPerPoll || read % CLOCK_EVERY == CLOCK_EVERY - 1 && System.nanoTime() - start > pollNanos) {
                unfinished(read);
                return;
            }
            byte[] k = handle.nextKey(cursor, keySize);
            if (k == null) {
                endPass(emitter, now, true);
                return;
            }
            cursor = k;
            if (++passSteps > maxStepsPerPass) {
                endPass(emitter, now, false);
                return;
            }
            int e = seen.find(k);
            if (e >= 0 && seen.pass(e) == pass) {
                continue; // the pass restarted after a concurrent delete
            }
            byte[] v = handle.lookup(k, keySize, valueSize);
            if (v != null) {
                entry(emitter, now, k, v, e);
            }
        }
    }

    /**
     * Reads on in batches of entries, one syscall each; false (with nothing read) when the kernel has no
     * batch reads for this map, which is then read key by key from the start of the pass.
     */
    private boolean pollBatches(Emitter emitter, Instant now, long start) {
        int read = 0;
        while (true) {
            if (read >= maxPerPoll || System.nanoTime() - start > pollNanos) {
                unfinished(read);
                return true;
            }
            MapHandle.Batch b = handle.lookupBatch(cursor, Math.min(batchSize, Math.max(1, maxPerPoll - read)),
                    keySize, valueSize);
            if (b == null) {
                batched = false;
                cursor = null; // a batch position is no key: the pass goes on key by key from the first
                passSteps = 0;
                if (read > 0) {
                    unfinished(read);
                    return true;
                }
                return false;
            }
            for (int i = 0; i < b.count(); i++) {
                byte[] k = Arrays.copyOfRange(b.keys(), i * keySize, (i + 1) * keySize);
                byte[] v = Arrays.copyOfRange(b.values(), i * valueSize, (i + 1) * valueSize);
                int e = seen.find(k);
                if (e < 0 || seen.pass(e) != pass) {
                    entry(emitter, now, k, v, e);
                }
            }
            read += b.count();
            cursor = b.next();
            if (b.end()) {
                endPass(emitter, now, true);
                return true;
            }
            // Batches of keyed maps (arrays, tries) go on from a key, and start over when it was deleted.
            passSteps += b.count();
            if (passSteps > maxStepsPerPass) {
                endPass(emitter, now, false);
                return true;
            }
        }
    }

    /** Entry {@code k} (entry number {@code e}, or -1 when new) holds {@code v} in this pass. */
    private void entry(Emitter emitter, Instant now, byte[] k, byte[] v, int e) {
        long fingerprint = EntryFingerprints.fingerprint(v);
        if (e >= 0) {
            seen.pass(e, pass);
            if (seen.value(e) != fingerprint) {
                seen.value(e, fingerprint);
                emit(emitter, now, k, v);
            }
        } else if (seen.add(k, fingerprint, pass) >= 0) {
            if (!allZero(v)) {
                emit(emitter, now, k, v);
            }
        } else {
            untracked();
        }
    }

    private void unfinished(int read) {
        stats.pollsUnfinished++;
        if (!warnedUnfinished) {
            warnedUnfinished = true;
            LOG.warn("{}: one poll read {} entries and stopped (at most {} or half the interval); each pass over "
                    + "the map now takes several intervals, so changes show later (counted in "
                    + "bee_map_polls_unfinished_total; a longer --interval reads more per poll)", handle.name(),
                    read, maxPerPoll);
        }
    }

    private void untracked() {
        passUntracked++;
        if (!warnedUntracked) {
            warnedUntracked = true;
            LOG.warn("{}: holds more entries than bee keeps track of ({}, {} of memory); the others are not "
                    + "shown (counted in bee_map_untracked_entries)", handle.name(), seen.capacity(),
                    "about " + seen.capacity() * EntryFingerprints.bytesPerEntry(keySize) / 1024 + " KiB");
        }
    }

    /**
     * Ends the pass under way. Only a pass that read the whole map knows which entries left it: one that
     * kept restarting forgets nothing.
     */
    private void endPass(Emitter emitter, Instant now, boolean complete) {
        if (complete) {
            for (int e = seen.size() - 1; e >= 0; e--) {
                if (seen.pass(e) != pass) {
                    removed(emitter, now, seen.key(e));
                    seen.remove(e);
                }
            }
            stats.untracked = passUntracked;
        } else {
            stats.pollsUnfinished++;
        }
        pass++;
        cursor = null;
        passSteps = 0;
        passUntracked = 0;
    }

    private void removed(Emitter emitter, Instant now, byte[] k) {
        Map<String, Object> keyFields;
        try {
            keyFields = key.decode(k, 0);
        } catch (RuntimeException e) {
            return; // counted as malformed when it was seen
        }
        emitter.removed(MapRecord.removed(handle.name(), now, keyFields));
    }

    private void emit(Emitter emitter, Instant now, byte[] k, byte[] v) {
        Map<String, Object> keyFields;
        Map<String, Object> valueFields;
        try {
            keyFields = key.decode(k, 0);
            valueFields = cpus == 1 ? value.decode(v, 0) : perCpu(v);
        } catch (RuntimeException e) {
            emitter.malformed(stats, "an entry", k.length + v.length, e);
            return;
        }
        emitter.emit(stats, new MapRecord(handle.name(), MapRecord.Kind.ENTRY, now, keyFields, valueFields));
    }

    private Map<String, Object> perCpu(byte[] v) {
        List<Map<String, Object>> each = new ArrayList<>(cpus);
        for (int c = 0; c < cpus; c++) {
            each.add(value.decode(v, c * stride));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (String f : each.get(0).keySet()) {
            if (showPerCpu) {
                List<Object> list = new ArrayList<>(cpus);
                for (Map<String, Object> m : each) {
                    list.add(m.get(f));
                }
                out.put(f, list);
            } else {
                Object sum = each.get(0).get(f);
                for (int c = 1; c < cpus; c++) {
                    sum = add(sum, each.get(c).get(f));
                }
                out.put(f, sum);
            }
        }
        return out;
    }

    /** Adds numbers of the same kind; anything else keeps the first CPU's value. */
    static Object add(Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) {
            long r = x + y;
            if (((x ^ r) & (y ^ r)) < 0) {
                return BigInteger.valueOf(x).add(BigInteger.valueOf(y));
            }
            return r;
        }
        if ((a instanceof Long || a instanceof BigInteger) && (b instanceof Long || b instanceof BigInteger)) {
            BigInteger r = big(a).add(big(b));
            return r.bitLength() < 64 ? (Object) r.longValue() : r;
        }
        if (a instanceof Double x && b instanceof Double y) {
            return x + y;
        }
        if (a instanceof DurationValue x && b instanceof DurationValue y) {
            return new DurationValue(x.nanos() + y.nanos());
        }
        return a;
    }

    private static BigInteger big(Object o) {
        return o instanceof BigInteger b ? b : BigInteger.valueOf((Long) o);
    }

    private static boolean allZero(byte[] v) {
        for (byte b : v) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
