package dev.bee.core.sink;

import dev.bee.core.decode.DecodedFields;
import dev.bee.core.decode.DurationValue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON Lines: one object per record, {@code {"time":..., "map":..., "event":{...}}} for events and
 * {@code {"time":..., "map":..., "key":{...}, "value":...}} for map entries (the value a number for
 * plain counters, an object for structs), {@code {"time":..., "map":PROGRAM, "iterator":TEXT}} for
 * iterator output; removed entries are not written. Durations are nanoseconds; addresses and enums strings.
 * Written by hand into a byte buffer (field names encoded once): this is the event path, and it
 * must keep up with a ring buffer delivering a million events per second.
 */
public final class JsonLinesSink implements RecordSink {
    private static final byte[] TIME = bytes("{\"time\":\"");
    private static final byte[] MAP = bytes("\",\"map\":");
    private static final byte[] EVENT = bytes(",\"event\":");
    private static final byte[] KEY = bytes(",\"key\":");
    private static final byte[] VALUE = bytes(",\"value\":");
    private static final byte[] ITERATOR = bytes(",\"iterator\":");
    private static final byte[] NULL = bytes("null");
    private static final byte[] TRUE = bytes("true");
    private static final byte[] FALSE = bytes("false");
    private static final byte[] HEX = bytes("0123456789abcdef");

    private final OutputStream out;
    private final Timestamps timestamps = new Timestamps();
    private final Map<String, byte[]> names = new HashMap<>();
    private byte[] buf = new byte[1 << 16];
    private int pos;

    public JsonLinesSink(OutputStream out) {
        this.out = out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void write(MapRecord r) {
        if (r.kind() == MapRecord.Kind.REMOVED) {
            return; // the stream shows what changed; a removed entry is the metrics' and the screen's business
        }
        raw(TIME);
        ascii(timestamps.iso(r.time()));
        raw(MAP);
        string(r.map());
        if (r.kind() == MapRecord.Kind.EVENT) {
            raw(EVENT);
            object(r.value());
        } else if (r.kind() == MapRecord.Kind.ITER) {
            raw(ITERATOR);
            value(r.value().get("output"));
        } else {
            raw(KEY);
            object(r.key());
            raw(VALUE);
            if (r.scalarValue()) {
                value(r.value().get("value"));
            } else {
                object(r.value());
            }
        }
        ensure(2);
        buf[pos++] = '}';
        buf[pos++] = '\n';
        if (pos > buf.length - 4096) {
            drain();
        }
    }

    private void object(Map<String, Object> fields) {
        ensure(1);
        buf[pos++] = '{';
        if (fields instanceof DecodedFields d) {
            for (int i = 0, n = d.size(); i < n; i++) {
                name(d.name(i), i == 0);
                value(d.value(i));
            }
        } else {
            boolean first = true;
            for (Map.Entry<String, Object> e : fields.entrySet()) {
                name(e.getKey(), first);
                first = false;
                value(e.getValue());
            }
        }
        ensure(1);
        buf[pos++] = '}';
    }

    /** {@code ,"name":} (the comma unless first), encoded once per name. */
    private void name(String name, boolean first) {
        byte[] b = names.get(name);
        if (b == null) {
            // Encode once at the end of the buffer (room ensured, so string() cannot drain), keep a copy.
            ensure(name.length() * 6 + 4);
            int start = pos;
            buf[pos++] = ',';
            string(name);
            buf[pos++] = ':';
            b = java.util.Arrays.copyOfRange(buf, start, pos);
            pos = start;
            names.put(name, b);
        }
        if (first) {
            ensure(b.length);
            System.arraycopy(b, 1, buf, pos, b.length - 1);
            pos += b.length - 1;
        } else {
            raw(b);
        }
    }

    @SuppressWarnings("unchecked")
    private void value(Object v) {
        if (v instanceof Long l) {
            number(l);
        } else if (v instanceof String s) {
            string(s);
        } else if (v instanceof Boolean b) {
            raw(b ? TRUE : FALSE);
        } else if (v == null) {
            raw(NULL);
        } else if (v instanceof DurationValue d) {
            number(d.nanos());
        } else if (v instanceof BigInteger b) {
            ascii(b.toString());
        } else if (v instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                string(d.toString());
            } else {
                ascii(d.toString());
            }
        } else if (v instanceof Number n) {
            number(n.longValue());
        } else if (v instanceof List<?> list) {
            ensure(1);
            buf[pos++] = '[';
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    ensure(1);
                    buf[pos++] = ',';
                }
                value(list.get(i));
            }
            ensure(1);
            buf[pos++] = ']';
        } else if (v instanceof Map<?, ?> m) {
            object((Map<String, Object>) m);
        } else {
            string(v.toString());
        }
    }

    private void number(long v) {
        ensure(20);
        if (v == Long.MIN_VALUE) {
            ascii(Long.toString(v));
            return;
        }
        if (v < 0) {
            buf[pos++] = '-';
            v = -v;
        }
        if (v < 10) {
            buf[pos++] = (byte) ('0' + v);
            return;
        }
        int digits = 0;
        for (long t = v; t > 0; t /= 10) {
            digits++;
        }
        int end = pos + digits;
        for (int i = end - 1; i >= pos; i--) {
            buf[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        pos = end;
    }

    /** A JSON string with the escapes RFC 8259 requires; non-ASCII text as UTF-8. */
    private void string(String s) {
        int n = s.length();
        ensure(n * 6 + 2);
        buf[pos++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                buf[pos++] = (byte) c;
            } else if (c == '"' || c == '\\') {
                buf[pos++] = '\\';
                buf[pos++] = (byte) c;
            } else if (c == '\n') {
                buf[pos++] = '\\';
                buf[pos++] = 'n';
            } else if (c == '\t') {
                buf[pos++] = '\\';
                buf[pos++] = 't';
            } else if (c == '\r') {
                buf[pos++] = '\\';
                buf[pos++] = 'r';
            } else if (c < 0x20 || c == 0x7f) {
                buf[pos++] = '\\';
                buf[pos++] = 'u';
                buf[pos++] = '0';
                buf[pos++] = '0';
                buf[pos++] = HEX[(c >> 4) & 0xf];
                buf[pos++] = HEX[c & 0xf];
            } else {
                // Non-ASCII as UTF-8, a surrogate pair as one 4-byte sequence, a lone surrogate as '?'
                // (as String.getBytes does). At most 4 bytes for 2 chars: within the 6 per char ensured.
                int cp = c;
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    cp = Character.toCodePoint(c, s.charAt(++i));
                } else if (Character.isSurrogate(c)) {
                    buf[pos++] = '?';
                    continue;
                }
                if (cp < 0x800) {
                    buf[pos++] = (byte) (0xc0 | (cp >> 6));
                } else if (cp < 0x10000) {
                    buf[pos++] = (byte) (0xe0 | (cp >> 12));
                    buf[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                } else {
                    buf[pos++] = (byte) (0xf0 | (cp >> 18));
                    buf[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                    buf[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                }
                buf[pos++] = (byte) (0x80 | (cp & 0x3f));
            }
        }
        ensure(1);
        buf[pos++] = '"';
    }

    private void ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[pos++] = (byte) s.charAt(i);
        }
    }

    private void raw(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
    }

    private void ensure(int n) {
        if (pos + n > buf.length) {
            drain();
            if (n > buf.length) {
                buf = new byte[Math.max(n, buf.length * 2)];
            }
        }
    }

    private void drain() {
        if (pos == 0) {
            return;
        }
        try {
            out.write(buf, 0, pos);
        } catch (IOException e) {
            throw failure(e);
        }
        pos = 0;
    }

    @Override
    public void flush() {
        drain();
        try {
            out.flush();
        } catch (IOException e) {
            throw failure(e);
        }
        // A PrintStream keeps write errors to itself; on stdout the one that happens is a closed pipe.
        if (out instanceof java.io.PrintStream ps && ps.checkError()) {
            throw new OutputClosedException("the output was closed");
        }
    }

    private static RuntimeException failure(IOException e) {
        return "Broken pipe".equals(e.getMessage()) ? new OutputClosedException("the output was closed")
                : new UncheckedIOException(e);
    }
}
