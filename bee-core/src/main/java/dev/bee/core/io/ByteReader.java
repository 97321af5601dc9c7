package dev.bee.core.io;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.Plural;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked reads from a byte array for the binary format readers. Every read names the file
 * and the offset when it would leave the data, so a corrupt input ends in a {@link BeeException},
 * never an {@code IndexOutOfBoundsException}.
 */
public final class ByteReader {
    private final String origin;
    private final byte[] data;
    private final int base;
    private final int length;
    private final ByteBuffer buf;

    public ByteReader(String origin, byte[] data, ByteOrder order) {
        this(origin, data, 0, data.length, order);
    }

    private ByteReader(String origin, byte[] data, int base, int length, ByteOrder order) {
        this.origin = origin;
        this.data = data;
        this.base = base;
        this.length = length;
        this.buf = ByteBuffer.wrap(data, base, length).slice().order(order);
    }

    public String origin() {
        return origin;
    }

    public int length() {
        return length;
    }

    public ByteOrder order() {
        return buf.order();
    }

    /** A reader over {@code [offset, offset+size)} of this one; offsets in it start at 0. */
    public ByteReader slice(long offset, long size, String what) {
        check(offset, size, what);
        return new ByteReader(origin, data, base + (int) offset, (int) size, buf.order());
    }

    public ByteReader withOrder(ByteOrder order) {
        return new ByteReader(origin, data, base, length, order);
    }

    /** Fails unless {@code [offset, offset+size)} lies inside the data. */
    public void check(long offset, long size, String what) {
        if (offset < 0 || size < 0 || offset > length || size > length - offset) {
            throw malformed(what + " at offset " + offset + " (size " + size
                    + ") lies outside the " + Plural.of(length, "byte") + " available");
        }
    }

    public BeeException malformed(String detail) {
        return new BeeException(ErrorKind.INPUT, origin + ": " + detail,
                "the file is truncated or corrupt; rebuild it or check the download");
    }

    public int u8(long off) {
        check(off, 1, "byte");
        return buf.get((int) off) & 0xff;
    }

    public int u16(long off) {
        check(off, 2, "16-bit value");
        return buf.getShort((int) off) & 0xffff;
    }

    public long u32(long off) {
        check(off, 4, "32-bit value");
        return buf.getInt((int) off) & 0xffffffffL;
    }

    public int s32(long off) {
        check(off, 4, "32-bit value");
        return buf.getInt((int) off);
    }

    public long u64(long off) {
        check(off, 8, "64-bit value");
        return buf.getLong((int) off);
    }

    /** A 32-bit count or offset that must fit an int and be non-negative to be usable as an index. */
    public int u32AsInt(long off, String what) {
        long v = u32(off);
        if (v > Integer.MAX_VALUE) {
            throw malformed(what + " " + v + " at offset " + off + " is too large");
        }
        return (int) v;
    }

    public byte[] bytes(long off, long size) {
        check(off, size, "data");
        byte[] out = new byte[(int) size];
        System.arraycopy(data, base + (int) off, out, 0, (int) size);
        return out;
    }

    /** A NUL-terminated string starting at {@code off}; the terminator must lie inside the data. */
    public String cString(long off, String what) {
        check(off, 0, what);
        int start = base + (int) off;
        int end = start;
        int limit = base + length;
        while (end < limit && data[end] != 0) {
            end++;
        }
        if (end == limit) {
            throw malformed(what + " at offset " + off + " is not NUL-terminated");
        }
        return new String(data, start, end - start, StandardCharsets.UTF_8);
    }
}
