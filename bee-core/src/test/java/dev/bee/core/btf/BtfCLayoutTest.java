package dev.bee.core.btf;

import dev.bee.core.BeeException;
import dev.bee.core.testing.BtfBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How types are written so that clang's layout is BTF's (that clang agrees is BtfCWriterIT's job). */
class BtfCLayoutTest {
    private static BtfCLayout layout(BtfBuilder b) {
        return new BtfCLayout(BtfReader.read("t", b.build()), new NestingLimit("t"));
    }

    private static List<Integer> aligned(BtfCLayout.Body body) {
        return body.members().stream().map(BtfCLayout.Slot::aligned).toList();
    }

    @Test
    void aNaturalLayoutNeedsNothing() {
        BtfBuilder b = new BtfBuilder();
        int i32 = b.integer("int", 4, 1);
        int u8 = b.integer("unsigned char", 1, 0);
        int s = b.struct("s", 8, false, new Object[]{"c", u8, 0}, new Object[]{"i", i32, 32});
        BtfCLayout.Body body = layout(b).body(s);
        assertEquals(List.of(new BtfCLayout.Slot(List.of(), 0), new BtfCLayout.Slot(List.of(), 0)), body.members());
        assertEquals(List.of(), body.paddingAfter());
        assertFalse(body.packed());
        assertEquals(0, body.aligned());
        assertEquals(0, body.unionPad());
    }

    @Test
    void gapsClangWouldNotLeaveGetAnonymousBitfields() {
        BtfBuilder b = new BtfBuilder();
        int i32 = b.integer("int", 4, 1);
        int s = b.struct("s", 16, false, new Object[]{"y", i32, 32});
        BtfCLayout.Body body = layout(b).body(s);
        assertEquals(List.of("int: 32"), body.members().get(0).paddingBefore());
        assertEquals(List.of("long: 64"), body.paddingAfter());
    }

    @Test
    void aMemberBelowItsAlignmentMakesThePackedAttribute() {
        BtfBuilder b = new BtfBuilder();
        int i32 = b.integer("int", 4, 1);
        int u8 = b.integer("unsigned char", 1, 0);
        int s = b.struct("odd", 5, false, new Object[]{"tag", u8, 0}, new Object[]{"value", i32, 8});
        int u = b.struct("u6", 6, true, new Object[]{"a", i32, 0}); // 6 is no multiple of 4
        BtfCLayout l = layout(b);
        BtfCLayout.Body body = l.body(s);
        assertTrue(body.packed());
        assertEquals(List.of(), body.members().get(1).paddingBefore());
        assertEquals(1, l.alignOf(s));
        assertTrue(l.body(u).packed());
        assertEquals(6, l.body(u).unionPad());
    }

    @Test
    void overAlignedMembersAndUnionsGetTheAlignedAttribute() {
        BtfBuilder b = new BtfBuilder();
        int i32 = b.integer("int", 4, 1);
        int cacheline = b.struct("cacheline", 128, false, new Object[]{"a", i32, 0}, new Object[]{"b", i32, 512});
        int wide = b.struct("wide", 16, true, new Object[]{"a", i32, 0});
        int odd = b.struct("odd", 12, true, new Object[]{"a", i32, 0}); // no power of two makes 12: a pad array
        BtfCLayout l = layout(b);
        assertEquals(List.of(0, 64), aligned(l.body(cacheline)));
        assertEquals(64, l.alignOf(cacheline));
        assertEquals(16, l.body(wide).aligned());
        assertEquals(0, l.body(wide).unionPad());
        assertEquals(0, l.body(odd).aligned());
        assertEquals(12, l.body(odd).unionPad());
    }

    @Test
    void alignmentsOnBpf() {
        BtfBuilder b = new BtfBuilder();
        int i128 = b.integer("__int128", 16, 1);
        int ch = b.integer("char", 1, 2);
        int arr = b.array(ch, ch, 3);
        int ptr = b.ptr(ch);
        int e = b.enumeration("e", 2, false, new Object[]{"A", 1});
        int td = b.typedef("t", i128);
        BtfCLayout l = layout(b);
        assertEquals(16, l.alignOf(i128));
        assertEquals(16, l.alignOf(td));
        assertEquals(1, l.alignOf(arr));
        assertEquals(8, l.alignOf(ptr));
        assertEquals(2, l.alignOf(e));
    }

    @Test
    void paddingUsesUnitsClangNeverMoves() {
        assertEquals(List.of("char: 8"), BtfCLayout.padding(8, 16));
        assertEquals(List.of("char: 2"), BtfCLayout.padding(3, 5));
        assertEquals(List.of("short: 16"), BtfCLayout.padding(16, 32));
        assertEquals(List.of("int: 32", "long: 64"), BtfCLayout.padding(32, 128));
        assertEquals(List.of("long: 60", "long: 36"), BtfCLayout.padding(4, 100));
        assertEquals(List.of(), BtfCLayout.padding(64, 64));
    }

    private static BtfType.Enum enumeration(int size, boolean signed, long... values) {
        List<BtfType.EnumValue> v = java.util.Arrays.stream(values).mapToObj(x -> new BtfType.EnumValue("V" + x, x))
                .toList();
        return new BtfType.Enum("e", size, signed, size == 8, v);
    }

    @Test
    void enumsTakeAModeWhereTheirSizeIsNotClangs() {
        assertNull(BtfCLayout.enumMode(enumeration(4, false, 7)));
        assertEquals("byte", BtfCLayout.enumMode(enumeration(1, false, 0, 1)));
        assertEquals("HI", BtfCLayout.enumMode(enumeration(2, true, -1, 300)));
        assertEquals("DI", BtfCLayout.enumMode(enumeration(8, false, 7)));
        BtfType.Enum tooBig = enumeration(1, false, 300); // no mode holds it: by value it is an integer
        assertNull(BtfCLayout.enumMode(tooBig));
        assertFalse(BtfCLayout.enumSizeExact(tooBig));
        assertTrue(BtfCLayout.enumSizeExact(enumeration(4, false, 7)));
    }

    @Test
    void integersKeepBtfsNameOnlyWhereItIsACSpellingOfTheirSize() {
        assertEquals("unsigned int", BtfCLayout.intName(new BtfType.Int("unsigned int", 4, false, false, false, 0, 32)));
        assertEquals("__int128 unsigned", BtfCLayout.intName(new BtfType.Int("__int128 unsigned", 16, false, false,
                false, 0, 128)));
        assertEquals("long", BtfCLayout.intName(new BtfType.Int("ssizetype", 8, true, false, false, 0, 64)));
        assertEquals("unsigned short", BtfCLayout.intName(new BtfType.Int("char", 2, false, false, false, 0, 16)));
        assertEquals("_Bool", BtfCLayout.intName(new BtfType.Int("bool", 1, false, false, true, 0, 8)));
        assertEquals("signed char", BtfCLayout.integerOfSize(1, true));
        assertThrows(BeeException.class, () -> BtfCLayout.integerOfSize(3, false));
    }
}
