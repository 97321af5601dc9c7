package dev.bee.core.decode;

import dev.bee.core.BeeException;
import dev.bee.core.btf.Btf;
import dev.bee.core.btf.BtfReader;
import dev.bee.core.testing.BtfBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link ValueDecoder#compile} precomputes a layout for the event path; it must decode exactly what
 * {@link FieldDecoding} decodes: same names, same order, same values of the same classes.
 */
class CompiledDecoderTest {
    private static final int SIZE = 136;
    private static final int BTF_KIND_CONST = 10;
    private static final int BTF_KIND_ENUM64 = 19;

    private static Btf btf;
    private static ValueDecoder decoder;
    private static int event;
    private static final Map<String, Integer> TYPES = new LinkedHashMap<>();

    /**
     * One struct with every shape the compiler special-cases, byte offsets on the left:
     * <pre>
     *   0 u8   1 s8   2 u16   4 s16   6..7 padding   8 u32  12 s32  16 u64  24 s64
     *  32 _Bool  33 u8[3]  36 enum state (signed, 4)  40 char comm[8]  48 struct inner sk
     *  56 anonymous union { u32 as_u32; s16 as_s16; }
     *  60 bitfields in 32 bits: lo:3, hi:5 (signed), on:1 (_Bool), mode:2 (enum), wide:12 (spans 3 bytes)
     *  64 typedef u32_t  68 const s32  72 duration  80 ipv4_addr  84 hex32  88 double  96 float
     * 100 padding  101 enum tiny (1 byte)  102..103 padding  104 pointer
     * 112 struct inner pair[2]  128 u64 bf40:40, s64 sbf:24 (signed)
     * </pre>
     */
    @BeforeAll
    static void buildBtf() {
        BtfBuilder b = new BtfBuilder();
        int u8 = b.integer("unsigned char", 1, 0);
        int s8 = b.integer("signed char", 1, 1);
        int u16 = b.integer("unsigned short", 2, 0);
        int s16 = b.integer("short", 2, 1);
        int u32 = b.integer("unsigned int", 4, 0);
        int s32 = b.integer("int", 4, 1);
        int u64 = b.integer("long long unsigned int", 8, 0);
        int s64 = b.integer("long long int", 8, 1);
        int bool = b.integer("_Bool", 1, 4);
        int chr = b.integer("char", 1, 2);
        int bytes = b.array(u8, u32, 3);
        int comm = b.array(chr, u32, 8);
        int state = b.enumeration("state", 4, true, new Object[]{"NEG", -3}, new Object[]{"OPEN", 1},
                new Object[]{"CLOSED", 7});
        int mode = b.enumeration("mode", 4, false, new Object[]{"OFF", 0}, new Object[]{"ON", 1},
                new Object[]{"AUTO", 2});
        int tiny = b.enumeration("tiny", 1, false, new Object[]{"T0", 0}, new Object[]{"T200", 200});
        int inner = b.struct("inner", 8, false, new Object[]{"port", u16, 0}, new Object[]{"proto", u8, 16},
                new Object[]{"addr", u32, 32});
        int anon = b.struct("", 4, true, new Object[]{"as_u32", u32, 0}, new Object[]{"as_s16", s16, 0});
        int u32t = b.typedef("u32_t", u32);
        int cs32 = b.modifier(BTF_KIND_CONST, s32);
        int dur = b.typedef("duration", u64);
        int v4 = b.typedef("ipv4_addr", u32);
        int hex = b.typedef("hex32", u32);
        int f64 = b.floating("double", 8);
        int f32 = b.floating("float", 4);
        int ptr = b.ptr(u8);
        int pair = b.array(inner, u32, 2);
        event = b.struct("event", SIZE, false,
                new Object[]{"u8v", u8, 0}, new Object[]{"s8v", s8, 8}, new Object[]{"u16v", u16, 16},
                new Object[]{"s16v", s16, 32}, new Object[]{"u32v", u32, 64}, new Object[]{"s32v", s32, 96},
                new Object[]{"u64v", u64, 128}, new Object[]{"s64v", s64, 192}, new Object[]{"flag", bool, 256},
                new Object[]{"raw", bytes, 264}, new Object[]{"state", state, 288}, new Object[]{"comm", comm, 320},
                new Object[]{"sk", inner, 384}, new Object[]{"", anon, 448},
                new Object[]{"lo", u32, 480, 3}, new Object[]{"hi", s32, 483, 5}, new Object[]{"on", bool, 488, 1},
                new Object[]{"mode", mode, 489, 2}, new Object[]{"wide", u32, 491, 12},
                new Object[]{"td", u32t, 512}, new Object[]{"cs", cs32, 544}, new Object[]{"took", dur, 576},
                new Object[]{"ip", v4, 640}, new Object[]{"h", hex, 672}, new Object[]{"f64", f64, 704},
                new Object[]{"f32", f32, 768}, new Object[]{"tiny", tiny, 808}, new Object[]{"p", ptr, 832},
                new Object[]{"pair", pair, 896}, new Object[]{"bf40", u64, 1024, 40}, new Object[]{"sbf", s64, 1064, 24});
        // An unsigned 64-bit enum (BTF_KIND_ENUM64), written by hand: one value above Long.MAX_VALUE.
        int wideEnum = b.raw("wide_enum", BTF_KIND_ENUM64, 2, 8);
        b.u32(b.str("SMALL"));
        b.u32(5);
        b.u32(0);
        b.u32(b.str("ALL"));
        b.u32(0xffffffffL);
        b.u32(0xffffffffL);
        int constEvent = b.modifier(BTF_KIND_CONST, event);
        int eventT = b.typedef("event_t", event);
        btf = BtfReader.read("t", b.build());
        decoder = new ValueDecoder(btf, ByteOrder.LITTLE_ENDIAN);
        TYPES.putAll(Map.of("u8", u8, "s8", s8, "u64", u64, "bool", bool, "comm", comm, "bytes", bytes,
                "state", state, "duration", dur, "inner", inner, "pair", pair));
        TYPES.putAll(Map.of("wide_enum", wideEnum, "const_event", constEvent, "event_t", eventT, "ipv4", v4,
                "f64", f64, "ptr", ptr, "u32_t", u32t));
    }

    /** Names and values in order, each value with its class, so Long 1 and BigInteger 1 differ. */
    private static List<String> shape(Map<String, Object> fields) {
        List<String> out = new ArrayList<>();
        fields.forEach((k, v) -> out.add(k + "=" + describe(v)));
        return out;
    }

    private static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof List<?> l) {
            return "List" + l.stream().map(CompiledDecoderTest::describe).toList();
        }
        if (v instanceof Map<?, ?> m) {
            List<String> parts = new ArrayList<>();
            m.forEach((k, x) -> parts.add(k + "=" + describe(x)));
            return "Map" + parts;
        }
        return v.getClass().getSimpleName() + "(" + v + ")";
    }

    private static void assertSame(int typeId, byte[] data, int offset) {
        Map<String, Object> expected = FieldDecoding.fields(decoder, typeId, "v", data, offset);
        ValueDecoder.Compiled c = decoder.compile(typeId, "v");
        DecodedFields actual = c.decode(data, offset);
        assertEquals(shape(expected), shape(actual));
        assertEquals(expected, actual);
        assertEquals(List.copyOf(expected.keySet()), c.names());
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < actual.size(); i++) {
            assertEquals(expected.get(actual.name(i)), actual.value(i), actual.name(i));
            assertEquals(actual.value(i), actual.get(actual.name(i)));
        }
    }

    /** A value with every field set to something telling, and 0xAA in the padding. */
    private static byte[] sample(int prefix) {
        ByteBuffer d = ByteBuffer.allocate(prefix + SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < d.capacity(); i++) {
            d.put(i, (byte) 0xAA);
        }
        ByteBuffer e = d.slice(prefix, SIZE).order(ByteOrder.LITTLE_ENDIAN);
        e.put(0, (byte) 200).put(1, (byte) -100).putShort(2, (short) 60000).putShort(4, (short) -30000);
        e.putInt(8, 0xF0000000).putInt(12, Integer.MIN_VALUE);
        e.putLong(16, 0xFFFF_FFFF_FFFF_FFFEL).putLong(24, Long.MIN_VALUE);
        e.put(32, (byte) 2); // any non-zero byte is true
        e.put(33, (byte) 1).put(34, (byte) 0xff).put(35, (byte) 0);
        e.putInt(36, -3);
        e.put(40, (byte) 'b').put(41, (byte) 'e').put(42, (byte) 'e').put(43, (byte) 0).put(44, (byte) 'x');
        e.putShort(48, (short) 443).put(50, (byte) 6).put(51, (byte) 0x55).putInt(52, 0x0100007f);
        e.putInt(56, 0xFFFF8001);
        // lo=5 (bits 0-2), hi=-2 (bits 3-7), on=1 (bit 8), mode=2 (bits 9-10), wide=0xABC (bits 11-22)
        int bits = 5 | (0b11110 << 3) | (1 << 8) | (2 << 9) | (0xABC << 11) | (0x1FF << 23);
        e.putInt(60, bits);
        e.putInt(64, -1).putInt(68, -42).putLong(72, 1_500_000L).putInt(80, 0x0101a8c0).putInt(84, 0xBEEF);
        e.putDouble(88, -2.5).putFloat(96, 0.1f);
        e.put(101, (byte) 200);
        e.putLong(104, 0xFFFF8880_12345678L);
        e.putShort(112, (short) 1).put(114, (byte) 17).putInt(116, 7).putShort(120, (short) 2).put(122, (byte) 6)
                .putInt(124, 8);
        e.putLong(128, ((1L << 40) - 1) | (0x800001L << 40)); // bf40 = 2^40-1 (bits 0-39), sbf = 0x800001 (40-63)
        return d.array();
    }

    @Test
    void compiledStructDecodeEqualsDecodeFields() {
        assertSame(event, sample(0), 0);
    }

    @Test
    void compiledDecodeAtAnOffsetEqualsDecodeFields() {
        assertSame(event, sample(13), 13);
    }

    @Test
    void theSampleDecodesToTheExpectedValues() {
        // Both decoders agree; check that what they agree on is right, field by field.
        DecodedFields f = decoder.compile(event, "v").decode(sample(0), 0);
        assertEquals(List.of("u8v", "s8v", "u16v", "s16v", "u32v", "s32v", "u64v", "s64v", "flag", "raw", "state",
                "comm", "sk.port", "sk.proto", "sk.addr", "as_u32", "as_s16", "lo", "hi", "on", "mode", "wide",
                "td", "cs", "took", "ip", "h", "f64", "f32", "tiny", "p", "pair", "bf40", "sbf"), List.copyOf(f.keySet()));
        assertEquals(200L, f.get("u8v"));
        assertEquals(-100L, f.get("s8v"));
        assertEquals(60000L, f.get("u16v"));
        assertEquals(-30000L, f.get("s16v"));
        assertEquals(0xF0000000L, f.get("u32v"));
        assertEquals((long) Integer.MIN_VALUE, f.get("s32v"));
        assertEquals(new BigInteger("18446744073709551614"), f.get("u64v"));
        assertEquals(Long.MIN_VALUE, f.get("s64v"));
        assertEquals(true, f.get("flag"));
        assertEquals(List.of(1L, 255L, 0L), f.get("raw"));
        assertEquals("NEG", f.get("state"));
        assertEquals("bee", f.get("comm"));
        assertEquals(443L, f.get("sk.port"));
        assertEquals(6L, f.get("sk.proto"));
        assertEquals(0x0100007fL, f.get("sk.addr"));
        assertEquals(0xFFFF8001L, f.get("as_u32"));
        assertEquals(-32767L, f.get("as_s16"));
        assertEquals(5L, f.get("lo"));
        assertEquals(-2L, f.get("hi"));
        assertEquals(true, f.get("on"));
        assertEquals("AUTO", f.get("mode"));
        assertEquals(0xABCL, f.get("wide"));
        assertEquals(0xFFFFFFFFL, f.get("td"));
        assertEquals(-42L, f.get("cs"));
        assertEquals(new DurationValue(1_500_000L), f.get("took"));
        assertEquals("192.168.1.1", f.get("ip"));
        assertEquals("0x0000beef", f.get("h"));
        assertEquals(-2.5, f.get("f64"));
        assertEquals((double) 0.1f, f.get("f32"));
        assertEquals("T200", f.get("tiny"));
        assertEquals("0xffff888012345678", f.get("p"));
        assertEquals(List.of(Map.of("port", 1L, "proto", 17L, "addr", 7L), Map.of("port", 2L, "proto", 6L, "addr", 8L)),
                f.get("pair"));
        assertEquals((1L << 40) - 1, f.get("bf40"));
        assertEquals(0x800001L - (1L << 24), f.get("sbf"), "24-bit signed bitfield with the top bit set");
    }

    @Test
    void randomBytesDecodeTheSameBothWays() {
        // Random content reaches sign bits, unnamed enum values, odd booleans and unterminated strings.
        Random r = new Random(20240501);
        for (int round = 0; round < 300; round++) {
            byte[] data = new byte[SIZE + 7];
            r.nextBytes(data);
            int offset = r.nextInt(8);
            assertSame(event, data, offset);
        }
    }

    @Test
    void decodingInPlaceFromABufferEqualsDecodingBytes() {
        // The ring buffer reader decodes from mapped memory (a direct buffer) at the record's offset.
        Random r = new Random(20261126);
        List<Integer> types = new ArrayList<>(TYPES.values());
        types.add(event);
        for (int round = 0; round < 100; round++) {
            byte[] data = new byte[SIZE + 16];
            r.nextBytes(data);
            int offset = r.nextInt(16);
            ByteBuffer direct = ByteBuffer.allocateDirect(data.length).order(ByteOrder.nativeOrder()).put(data);
            for (int t : types) {
                ValueDecoder.Compiled c = decoder.compile(t, "v");
                assertEquals(shape(c.decode(data, offset)), shape(c.decode(direct, offset, data.length - offset)),
                        "type " + t);
            }
        }
        ValueDecoder.Compiled c = decoder.compile(event, "v");
        assertThrows(BeeException.class, () -> c.decode(ByteBuffer.allocateDirect(SIZE), 0, SIZE - 1));
    }

    @Test
    void extremeBitPatternsDecodeTheSameBothWays() {
        for (byte fill : new byte[]{0, (byte) 0xff, (byte) 0x80, 0x7f, 0x01}) {
            byte[] data = new byte[SIZE];
            Arrays.fill(data, fill);
            assertSame(event, data, 0);
        }
    }

    @Test
    void typedefAndConstStructsFlattenLikeTheStruct() {
        byte[] data = sample(0);
        assertSame(TYPES.get("event_t"), data, 0);
        assertSame(TYPES.get("const_event"), data, 0);
        assertEquals(FieldDecoding.fields(decoder, event, "v", data, 0), decoder.compile(TYPES.get("event_t"), "v").decode(data, 0));
    }

    @Test
    void nonStructTypesAreOneFieldNamedAfterTheValue() {
        ByteBuffer d = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        d.putLong(0, -1L).put(8, (byte) 'h').put(9, (byte) 'i').putLong(16, 0xC0A80101L);
        byte[] data = d.array();
        for (String t : List.of("u8", "s8", "u64", "bool", "comm", "bytes", "state", "duration", "inner", "pair",
                "wide_enum", "ipv4", "f64", "ptr", "u32_t")) {
            assertSame(TYPES.get(t), data, 0);
            assertSame(TYPES.get(t), data, 8);
        }
        assertEquals(Map.of("v", new BigInteger("18446744073709551615")), decoder.compile(TYPES.get("u64"), "v").decode(data, 0));
        assertEquals(Map.of("v", "ALL"), decoder.compile(TYPES.get("wide_enum"), "v").decode(data, 0));
        assertEquals(Map.of("count", 255L), decoder.compile(TYPES.get("u8"), "count").decode(data, 0));
        assertEquals(Map.of("v", "hi"), decoder.compile(TYPES.get("comm"), "v").decode(data, 8));
        assertEquals(List.of("port", "proto", "addr"), decoder.compile(TYPES.get("inner"), "v").names());
    }

    @Test
    void compiledSizeAndShortDataCheck() {
        ValueDecoder.Compiled c = decoder.compile(event, "v");
        assertEquals(SIZE, c.size());
        assertThrows(BeeException.class, () -> c.decode(new byte[SIZE - 1], 0));
        assertThrows(BeeException.class, () -> c.decode(new byte[SIZE], 1));
        assertThrows(BeeException.class, () -> FieldDecoding.fields(decoder, event, "v", new byte[SIZE - 1], 0));
        assertInstanceOf(DecodedFields.class, c.decode(new byte[SIZE], 0));
    }
}
