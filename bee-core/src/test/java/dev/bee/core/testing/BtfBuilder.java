package dev.bee.core.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes raw little-endian BTF by hand, for unit tests that need exact types (or exactly wrong ones)
 * without clang. Each add method returns the new type's id.
 */
public final class BtfBuilder {
    private final ByteArrayOutputStream types = new ByteArrayOutputStream();
    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private int next;
    private final long stringBase;

    public BtfBuilder() {
        this(1, 0);
    }

    /** Split BTF on top of a base with {@code firstId - 1} types and {@code stringBase} bytes of strings. */
    public BtfBuilder(int firstId, long stringBase) {
        this.next = firstId;
        this.stringBase = stringBase;
        strings.write(0);
    }

    /** Offset of a string in the whole (base + own) string space. */
    public int str(String s) {
        if (s == null || s.isEmpty()) {
            return 0;
        }
        int off = (int) stringBase + strings.size();
        strings.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        strings.write(0);
        return off;
    }

    private int type(String name, int kind, int vlen, boolean kflag, long sizeOrType, int... extra) {
        u32(str(name));
        u32(((long) (kflag ? 1 : 0) << 31) | ((long) kind << 24) | vlen);
        u32(sizeOrType);
        for (int e : extra) {
            u32(e & 0xffffffffL);
        }
        return next++;
    }

    public void u32(long v) {
        types.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
    }

    /** encoding bits: 1 signed, 2 char, 4 bool. */
    public int integer(String name, int size, int encoding) {
        return type(name, 1, 0, false, size, (encoding << 24) | (size * 8));
    }

    public int ptr(int target) {
        return type("", 2, 0, false, target);
    }

    public int array(int elem, int index, int n) {
        return type("", 3, 0, false, 0, elem, index, n);
    }

    /** Members as {name, typeId, bitOffset, bitfieldSize} rows. */
    public int struct(String name, int size, boolean union, Object[]... members) {
        boolean kflag = false;
        for (Object[] m : members) {
            kflag |= m.length > 3 && (Integer) m[3] != 0;
        }
        int id = type(name, union ? 5 : 4, members.length, kflag, size);
        for (Object[] m : members) {
            u32(str((String) m[0]));
            u32((Integer) m[1]);
            long off = ((Number) m[2]).longValue();
            int bits = m.length > 3 ? (Integer) m[3] : 0;
            u32(kflag ? ((long) bits << 24) | off : off);
        }
        return id;
    }

    /** Values as {name, value} pairs. */
    public int enumeration(String name, int size, boolean signed, Object[]... values) {
        int id = type(name, 6, values.length, signed, size);
        for (Object[] v : values) {
            u32(str((String) v[0]));
            u32(((Number) v[1]).longValue());
        }
        return id;
    }

    public int typedef(String name, int target) {
        return type(name, 8, 0, false, target);
    }

    public int modifier(int kind, int target) {
        return type("", kind, 0, false, target);
    }

    public int floating(String name, int size) {
        return type(name, 16, 0, false, size);
    }

    /** Reserves an id whose record is written by a raw call later (for loops and bad references). */
    public int raw(String name, int kind, int vlen, long sizeOrType) {
        return type(name, kind, vlen, false, sizeOrType);
    }

    public byte[] build() {
        byte[] t = types.toByteArray();
        byte[] s = strings.toByteArray();
        ByteBuffer b = ByteBuffer.allocate(24 + t.length + s.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 0xeB9F).put((byte) 1).put((byte) 0).putInt(24);
        b.putInt(0).putInt(t.length).putInt(t.length).putInt(s.length);
        b.put(t).put(s);
        return b.array();
    }

    public static List<Object[]> rows(Object[]... rows) {
        return new ArrayList<>(List.of(rows));
    }
}
