package dev.bee.core.btf;

import dev.bee.core.BeeException;
import dev.bee.core.testing.BtfBuilder;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The BTF reader on hand-made BTF: sizes, alignment, bitfields, and every kind of bad input. */
class BtfReaderTest {

    @Test
    void resolvesSizesThroughTypedefsArraysAndModifiers() {
        BtfBuilder b = new BtfBuilder();
        int u32 = b.integer("unsigned int", 4, 0);
        int u8 = b.integer("unsigned char", 1, 0);
        int arr = b.array(u8, u32, 6);
        int td = b.typedef("ether_addr", arr);
        int cnst = b.modifier(10, td);
        int s = b.struct("pkt", 16, false, new Object[]{"len", u32, 0}, new Object[]{"src", cnst, 32},
                new Object[]{"flag", u32, 80, 3});
        Btf btf = BtfReader.read("test", b.build());
        assertEquals(6, btf.sizeOf(td));
        assertEquals(6, btf.sizeOf(cnst));
        assertEquals(arr, btf.resolve(cnst));
        assertEquals(4, btf.alignOf(s));
        assertEquals("const ether_addr", btf.cName(cnst));
        assertEquals("unsigned char[6]", btf.cName(arr));
        BtfType.Struct st = (BtfType.Struct) btf.type(s);
        assertEquals(3, st.members().get(2).bitfieldSize());
        assertEquals(80, st.members().get(2).bitOffset());
        assertEquals(s, btf.find(BtfKind.STRUCT, "pkt").orElseThrow());
    }

    @Test
    void typeLoopIsRejectedWithAClearMessage() {
        BtfBuilder b = new BtfBuilder();
        b.typedef("a", 2);
        b.typedef("b", 1);
        BeeException e = assertThrows(BeeException.class, () -> BtfReader.read("loop.o", b.build()));
        assertTrue(e.getMessage().contains("loop.o") && e.getMessage().contains("type loop"), e.getMessage());
    }

    @Test
    void arrayLoopIsRejected() {
        BtfBuilder b = new BtfBuilder();
        b.integer("int", 4, 1);
        b.array(2, 1, 4); // an array of itself
        BeeException e = assertThrows(BeeException.class, () -> BtfReader.read("arr.o", b.build()));
        assertTrue(e.getMessage().contains("type loop"), e.getMessage());
    }

    @Test
    void danglingReferenceIsRejected() {
        BtfBuilder b = new BtfBuilder();
        b.ptr(99);
        BeeException e = assertThrows(BeeException.class, () -> BtfReader.read("dangling.o", b.build()));
        assertTrue(e.getMessage().contains("refers to type 99"), e.getMessage());
    }

    @Test
    void badSectionOffsetsAreRejected() {
        BtfBuilder b = new BtfBuilder();
        b.integer("int", 4, 1);
        byte[] raw = b.build();
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).putInt(16, 1_000_000); // str_off far outside
        BeeException e = assertThrows(BeeException.class, () -> BtfReader.read("badoff.o", raw));
        assertTrue(e.getMessage().contains("BTF string section") && e.getMessage().contains("outside"), e.getMessage());
    }

    @Test
    void badNameOffsetIsRejected() {
        BtfBuilder b = new BtfBuilder();
        b.integer("int", 4, 1);
        byte[] raw = b.build();
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).putInt(24, 5000); // name_off of type 1
        BeeException e = assertThrows(BeeException.class, () -> BtfReader.read("name.o", raw));
        assertTrue(e.getMessage().contains("name offset 5000 of BTF type 1"), e.getMessage());
    }

    @Test
    void unknownKindAndTruncationAreRejected() {
        BtfBuilder b = new BtfBuilder();
        b.raw("x", 25, 0, 0);
        BeeException e = assertThrows(BeeException.class, () -> BtfReader.read("kind.o", b.build()));
        assertTrue(e.getMessage().contains("unknown kind 25"), e.getMessage());

        BtfBuilder s = new BtfBuilder();
        s.raw("s", 4, 50, 8); // a struct that claims 50 members but has none
        BeeException t = assertThrows(BeeException.class, () -> BtfReader.read("trunc.o", s.build()));
        assertTrue(t.getMessage().contains("trunc.o"), t.getMessage());
    }

    @Test
    void badMagicAndShortHeader() {
        assertTrue(assertThrows(BeeException.class, () -> BtfReader.read("m", new byte[30])).getMessage()
                .contains("no BTF magic"));
        assertTrue(assertThrows(BeeException.class, () -> BtfReader.read("s", new byte[3])).getMessage()
                .contains("header alone needs 24"));
    }

    @Test
    void bigEndianBtfReads() {
        BtfBuilder b = new BtfBuilder();
        b.integer("int", 4, 1);
        byte[] le = b.build();
        // Swap every 32-bit word of header and types, and the 16-bit magic, to big endian.
        ByteBuffer in = ByteBuffer.wrap(le).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer out = ByteBuffer.allocate(le.length).order(ByteOrder.BIG_ENDIAN);
        out.putShort(in.getShort(0)).put(le[2]).put(le[3]);
        int typeLen = in.getInt(12);
        for (int off = 4; off < 24 + typeLen; off += 4) {
            out.putInt(off, in.getInt(off));
        }
        System.arraycopy(le, 24 + typeLen, out.array(), 24 + typeLen, le.length - 24 - typeLen);
        Btf btf = BtfReader.read("be", out.array());
        assertEquals("int", btf.type(1).name());
        assertEquals(4, btf.sizeOf(1));
    }
}
