package dev.bee.core.io;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ByteReaderTest {
    private static final byte[] DATA = {1, 2, 3, 4, 5, 6, 7, 8, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 'h', 'i', 0};

    @Test
    void readsIntegersInEitherOrder() {
        ByteReader le = new ByteReader("x", DATA, ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x0201, le.u16(0));
        assertEquals(0x04030201L, le.u32(0));
        assertEquals(0x0807060504030201L, le.u64(0));
        assertEquals(0xffffffffL, le.u32(8));
        assertEquals(-1, le.s32(8));
        ByteReader be = le.withOrder(ByteOrder.BIG_ENDIAN);
        assertEquals(0x01020304L, be.u32(0));
        assertEquals("hi", le.cString(12, "name"));
    }

    @Test
    void everyReadIsBoundedByTheData() {
        ByteReader r = new ByteReader("obj.o", DATA, ByteOrder.LITTLE_ENDIAN);
        for (Runnable bad : new Runnable[]{() -> r.u32(13), () -> r.u64(-1), () -> r.bytes(4, Long.MAX_VALUE),
                () -> r.slice(10, 10, "section"), () -> r.u32AsInt(8, "count"), () -> r.cString(15, "name")}) {
            BeeException e = assertThrows(BeeException.class, bad::run);
            assertEquals(ErrorKind.INPUT, e.kind(), e.getMessage());
        }
    }

    @Test
    void aSliceReadsRelativeToItsStart() {
        ByteReader s = new ByteReader("x", DATA, ByteOrder.LITTLE_ENDIAN).slice(4, 4, "part");
        assertEquals(4, s.length());
        assertEquals(0x08070605L, s.u32(0));
        assertThrows(BeeException.class, () -> s.u8(4));
    }
}
