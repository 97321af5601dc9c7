package dev.bee.core.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON documents as plain values (objects as {@code Map<String, Object>} in document order, arrays as
 * {@code List<Object>}, strings, numbers, booleans and {@code null}), read and written with jackson-core's
 * streaming parser and generator. The image store, manifests, configs, credentials and registry answers
 * are read this way: Jackson's data binding, which {@link Json} sets up for output, costs a short
 * command such as {@code bee list} several hundred classes at start-up.
 *
 * <p>Values read and written here are the ones Jackson's tree model gives ({@code readTree}): integers
 * as {@code Integer}, {@code Long} or {@code BigInteger} by size, other numbers as {@code Double}, a later
 * duplicate key replacing an earlier one, content after the first value ignored; the accessors convert as
 * {@code JsonNode}'s {@code asText}, {@code asInt} and {@code canConvertToLong} do, and {@link #write}
 * gives the bytes {@code writeValueAsBytes} gives for the same tree.
 */
public final class JsonTree {
    private static final JsonFactory FACTORY = new JsonFactory();
    /** What {@link #parse} returns for a document with no value at all (empty or blank input). */
    public static final Object MISSING = new Object() {
        @Override
        public String toString() {
            return "MISSING";
        }
    };

    private JsonTree() {
    }

    /** The first JSON value in {@code raw}, or {@link #MISSING} when there is none. */
    public static Object parse(byte[] raw) throws IOException {
        try (JsonParser p = FACTORY.createParser(raw)) {
            JsonToken t = p.nextToken();
            return t == null ? MISSING : value(p, t);
        }
    }

    private static Object value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT:
                Map<String, Object> m = new LinkedHashMap<>();
                for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                    m.put(name, value(p, p.nextToken()));
                }
                return m;
            case START_ARRAY:
                List<Object> l = new ArrayList<>();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    l.add(value(p, e));
                }
                return l;
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getNumberValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IOException("unexpected JSON token " + t);
        }
    }

    /** Compact JSON, as {@code ObjectMapper.writeValueAsBytes} writes the same tree. */
    public static byte[] write(Object value) {
        return write(value, false);
    }

    /** Indented JSON, as {@code writerWithDefaultPrettyPrinter()} writes the same tree. */
    public static byte[] writePretty(Object value) {
        return write(value, true);
    }

    private static byte[] write(Object value, boolean pretty) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            if (pretty) {
                g.useDefaultPrettyPrinter();
            }
            write(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** {@code value} as compact JSON text (what {@code JsonNode.toString()} gives). */
    public static String toJson(Object value) {
        return new String(write(value), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void write(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List<?> l) {
            g.writeStartArray();
            for (Object e : l) {
                write(g, e);
            }
            g.writeEndArray();
        } else if (v instanceof Integer i) {
            g.writeNumber(i);
        } else if (v instanceof Long n) {
            g.writeNumber(n);
        } else if (v instanceof BigInteger n) {
            g.writeNumber(n);
        } else if (v instanceof Double d) {
            g.writeNumber(d);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else {
            throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
        }
    }

    // ---- reading values as JsonNode's accessors do ----

    /** {@code v} as an object, or null when it is not one. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Object v) {
        return v instanceof Map<?, ?> ? (Map<String, Object>) v : null;
    }

    /** {@code v} as an array, or null when it is not one. */
    @SuppressWarnings("unchecked")
    public static List<Object> array(Object v) {
        return v instanceof List<?> ? (List<Object>) v : null;
    }

    /** Field {@code name} of {@code v} when {@code v} is an object (null when absent, JSON null, or not an object). */
    public static Object get(Object v, String name) {
        Map<String, Object> m = object(v);
        return m == null ? null : m.get(name);
    }

    /** Whether {@code v} is an object with field {@code name} (of any value, JSON null included). */
    public static boolean has(Object v, String name) {
        Map<String, Object> m = object(v);
        return m != null && m.containsKey(name);
    }

    /**
     * {@code JsonNode.asText(orElse)}: a string as it is, a number or boolean as its JSON text, an object or
     * array as the empty string, and {@code orElse} for null and absent values.
     */
    public static String text(Object v, String orElse) {
        if (v == null || v == MISSING) {
            return orElse;
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Map<?, ?> || v instanceof List<?>) {
            return "";
        }
        return toJson(v);
    }

    /** {@code JsonNode.asInt()}: numbers cut to int, numeric strings parsed, true as 1, anything else 0. */
    public static int asInt(Object v) {
        if (v instanceof Number n) {
            return n.intValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (v instanceof String s) {
            String t = s.trim();
            try {
                return Integer.parseInt(t);
            } catch (NumberFormatException e) {
                try {
                    return (int) Double.parseDouble(t);
                } catch (NumberFormatException e2) {
                    return 0;
                }
            }
        }
        return 0;
    }

    /** {@code JsonNode.canConvertToLong()}: a number (not a string) within the range of a long. */
    public static boolean isLong(Object v) {
        if (v instanceof Integer || v instanceof Long) {
            return true;
        }
        if (v instanceof BigInteger b) {
            return b.bitLength() < 64;
        }
        if (v instanceof Double d) {
            return d >= Long.MIN_VALUE && d <= Long.MAX_VALUE;
        }
        return false;
    }
}
