package dev.bee.core.watch;

import dev.bee.core.decode.DurationValue;
import dev.bee.core.decode.EventDecoder;
import dev.bee.core.libbpf.MapHandle;
import dev.bee.core.sink.MapRecord;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Polls a hash, LRU hash or array map (per-CPU or not) and emits the entries that are new or changed
 * since the last poll (new all-zero entries, such as untouched array slots, are skipped), and a removal
 * for each entry that was there at the last poll and is gone. Per-CPU values
 * are summed field by field, or with {@code perCpu} shown as one list per field, indexed by CPU.
 */
final class MapPoller {
    private final MapHandle handle;
    private final EventDecoder key;
    private final EventDecoder value;
    private final MapStats stats;
    private final int keySize;
    private final int valueSize;
    private final int cpus;
    private final int stride;
    private final boolean showPerCpu;
    private final int maxIterations;
    private Map<ByteBuffer, byte[]> last = new HashMap<>();

    MapPoller(MapHandle handle, EventDecoder key, EventDecoder value, boolean perCpuMap, int cpus, boolean showPerCpu,
              MapStats stats) {
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
        this.maxIterations = Math.max(16, handle.maxEntries() * 2 + 16);
    }

    String map() {
        return handle.name();
    }

    void poll(Emitter emitter) {
        Instant now = Instant.now();
        Map<ByteBuffer, byte[]> seen = new HashMap<>(Math.max(16, last.size() * 2));
        byte[] k = null;
        for (int i = 0; i < maxIterations; i++) {
            k = handle.nextKey(k, keySize);
            if (k == null) {
                break;
            }
            ByteBuffer bk = ByteBuffer.wrap(k);
            if (seen.containsKey(bk)) {
                continue; // iteration restarted after a concurrent delete
            }
            byte[] v = handle.lookup(k, keySize, valueSize);
            if (v == null) {
                continue;
            }
            seen.put(bk, v);
            byte[] old = last.get(bk);
            if (old == null ? !allZero(v) : !java.util.Arrays.equals(old, v)) {
                emit(emitter, now, k, v);
            }
        }
        for (Map.Entry<ByteBuffer, byte[]> gone : last.entrySet()) {
            if (!seen.containsKey(gone.getKey())) {
                removed(emitter, now, gone.getKey().array());
            }
        }
        last = seen;
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
