package dev.bee.core.decode;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.Plural;
import dev.bee.core.btf.Btf;
import dev.bee.core.btf.BtfType;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns raw bytes of a BTF-described type into Java values, by member offsets (so padding and
 * unpacked structs decode correctly). Structs and unions flatten into dotted field names
 * ({@code sk.daddr}); values are {@code Long}, {@code BigInteger} (u64 above 2^63, 128-bit),
 * {@code Boolean}, {@code Double}, {@code String} (char arrays, enum names, addresses, hex),
 * {@link DurationValue} and {@code List} (other arrays).
 */
public final class ValueDecoder {
    private static final int MAX_DEPTH = 32;
    /**
     * The most members one value's layout may visit: far beyond a real struct (65535 members a level), far
     * below what would exhaust memory when corrupt BTF nests wide structs in each other.
     */
    static final int MAX_FIELDS = 1 << 16;
    private final Btf btf;
    private final ByteOrder order;

    public ValueDecoder(Btf btf, ByteOrder order) {
        this.btf = btf;
        this.order = order;
    }

    /**
     * A decoder for values of type {@code typeId} that lays out the flattened fields once, so decoding
     * an event is a loop over precomputed offsets (the event path decodes millions per second). Its fields
     * are a struct's members by their dotted names, each as {@link #decode(int, byte[], int)} gives it, or for
     * any other type the value as one field named {@code name}.
     */
    public Compiled compile(int typeId, String name) {
        long size = btf.sizeOf(typeId);
        if (size > Integer.MAX_VALUE) {
            throw corrupt("type " + typeId + " is " + size + " bytes; bee decodes values of up to 2 GiB");
        }
        List<Leaf> leaves = layout(typeId, name);
        // The fast paths read a leaf's bytes without further checks: each must lie inside the value.
        for (Leaf l : leaves) {
            long bits = l.bitfieldSize() > 0 ? l.bitfieldSize() : btf.sizeOf(l.typeId()) * 8;
            if (l.bitOffset() < 0 || l.bitOffset() + bits > size * 8) {
                throw corrupt("field '" + l.name() + "' of type " + typeId + " at bit " + l.bitOffset() + " (" + bits
                        + " bits) lies outside the type's " + size + " bytes");
            }
        }
        return new Compiled(leaves, (int) size);
    }

    /** The flattened fields of a value: a struct's members by dotted names, any other type as {@code name}. */
    private List<Leaf> layout(int typeId, String name) {
        List<Leaf> leaves = new ArrayList<>();
        int id = btf.skipModifiers(typeId);
        if (btf.type(btf.resolve(id)) instanceof BtfType.Struct s && Hint.ofTypedef(btf.type(id).name()) == Hint.NONE) {
            plan(btf.resolve(id), "", 0, leaves, 0, new Budget(typeId, s.size()));
        } else {
            leaves.add(leaf(name, typeId, 0, 0));
        }
        return leaves;
    }

    /** One field of a compiled layout: where it is and how to read it. */
    private record Leaf(String name, int typeId, long bitOffset, int bitfieldSize, int fast, int size,
                        BtfType.Enum enumType) {
    }

    private static final int GENERIC = 0;
    private static final int UNSIGNED = 1;
    private static final int SIGNED = 2;
    private static final int BOOL = 3;
    private static final int CHARS = 4;
    private static final int ENUM = 5;

    /**
     * How many more members a layout may visit: one per bit of the value, plus a few of zero size (flexible
     * arrays, empty structs), so that laying out a value never costs more than its size.
     */
    private final class Budget {
        private final int typeId;
        private final long size;
        private long left;

        Budget(int typeId, long size) {
            this.typeId = typeId;
            this.size = size;
            this.left = Math.min(MAX_FIELDS, Math.min(size, MAX_FIELDS) * 8 + 16);
        }

        void spend() {
            if (--left < 0) {
                throw corrupt("type " + typeId + " has more members than its " + size + " bytes can hold");
            }
        }
    }

    /** Anonymous members merge into the parent's level, named ones nest with a dot. */
    private void plan(int structId, String prefix, long bitBase, List<Leaf> out, int depth, Budget budget) {
        guard(depth, structId);
        BtfType.Struct s = (BtfType.Struct) btf.type(structId);
        for (BtfType.Member m : s.members()) {
            budget.spend();
            String name = m.name().isEmpty() ? prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1)
                    : prefix + m.name();
            int mid = btf.skipModifiers(m.type());
            int resolved = btf.resolve(mid);
            long bit = bitBase + m.bitOffset();
            if (m.bitfieldSize() == 0 && btf.type(resolved) instanceof BtfType.Struct
                    && Hint.ofTypedef(btf.type(mid).name()) == Hint.NONE) {
                plan(resolved, m.name().isEmpty() ? prefix : name + ".", bit, out, depth + 1, budget);
            } else {
                out.add(leaf(name.isEmpty() ? "(anon)" : name, m.type(), bit, m.bitfieldSize()));
            }
        }
    }

    private Leaf leaf(String name, int typeId, long bit, int bitfieldSize) {
        if (bitfieldSize == 0 && bit % 8 == 0 && !hasHint(typeId)) {
            BtfType t = btf.type(btf.resolve(typeId));
            if (t instanceof BtfType.Int i && i.bitOffset() == 0 && i.bits() == i.size() * 8 && i.size() <= 8) {
                int kind = i.isBool() ? BOOL : i.signed() ? SIGNED : UNSIGNED;
                return new Leaf(name, typeId, bit, 0, kind, i.size(), null);
            }
            if (t instanceof BtfType.Enum e && e.size() <= 8) {
                return new Leaf(name, typeId, bit, 0, ENUM, e.size(), e);
            }
            if (t instanceof BtfType.Array a && btf.type(btf.resolve(a.elementType())) instanceof BtfType.Int i
                    && i.size() == 1 && (i.isChar() || i.name().equals("char") || i.name().equals("signed char"))
                    && !hasHint(a.elementType())) {
                return new Leaf(name, typeId, bit, 0, CHARS, (int) a.length(), null);
            }
        }
        return new Leaf(name, typeId, bit, bitfieldSize, GENERIC, 0, null);
    }

    /** Whether a typedef on the way to the underlying type carries a display hint. */
    private boolean hasHint(int typeId) {
        return isHinted(btf.walk(typeId, Btf.Through.TYPEDEFS, cur -> !isHinted(cur)));
    }

    private boolean isHinted(int id) {
        return btf.type(id) instanceof BtfType.Typedef td && Hint.ofTypedef(td.name()) != Hint.NONE;
    }

    /** A value layout computed once by {@link #compile}; immutable, so one serves every event of its type. */
    public final class Compiled {
        private final Leaf[] leaves;
        private final String[] names;
        private final int size;
        /** Whether some field needs the general, byte[]-based decoding (hints, bitfields, nested arrays...). */
        private final boolean generic;

        private Compiled(List<Leaf> leaves, int size) {
            this.leaves = leaves.toArray(new Leaf[0]);
            this.names = leaves.stream().map(Leaf::name).toArray(String[]::new);
            this.size = size;
            this.generic = leaves.stream().anyMatch(l -> l.fast() == GENERIC);
        }

        /** Bytes a value occupies. */
        public int size() {
            return size;
        }

        /** The field names, in order. */
        public List<String> names() {
            return List.of(names);
        }

        /** Decodes a value at {@code offset}; the bytes must hold the whole type. */
        public DecodedFields decode(byte[] data, int offset) {
            check(data, offset, size);
            Object[] values = new Object[leaves.length];
            for (int k = 0; k < leaves.length; k++) {
                Leaf l = leaves[k];
                int off = offset + (int) (l.bitOffset() >>> 3);
                values[k] = switch (l.fast()) {
                    case UNSIGNED -> {
                        long v = unsignedLong(data, off, l.size());
                        yield v < 0 ? new BigInteger(Long.toUnsignedString(v)) : (Object) v;
                    }
                    case SIGNED -> signed(data, off, l.size());
                    case BOOL -> unsignedLong(data, off, l.size()) != 0;
                    case CHARS -> {
                        int end = off;
                        int limit = off + l.size();
                        while (end < limit && data[end] != 0) {
                            end++;
                        }
                        yield new String(data, off, end - off, StandardCharsets.UTF_8);
                    }
                    case ENUM -> {
                        BtfType.Enum e = l.enumType();
                        yield enumName(e, e.signed() ? signed(data, off, e.size()) : unsignedLong(data, off, e.size()));
                    }
                    default -> value(l.typeId(), data, offset * 8L + l.bitOffset(), l.bitfieldSize(), 1);
                };
            }
            return new DecodedFields(names, values);
        }

        /**
         * Decodes a value of {@code length} bytes at {@code offset} of {@code buf} in place (a ring buffer's
         * memory), giving exactly what {@link #decode(byte[], int)} gives for the same bytes. Only layouts
         * with general fields copy the value out first.
         */
        public DecodedFields decode(ByteBuffer buf, int offset, int length) {
            if (length < size) {
                throw new BeeException(ErrorKind.INPUT, "a value of " + size + " bytes at offset 0 does not fit the "
                        + length + " bytes received", "the map's declared type does not match what the program writes");
            }
            if (generic) {
                byte[] copy = new byte[size];
                buf.get(offset, copy);
                return decode(copy, 0);
            }
            ByteBuffer b = buf.order() == order ? buf : buf.duplicate().order(order);
            Object[] values = new Object[leaves.length];
            for (int k = 0; k < leaves.length; k++) {
                Leaf l = leaves[k];
                int off = offset + (int) (l.bitOffset() >>> 3);
                values[k] = switch (l.fast()) {
                    case UNSIGNED -> {
                        long v = unsignedLong(b, off, l.size());
                        yield v < 0 ? new BigInteger(Long.toUnsignedString(v)) : (Object) v;
                    }
                    case SIGNED -> signed(unsignedLong(b, off, l.size()), l.size());
                    case BOOL -> unsignedLong(b, off, l.size()) != 0;
                    case CHARS -> {
                        int end = off;
                        int limit = off + l.size();
                        while (end < limit && b.get(end) != 0) {
                            end++;
                        }
                        byte[] text = new byte[end - off];
                        b.get(off, text);
                        yield new String(text, StandardCharsets.UTF_8);
                    }
                    default -> { // ENUM, the one fast kind left
                        BtfType.Enum e = l.enumType();
                        long raw = unsignedLong(b, off, e.size());
                        yield enumName(e, e.signed() ? signed(raw, e.size()) : raw);
                    }
                };
            }
            return new DecodedFields(names, values);
        }
    }

    /** An unsigned integer of {@code size} bytes (1 to 8) in the buffer's byte order. */
    private static long unsignedLong(ByteBuffer b, int off, int size) {
        return switch (size) {
            case 1 -> b.get(off) & 0xffL;
            case 2 -> b.getShort(off) & 0xffffL;
            case 4 -> b.getInt(off) & 0xffffffffL;
            case 8 -> b.getLong(off);
            default -> {
                long v = 0;
                for (int k = 0; k < size; k++) {
                    int idx = b.order() == ByteOrder.LITTLE_ENDIAN ? off + size - 1 - k : off + k;
                    v = (v << 8) | (b.get(idx) & 0xff);
                }
                yield v;
            }
        };
    }

    private static long signed(long v, int size) {
        int shift = 64 - size * 8;
        return shift == 0 ? v : (v << shift) >> shift;
    }

    /** Decodes one value of type {@code typeId} starting at byte {@code offset}. */
    public Object decode(int typeId, byte[] data, int offset) {
        return value(typeId, data, offset * 8L, 0, 0);
    }

    private Object value(int typeId, byte[] data, long bitOffset, int bitfieldSize, int depth) {
        guard(depth, typeId);
        int id = btf.skipModifiers(typeId);
        BtfType t = btf.type(id);
        if (t instanceof BtfType.Typedef td) {
            Hint hint = Hint.ofTypedef(td.name());
            if (hint != Hint.NONE && bitfieldSize == 0) {
                return hinted(hint, td.type(), data, (int) (bitOffset / 8));
            }
            return value(td.type(), data, bitOffset, bitfieldSize, depth + 1);
        }
        if (bitfieldSize > 0) {
            return bitfield(t, data, bitOffset, bitfieldSize);
        }
        int off = (int) (bitOffset / 8);
        if (t instanceof BtfType.Int i) {
            if (i.bits() < i.size() * 8 || i.bitOffset() != 0) {
                return bitfield(t, data, bitOffset + i.bitOffset(), i.bits());
            }
            return integer(i, data, off);
        } else if (t instanceof BtfType.Enum e) {
            long raw = e.signed() ? signed(data, off, e.size()) : unsignedLong(data, off, e.size());
            return enumName(e, raw);
        } else if (t instanceof BtfType.Float f) {
            check(data, off, f.size());
            ByteBuffer b = ByteBuffer.wrap(data, off, f.size()).order(order);
            return f.size() == 4 ? (Object) (double) b.getFloat() : f.size() == 8 ? (Object) b.getDouble() : hex(data, off, f.size());
        } else if (t instanceof BtfType.Ptr) {
            return String.format("0x%x", unsignedLong(data, off, Btf.POINTER_SIZE));
        } else if (t instanceof BtfType.Array a) {
            return array(a, data, off, depth);
        } else if (t instanceof BtfType.Struct s) {
            List<Leaf> leaves = new ArrayList<>();
            plan(id, "", 0, leaves, depth + 1, new Budget(id, s.size()));
            Map<String, Object> nested = new LinkedHashMap<>();
            for (Leaf l : leaves) {
                nested.put(l.name(), value(l.typeId(), data, bitOffset + l.bitOffset(), l.bitfieldSize(), depth + 1));
            }
            return nested;
        }
        return null;
    }

    private Object array(BtfType.Array a, byte[] data, int off, int depth) {
        int elem = btf.resolve(a.elementType());
        long elemSize = btf.sizeOf(a.elementType());
        check(data, off, elemSize * a.length()); // no overflow: the reader keeps array sizes within 32 bits
        if (elemSize == 0) {
            return List.of(); // zero-size elements hold nothing to show, however many the count says
        }
        // Only char arrays are text; u8/unsigned char arrays are bytes, shown as numbers.
        if (btf.type(elem) instanceof BtfType.Int i && i.size() == 1
                && (i.isChar() || i.name().equals("char") || i.name().equals("signed char"))) {
            int end = off;
            int limit = off + (int) a.length();
            while (end < limit && data[end] != 0) {
                end++;
            }
            return new String(data, off, end - off, StandardCharsets.UTF_8);
        }
        List<Object> out = new ArrayList<>((int) Math.min(a.length(), 4096));
        for (long k = 0; k < a.length(); k++) {
            out.add(value(a.elementType(), data, (off + k * elemSize) * 8, 0, depth + 1));
        }
        return out;
    }

    private Object hinted(Hint hint, int typeId, byte[] data, int off) {
        return switch (hint) {
            case IPV4 -> {
                check(data, off, 4);
                yield (data[off] & 0xff) + "." + (data[off + 1] & 0xff) + "." + (data[off + 2] & 0xff) + "."
                        + (data[off + 3] & 0xff);
            }
            case IPV6 -> {
                check(data, off, 16);
                yield ipv6(data, off);
            }
            case ETHER -> {
                check(data, off, 6);
                StringBuilder sb = new StringBuilder();
                for (int k = 0; k < 6; k++) {
                    sb.append(k == 0 ? "" : ":").append(String.format("%02x", data[off + k] & 0xff));
                }
                yield sb.toString();
            }
            case NET_PORT -> {
                check(data, off, 2);
                yield (long) (((data[off] & 0xff) << 8) | (data[off + 1] & 0xff));
            }
            case DURATION -> new DurationValue(signed(data, off, (int) btf.sizeOf(typeId)));
            case BOOT_TIME -> bootTime(signed(data, off, (int) btf.sizeOf(typeId)));
            case HEX -> {
                int size = (int) btf.sizeOf(typeId);
                yield String.format("0x%0" + (size * 2) + "x", unsignedLong(data, off, size));
            }
            case NONE -> value(typeId, data, off * 8L, 0, 0);
        };
    }

    /** RFC 5952 text: lower-case hex, the longest run of two or more zero groups as "::". */
    static String ipv6(byte[] data, int off) {
        int[] g = new int[8];
        for (int k = 0; k < 8; k++) {
            g[k] = ((data[off + 2 * k] & 0xff) << 8) | (data[off + 2 * k + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int k = 0; k < 8; ) {
            if (g[k] != 0) {
                k++;
                continue;
            }
            int j = k;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - k > bestLen) {
                bestStart = k;
                bestLen = j - k;
            }
            k = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < 8; k++) {
            if (k == bestStart) {
                sb.append("::");
                k += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[k]));
        }
        return sb.toString();
    }

    private static String bootTime(long nanos) {
        return Instant.ofEpochSecond(0, BootClock.WALL_MINUS_BOOT_NANOS + nanos).toString();
    }

    /**
     * The offset from boot-relative to wall-clock nanoseconds, read once per process (not per event): the
     * two clocks move together, so one reading of /proc/uptime serves the whole run.
     */
    private static final class BootClock {
        static final long WALL_MINUS_BOOT_NANOS = read();

        private static long read() {
            long wallNow = System.currentTimeMillis() * 1_000_000L;
            try {
                String up = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/uptime")).split(" ")[0];
                return wallNow - (long) (Double.parseDouble(up) * 1e9);
            } catch (Exception e) {
                return wallNow;
            }
        }
    }

    private Object integer(BtfType.Int i, byte[] data, int off) {
        if (i.isBool()) {
            check(data, off, i.size());
            return unsignedLong(data, off, i.size()) != 0;
        }
        if (i.size() > 8) {
            check(data, off, i.size());
            byte[] b = new byte[i.size()];
            for (int k = 0; k < i.size(); k++) {
                b[k] = data[order == ByteOrder.LITTLE_ENDIAN ? off + i.size() - 1 - k : off + k];
            }
            return i.signed() ? new BigInteger(b) : new BigInteger(1, b);
        }
        if (i.signed()) {
            return signed(data, off, i.size());
        }
        long v = unsignedLong(data, off, i.size());
        return v < 0 ? new BigInteger(Long.toUnsignedString(v)) : (Object) v;
    }

    private Object bitfield(BtfType t, byte[] data, long bitOffset, int bits) {
        BtfType base = t;
        boolean signed = base instanceof BtfType.Int i ? i.signed() : base instanceof BtfType.Enum e && e.signed();
        int firstByte = (int) (bitOffset / 8);
        int shift = (int) (bitOffset % 8);
        int span = (shift + bits + 7) / 8;
        check(data, firstByte, span);
        BigInteger raw = BigInteger.ZERO;
        for (int k = span - 1; k >= 0; k--) {
            // Bitfields are little-endian bit numbered on little-endian targets.
            int idx = order == ByteOrder.LITTLE_ENDIAN ? firstByte + k : firstByte + span - 1 - k;
            raw = raw.shiftLeft(8).or(BigInteger.valueOf(data[idx] & 0xff));
        }
        BigInteger v;
        if (order == ByteOrder.LITTLE_ENDIAN) {
            v = raw.shiftRight(shift).and(BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE));
        } else {
            v = raw.shiftRight(span * 8 - shift - bits).and(BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE));
        }
        if (signed && v.testBit(bits - 1)) {
            v = v.subtract(BigInteger.ONE.shiftLeft(bits));
        }
        if (base instanceof BtfType.Enum e) {
            return enumName(e, v.longValue());
        }
        if (base instanceof BtfType.Int i && i.isBool()) {
            return v.signum() != 0;
        }
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private static Object enumName(BtfType.Enum e, long raw) {
        for (BtfType.EnumValue v : e.values()) {
            if (v.value() == raw) {
                return v.name();
            }
        }
        return raw;
    }

    private long signed(byte[] data, int off, int size) {
        long v = unsignedLong(data, off, size);
        int shift = 64 - size * 8;
        return shift == 0 ? v : (v << shift) >> shift;
    }

    private long unsignedLong(byte[] data, int off, int size) {
        check(data, off, size);
        if (size > 8 || size < 1) {
            throw new BeeException(ErrorKind.INPUT, "cannot decode an integer of " + size + " bytes");
        }
        long v = 0;
        for (int k = 0; k < size; k++) {
            int idx = order == ByteOrder.LITTLE_ENDIAN ? off + size - 1 - k : off + k;
            v = (v << 8) | (data[idx] & 0xff);
        }
        return v;
    }

    private static String hex(byte[] data, int off, int size) {
        StringBuilder sb = new StringBuilder("0x");
        for (int k = 0; k < size; k++) {
            sb.append(String.format("%02x", data[off + k] & 0xff));
        }
        return sb.toString();
    }

    private static void check(byte[] data, long off, long size) {
        if (off < 0 || size < 0 || off + size > data.length) {
            throw new BeeException(ErrorKind.INPUT, "a value of " + Plural.of(size, "byte") + " at offset " + off
                    + " does not fit the " + Plural.of(data.length, "byte") + " received",
                    "the map's declared type does not match what the program writes");
        }
    }

    private BeeException corrupt(String detail) {
        return new BeeException(ErrorKind.INPUT, btf.origin() + ": " + detail,
                "the object's BTF is corrupt; rebuild it with clang -g");
    }

    private void guard(int depth, int typeId) {
        if (depth > MAX_DEPTH) {
            throw new BeeException(ErrorKind.INPUT, btf.origin() + ": type " + typeId + " nests deeper than "
                    + MAX_DEPTH + " levels (a struct that contains itself?)");
        }
    }
}
