package dev.bee.core.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bee.core.btf.BtfReader;
import dev.bee.core.decode.DecodedFields;
import dev.bee.core.decode.DurationValue;
import dev.bee.core.decode.ValueDecoder;
import dev.bee.core.testing.BtfBuilder;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hand-written JSON Lines writer checked against Jackson: every line it writes is parsed back and
 * compared value by value, so an escaping or number-formatting slip shows up as a parse error or a
 * different value.
 */
class JsonLinesSinkTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T = Instant.parse("2024-05-01T10:20:30.123456789Z");
    private static final String EMOJI = "\uD83D\uDE00"; // U+1F600, a surrogate pair in Java

    /** Strings that need every kind of care: escapes, control characters, multi-byte UTF-8, and mixes. */
    static final List<String> HARD_STRINGS = List.of(
            "",
            "plain ascii",
            "quote\" and back\\slash",
            "controls \u0000\u0001\u001f \b\f\n\r\t del\u007f",
            "é",
            "caf\u00e9 na\u00efve \u65e5\u672c\u8a9e",
            EMOJI,
            "before " + EMOJI + " after",
            // Non-ASCII first, then characters that need escapes: the writer's slow path.
            "caf\u00e9 \"" + EMOJI + "\"\n\\",
            EMOJI + "\u0001" + "\u00e9" + EMOJI + "\t",
            "\u00e9" + "\u007f" + "\u2028" + "\uFFFF");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final JsonLinesSink sink = new JsonLinesSink(out);

    private List<JsonNode> lines() {
        sink.flush();
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.endsWith("\n"), "every record ends its line");
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            try {
                nodes.add(JSON.readTree(line));
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + (line.length() > 300 ? line.substring(0, 300) + "..." : line), e);
            }
        }
        return nodes;
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static MapRecord event(String map, Map<String, Object> fields) {
        return new MapRecord(map, MapRecord.Kind.EVENT, T, Map.of(), fields);
    }

    @Test
    void eventLineHasTimeMapAndEventInOrder() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("pid", 42L);
        f.put("comm", "cat");
        sink.write(event("events", f));
        List<JsonNode> lines = lines();
        assertEquals(1, lines.size());
        JsonNode n = lines.get(0);
        assertEquals(List.of("time", "map", "event"), fieldNames(n));
        assertEquals("2024-05-01T10:20:30.123Z", n.get("time").asText());
        assertEquals("events", n.get("map").asText());
        assertEquals(List.of("pid", "comm"), fieldNames(n.get("event")));
        assertEquals(42L, n.get("event").get("pid").longValue());
        assertEquals("cat", n.get("event").get("comm").textValue());
    }

    @Test
    void integersOfEveryRangeKeepTheirExactValue() {
        Map<String, Object> f = new LinkedHashMap<>();
        long[] longs = {0, 1, 9, 10, -1, -9, -10, 99, 100, 1234567890123L, Integer.MAX_VALUE + 1L,
                Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1};
        for (int i = 0; i < longs.length; i++) {
            f.put("l" + i, longs[i]);
        }
        BigInteger u64max = new BigInteger("18446744073709551615");
        BigInteger i128 = BigInteger.ONE.shiftLeft(127).negate();
        f.put("u64max", u64max);
        f.put("i128", i128);
        f.put("int", 7); // other Number types are written as integers
        f.put("short", (short) -3);
        sink.write(event("m", f));
        JsonNode e = lines().get(0).get("event");
        for (int i = 0; i < longs.length; i++) {
            assertTrue(e.get("l" + i).isIntegralNumber(), "l" + i);
            assertEquals(longs[i], e.get("l" + i).longValue(), "l" + i);
        }
        assertEquals(u64max, e.get("u64max").bigIntegerValue());
        assertTrue(e.get("u64max").isIntegralNumber());
        assertEquals(i128, e.get("i128").bigIntegerValue());
        assertEquals(7, e.get("int").intValue());
        assertEquals(-3, e.get("short").intValue());
    }

    @Test
    void integersAboveTwoTo53AreWrittenAsTheirExactDigits() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("u64max", new BigInteger("18446744073709551615"));
        f.put("odd", (1L << 53) + 1); // the first integer a double cannot hold
        sink.write(event("m", f));
        sink.flush();
        String line = out.toString(StandardCharsets.UTF_8);
        assertTrue(line.contains("{\"u64max\":18446744073709551615,\"odd\":9007199254740993}"), line);
    }

    @Test
    void doublesBooleansNullsAndDurations() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("half", 1.5);
        f.put("neg", -0.25);
        f.put("huge", 1e300);
        f.put("tiny", 4.9e-324);
        f.put("whole", 3.0);
        f.put("nan", Double.NaN);
        f.put("inf", Double.POSITIVE_INFINITY);
        f.put("ninf", Double.NEGATIVE_INFINITY);
        f.put("yes", true);
        f.put("no", false);
        f.put("nothing", null);
        f.put("took", new DurationValue(1_500_000L));
        f.put("back", new DurationValue(-20L));
        sink.write(event("m", f));
        JsonNode e = lines().get(0).get("event");
        assertEquals(1.5, e.get("half").doubleValue());
        assertEquals(-0.25, e.get("neg").doubleValue());
        assertEquals(1e300, e.get("huge").doubleValue());
        assertEquals(4.9e-324, e.get("tiny").doubleValue());
        assertEquals(3.0, e.get("whole").doubleValue());
        assertTrue(e.get("whole").isFloatingPointNumber());
        // JSON has no NaN or infinities: they are written as strings.
        assertEquals("NaN", e.get("nan").textValue());
        assertEquals("Infinity", e.get("inf").textValue());
        assertEquals("-Infinity", e.get("ninf").textValue());
        assertTrue(e.get("yes").isBoolean() && e.get("yes").booleanValue());
        assertTrue(e.get("no").isBoolean() && !e.get("no").booleanValue());
        assertTrue(e.get("nothing").isNull());
        assertTrue(e.has("nothing"));
        assertEquals(1_500_000L, e.get("took").longValue(), "durations are nanoseconds");
        assertEquals(-20L, e.get("back").longValue());
    }

    @Test
    void stringsAreEscapedAndUtf8Encoded() {
        Map<String, Object> f = new LinkedHashMap<>();
        for (int i = 0; i < HARD_STRINGS.size(); i++) {
            f.put("s" + i, HARD_STRINGS.get(i));
        }
        sink.write(event("m", f));
        JsonNode e = lines().get(0).get("event");
        for (int i = 0; i < HARD_STRINGS.size(); i++) {
            assertEquals(HARD_STRINGS.get(i), e.get("s" + i).textValue(), "s" + i);
        }
    }

    @Test
    void utf8BytesAreExactlyJavasEncoding() {
        // Without escapes the bytes between the quotes must be the string's own UTF-8, including 4-byte
        // sequences; a lone surrogate has no UTF-8 form and becomes '?', as String.getBytes makes it.
        List<String> samples = List.of("\u00e9\u07ff\u0800\uffff", EMOJI + "\uDBFF\uDFFF", "a\uD83Db", "\uDE00" + EMOJI,
                "x" + EMOJI + "\uD83D");
        for (String s : samples) {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            JsonLinesSink js = new JsonLinesSink(o);
            js.write(new MapRecord("m", MapRecord.Kind.EVENT, T, Map.of(), Map.of("s", s)));
            js.flush();
            byte[] expected = ("{\"time\":\"2024-05-01T10:20:30.123Z\",\"map\":\"m\",\"event\":{\"s\":\"" + s + "\"}}\n")
                    .getBytes(StandardCharsets.UTF_8);
            assertEquals(Arrays.toString(expected), Arrays.toString(o.toByteArray()), s);
        }
    }

    @Test
    void fieldAndMapNamesAreEscapedToo() {
        for (String s : HARD_STRINGS) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put(s, 1L);
            f.put("second " + s, 2L); // not first: written with the leading comma
            sink.write(event(s, f));
        }
        List<JsonNode> lines = lines();
        assertEquals(HARD_STRINGS.size(), lines.size());
        for (int i = 0; i < HARD_STRINGS.size(); i++) {
            String s = HARD_STRINGS.get(i);
            JsonNode n = lines.get(i);
            assertEquals(s, n.get("map").textValue());
            assertEquals(List.of(s, "second " + s), fieldNames(n.get("event")));
            assertEquals(1L, n.get("event").get(s).longValue());
            assertEquals(2L, n.get("event").get("second " + s).longValue());
        }
    }

    @Test
    void listsAndNestedMaps() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("daddr", "127.0.0.1");
        inner.put("ports", List.of(80L, 443L));
        inner.put("deeper", Map.of("x", true));
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("raw", List.of(1L, 2L, 3L));
        f.put("empty", List.of());
        f.put("mixed", Arrays.asList("a\"", null, 1.5, false, new BigInteger("18446744073709551615"), List.of(List.of())));
        f.put("sk", inner);
        f.put("none", Map.of());
        sink.write(event("m", f));
        JsonNode e = lines().get(0).get("event");
        assertEquals("[1,2,3]", e.get("raw").toString());
        assertEquals("[]", e.get("empty").toString());
        assertEquals("[\"a\\\"\",null,1.5,false,18446744073709551615,[[]]]", e.get("mixed").toString());
        assertEquals(List.of("daddr", "ports", "deeper"), fieldNames(e.get("sk")));
        assertEquals("127.0.0.1", e.get("sk").get("daddr").textValue());
        assertEquals("[80,443]", e.get("sk").get("ports").toString());
        assertTrue(e.get("sk").get("deeper").get("x").booleanValue());
        assertEquals("{}", e.get("none").toString());
    }

    @Test
    void otherObjectsAreWrittenAsTheirText() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("when", Instant.EPOCH);
        sink.write(event("m", f));
        assertEquals("1970-01-01T00:00:00Z", lines().get(0).get("event").get("when").textValue());
    }

    @Test
    void entryWithAScalarValueWritesTheNumber() {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("pid", 7L);
        key.put("comm", "bash");
        sink.write(new MapRecord("counts", MapRecord.Kind.ENTRY, T, key, Map.of("value", 12L)));
        JsonNode n = lines().get(0);
        assertEquals(List.of("time", "map", "key", "value"), fieldNames(n));
        assertEquals("counts", n.get("map").textValue());
        assertEquals(List.of("pid", "comm"), fieldNames(n.get("key")));
        assertEquals(7L, n.get("key").get("pid").longValue());
        assertEquals("bash", n.get("key").get("comm").textValue());
        assertTrue(n.get("value").isIntegralNumber());
        assertEquals(12L, n.get("value").longValue());
    }

    @Test
    void entryWithAStructValueWritesAnObject() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("count", 3L);
        value.put("total", new DurationValue(99L));
        value.put("big", new BigInteger("9223372036854775808"));
        sink.write(new MapRecord("stats", MapRecord.Kind.ENTRY, T, Map.of("key", 1L), value));
        // A lone field named "value" is written bare, whatever its type.
        sink.write(new MapRecord("arr", MapRecord.Kind.ENTRY, T, Map.of(), Map.of("value", "x\"y")));
        List<JsonNode> lines = lines();
        JsonNode n = lines.get(0);
        assertEquals(1L, n.get("key").get("key").longValue());
        assertEquals(List.of("count", "total", "big"), fieldNames(n.get("value")));
        assertEquals(3L, n.get("value").get("count").longValue());
        assertEquals(99L, n.get("value").get("total").longValue());
        assertEquals(new BigInteger("9223372036854775808"), n.get("value").get("big").bigIntegerValue());
        assertEquals("{}", lines.get(1).get("key").toString());
        assertEquals("x\"y", lines.get(1).get("value").textValue());
    }

    @Test
    void anEventWithAValueFieldIsStillAnEventObject() {
        sink.write(event("m", Map.of("value", 5L)));
        JsonNode n = lines().get(0);
        assertEquals(List.of("time", "map", "event"), fieldNames(n));
        assertEquals(5L, n.get("event").get("value").longValue());
    }

    @Test
    void timestampsAreUtcMillisecondsWithThreeDigits() {
        sink.write(event("m", Map.of()));
        sink.write(new MapRecord("m", MapRecord.Kind.EVENT, Instant.parse("2024-05-01T10:20:30Z"), Map.of(), Map.of()));
        sink.write(new MapRecord("m", MapRecord.Kind.EVENT, Instant.parse("2024-05-01T10:20:30.100Z"), Map.of(), Map.of()));
        sink.write(new MapRecord("m", MapRecord.Kind.EVENT, Instant.parse("1969-12-31T23:59:59.999Z"), Map.of(), Map.of()));
        List<JsonNode> lines = lines();
        assertEquals("2024-05-01T10:20:30.123Z", lines.get(0).get("time").textValue());
        assertEquals("2024-05-01T10:20:30.000Z", lines.get(1).get("time").textValue());
        assertEquals("2024-05-01T10:20:30.100Z", lines.get(2).get("time").textValue());
        assertEquals("1969-12-31T23:59:59.999Z", lines.get(3).get("time").textValue());
        assertEquals("{}", lines.get(0).get("event").toString());
    }

    @Test
    void aLineLargerThanTheBufferIsWrittenWhole() {
        String big = "x".repeat(100_000);
        // Escapes and multi-byte characters make the encoded line larger than the string's length.
        String bigMixed = ("\u00e9\"\\" + EMOJI + "\n").repeat(20_000);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("before", 1L);
        f.put("big", big);
        f.put("after", 2L);
        sink.write(event("m", Map.of("small", "s")));
        sink.write(event("m", f));
        sink.write(event("m", Map.of("mixed", bigMixed)));
        sink.write(event("m", Map.of("small", "t")));
        List<JsonNode> lines = lines();
        assertEquals(4, lines.size());
        assertEquals("s", lines.get(0).get("event").get("small").textValue());
        assertEquals(big, lines.get(1).get("event").get("big").textValue());
        assertEquals(1L, lines.get(1).get("event").get("before").longValue());
        assertEquals(2L, lines.get(1).get("event").get("after").longValue());
        assertEquals(bigMixed, lines.get(2).get("event").get("mixed").textValue());
        assertEquals("t", lines.get(3).get("event").get("small").textValue());
    }

    @Test
    void manyRecordsAcrossBufferDrainsStayIntact() {
        // About 300 KiB of output: the 64 KiB buffer drains several times, at arbitrary record boundaries.
        int n = 3000;
        for (int i = 0; i < n; i++) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("i", (long) i);
            f.put("s", HARD_STRINGS.get(i % HARD_STRINGS.size()) + i);
            f.put("pad", "p".repeat(i % 97));
            sink.write(event("m" + (i % 3), f));
        }
        List<JsonNode> lines = lines();
        assertEquals(n, lines.size());
        for (int i = 0; i < n; i++) {
            JsonNode e = lines.get(i).get("event");
            assertEquals(i, e.get("i").longValue());
            assertEquals(HARD_STRINGS.get(i % HARD_STRINGS.size()) + i, e.get("s").textValue());
            assertEquals(i % 97, e.get("pad").textValue().length());
            assertEquals("m" + (i % 3), lines.get(i).get("map").textValue());
        }
    }

    @Test
    void compiledDecoderFieldsAreWrittenInOrder() {
        // DecodedFields (what the event path produces) takes the sink's indexed fast path.
        BtfBuilder b = new BtfBuilder();
        int u32 = b.integer("unsigned int", 4, 0);
        int s64 = b.integer("long long int", 8, 1);
        int u64 = b.integer("long long unsigned int", 8, 0);
        int chr = b.integer("char", 1, 2);
        int comm = b.array(chr, u32, 8);
        int ev = b.struct("event", 32, false, new Object[]{"pid", u32, 0}, new Object[]{"comm", comm, 32},
                new Object[]{"ret", s64, 128}, new Object[]{"big", u64, 192});
        ValueDecoder.Compiled c = new ValueDecoder(BtfReader.read("t", b.build()), ByteOrder.LITTLE_ENDIAN)
                .compile(ev, "v");
        ByteBuffer d = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        d.putInt(0, 4242).put(4, (byte) 'c').put(5, (byte) '"').put(6, (byte) 't').putLong(16, -5).putLong(24, -1);
        DecodedFields fields = c.decode(d.array(), 0);
        sink.write(event("events", fields));
        sink.write(event("events", fields));
        List<JsonNode> lines = lines();
        assertEquals(2, lines.size());
        for (JsonNode n : lines) {
            JsonNode e = n.get("event");
            assertEquals(List.of("pid", "comm", "ret", "big"), fieldNames(e));
            assertEquals(4242L, e.get("pid").longValue());
            assertEquals("c\"t", e.get("comm").textValue());
            assertEquals(-5L, e.get("ret").longValue());
            assertEquals(new BigInteger("18446744073709551615"), e.get("big").bigIntegerValue());
        }
    }

    @Test
    void closeFlushes() {
        try (JsonLinesSink s = new JsonLinesSink(out)) {
            s.write(event("m", Map.of("a", 1L)));
        }
        assertEquals("{\"time\":\"2024-05-01T10:20:30.123Z\",\"map\":\"m\",\"event\":{\"a\":1}}\n",
                out.toString(StandardCharsets.UTF_8));
    }
}
