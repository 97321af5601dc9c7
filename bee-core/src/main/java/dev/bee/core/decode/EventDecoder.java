package dev.bee.core.decode;

import dev.bee.core.btf.Btf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Decodes the bytes of one declared type (a map's key or value, a ring buffer's event) into flattened fields
 * with a {@link ValueDecoder.Compiled} layout; without a declared type the bytes are shown as hex (or a number
 * when they fit a u64). The readers in {@code watch} hold one per map side.
 */
public final class EventDecoder {
    /** The declared type's layout; null when the map declares no type (bytes shown raw). */
    private final ValueDecoder.Compiled compiled;
    private final String name;
    private final int size;
    private final ByteOrder order;

    public EventDecoder(Btf btf, ByteOrder order, int typeId, String name, long declaredSize) {
        this.compiled = btf == null || typeId == 0 ? null : new ValueDecoder(btf, order).compile(typeId, name);
        this.name = name;
        this.size = compiled != null ? compiled.size() : (int) declaredSize;
        this.order = order;
    }

    /** Bytes one value occupies. */
    public int size() {
        return size;
    }

    public boolean typed() {
        return compiled != null;
    }

    public Map<String, Object> decode(byte[] data, int offset) {
        if (compiled != null) {
            return compiled.decode(data, offset);
        }
        Map<String, Object> out = new LinkedHashMap<>(2);
        int n = Math.min(size > 0 ? size : data.length - offset, data.length - offset);
        if (n > 0 && n <= 8 && (n & (n - 1)) == 0) {
            long v = 0;
            for (int k = 0; k < n; k++) {
                int idx = order == ByteOrder.LITTLE_ENDIAN ? offset + n - 1 - k : offset + k;
                v = (v << 8) | (data[idx] & 0xff);
            }
            out.put(name, v < 0 ? Long.toUnsignedString(v) : (Object) v);
        } else {
            StringBuilder sb = new StringBuilder("0x");
            for (int k = 0; k < n; k++) {
                sb.append(Character.forDigit((data[offset + k] >> 4) & 0xf, 16)).append(Character.forDigit(data[offset + k] & 0xf, 16));
            }
            out.put(name, sb.toString());
        }
        return out;
    }

    /**
     * Decodes the {@code length} bytes at {@code offset} of {@code buf} (a ring buffer's memory), in place
     * when the type is declared.
     */
    public Map<String, Object> decode(ByteBuffer buf, int offset, int length) {
        if (compiled != null) {
            return compiled.decode(buf, offset, length);
        }
        byte[] copy = new byte[length];
        buf.get(offset, copy);
        return decode(copy, 0);
    }

    /** The field names this type decodes to (for --filter checks). */
    public Set<String> fieldNames() {
        if (compiled != null) {
            return new LinkedHashSet<>(compiled.names());
        }
        if (size <= 0 || size > 1 << 20) {
            return Set.of(name);
        }
        try {
            return decode(new byte[size], 0).keySet();
        } catch (RuntimeException e) {
            return Set.of();
        }
    }
}
