package dev.bee.core.btf;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** .BTF.ext line info read, and hostile counts and string offsets refused with an error instead of a crash. */
class BtfExtReaderTest {
    private static final byte[] STRINGS = "\0prog\0a.c\0return 0;\0".getBytes(StandardCharsets.US_ASCII);

    /** BTF with no types and the strings above. */
    private static Btf btf() {
        ByteBuffer b = ByteBuffer.allocate(24 + STRINGS.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) BtfReader.MAGIC).put((byte) 1).put((byte) 0).putInt(24).putInt(0).putInt(0).putInt(0)
                .putInt(STRINGS.length).put(STRINGS);
        return BtfReader.read("t", b.array());
    }

    /** A .BTF.ext with only line info: one section, {@code count} records, the given string offsets. */
    private static byte[] ext(long count, int sectionName, int lineText) {
        ByteBuffer b = ByteBuffer.allocate(32 + 12 + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) BtfReader.MAGIC).put((byte) 1).put((byte) 0).putInt(32);
        b.putInt(0).putInt(0); // func_info
        b.putInt(0).putInt(12 + 16); // line_info
        b.putInt(0).putInt(0); // core_relo
        b.putInt(16).putInt(sectionName).putInt((int) count);
        b.putInt(8).putInt(6).putInt(lineText).putInt((42 << 10) | 5);
        return b.array();
    }

    @Test
    void readsLineInfo() {
        BtfExt ext = BtfExtReader.read("t", ext(1, 1, 10), btf());
        assertEquals(1, ext.lines().size());
        assertEquals(new BtfExt.LineInfo("prog", 8, "a.c", "return 0;", 42, 5), ext.lines().get(0));
    }

    @Test
    void aCountPastTheSectionIsAnError() {
        BeeException e = assertThrows(BeeException.class, () -> BtfExtReader.read("t", ext(0xffff_ffffL, 1, 10), btf()));
        assertEquals(ErrorKind.INPUT, e.kind());
        assertTrue(e.getMessage().contains("line_info records of section 'prog'"), e.getMessage());
    }

    @Test
    void aStringOffsetPastTheStringsIsAnError() {
        BeeException e = assertThrows(BeeException.class, () -> BtfExtReader.read("t", ext(1, 1, 9999), btf()));
        assertTrue(e.getMessage().contains("line_info line names string offset 9999"), e.getMessage());
    }
}
