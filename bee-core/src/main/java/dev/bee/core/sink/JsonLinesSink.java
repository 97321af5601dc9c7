package dev.bee.core.sink;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import dev.bee.core.decode.DurationValue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * JSON Lines: one object per record, {@code {"time":..., "map":..., "event":{...}}} for events and
 * {@code {"time":..., "map":..., "key":{...}, "value":...}} for map entries (the value a number for
 * plain counters, an object for structs). Durations are nanoseconds; addresses and enums strings.
 */
public final class JsonLinesSink implements RecordSink {
    private final JsonGenerator gen;
    private final Timestamps timestamps = new Timestamps();

    public JsonLinesSink(OutputStream out) {
        try {
            this.gen = Json.mapper().getFactory().createGenerator(out, JsonEncoding.UTF8);
            this.gen.setPrettyPrinter(new MinimalPrettyPrinter("\n"));
            this.gen.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void write(Record r) {
        try {
            gen.writeStartObject();
            gen.writeStringField("time", timestamps.iso(r.time()));
            gen.writeStringField("map", r.map());
            if (r.kind() == Record.Kind.EVENT) {
                gen.writeFieldName("event");
                writeObject(r.value());
            } else {
                gen.writeFieldName("key");
                writeObject(r.key());
                gen.writeFieldName("value");
                if (r.scalarValue()) {
                    writeValue(r.value().get("value"));
                } else {
                    writeObject(r.value());
                }
            }
            gen.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeObject(Map<String, Object> fields) throws IOException {
        gen.writeStartObject();
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            gen.writeFieldName(e.getKey());
            writeValue(e.getValue());
        }
        gen.writeEndObject();
    }

    @SuppressWarnings("unchecked")
    private void writeValue(Object v) throws IOException {
        if (v == null) {
            gen.writeNull();
        } else if (v instanceof Long l) {
            gen.writeNumber(l);
        } else if (v instanceof String s) {
            gen.writeString(s);
        } else if (v instanceof Boolean b) {
            gen.writeBoolean(b);
        } else if (v instanceof BigInteger b) {
            gen.writeNumber(b);
        } else if (v instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                gen.writeString(d.toString());
            } else {
                gen.writeNumber(d);
            }
        } else if (v instanceof DurationValue d) {
            gen.writeNumber(d.nanos());
        } else if (v instanceof Number n) {
            gen.writeNumber(n.longValue());
        } else if (v instanceof List<?> list) {
            gen.writeStartArray();
            for (Object o : list) {
                writeValue(o);
            }
            gen.writeEndArray();
        } else if (v instanceof Map<?, ?> m) {
            writeObject((Map<String, Object>) m);
        } else {
            gen.writeString(v.toString());
        }
    }

    @Override
    public void flush() {
        try {
            gen.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
