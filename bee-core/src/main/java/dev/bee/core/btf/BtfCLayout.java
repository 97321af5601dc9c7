package dev.bee.core.btf;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;

import java.util.ArrayList;
import java.util.List;

/**
 * How {@link BtfCWriter} writes a type so that clang's BPF target lays it out exactly as BTF says: every
 * struct and union has BTF's size and every member BTF's offset, using anonymous bitfields for gaps,
 * {@code __attribute__((packed))} where natural layout cannot match, {@code __attribute__((aligned(N)))}
 * where a gap shows that a member or union was over-aligned, {@code __attribute__((mode(...)))} for enums
 * whose size is not the one clang would pick, and an integer of the right size where C has no spelling.
 */
final class BtfCLayout {
    private final Btf btf;
    private final NestingLimit nesting;
    private final Layout[] layouts;
    private final int[] alignCache;

    BtfCLayout(Btf btf, NestingLimit nesting) {
        this.btf = btf;
        this.nesting = nesting;
        this.layouts = new Layout[btf.count()];
        this.alignCache = new int[btf.count()];
    }

    /**
     * How a struct or union is written: each member's slot, anonymous bitfields after the last member
     * (structs), a padding array of {@code unionPad} bytes (unions; 0: none), and the attributes on the
     * type ({@code aligned} 0: none).
     */
    record Body(List<Slot> members, List<String> paddingAfter, long unionPad, boolean packed, int aligned) {
    }

    /** A member as written: the anonymous bitfields before it ("int: 32") and its aligned(N) (0: none). */
    record Slot(List<String> paddingBefore, int aligned) {
    }

    /**
     * How a struct or union is laid out for clang. {@code align} is its alignment as clang will see it;
     * {@code aligned > 0} puts {@code aligned(N)} on the type and {@code memberAligned[i] > 0} on member
     * i; {@code unionPad} is the size of a padding array a union needs (0: none).
     */
    private record Layout(boolean packed, int align, int aligned, int[] memberAligned, long unionPad) {
    }

    /** How to write struct or union {@code id} so that its members land exactly at BTF's offsets. */
    Body body(int id) {
        BtfType.Struct s = (BtfType.Struct) btf.type(id);
        Layout layout = layout(id);
        List<BtfType.Member> members = s.members();
        List<Slot> slots = new ArrayList<>(members.size());
        long cur = 0; // bit position after the previous member (structs)
        for (int i = 0; i < members.size(); i++) {
            BtfType.Member m = members.get(i);
            long off = m.bitOffset();
            int aligned = layout.memberAligned() == null ? 0 : layout.memberAligned()[i];
            List<String> before = List.of();
            if (!s.union() && off > cur && aligned == 0 && off != naturalOffset(m, cur, layout.packed())) {
                before = padding(cur, off);
            }
            slots.add(new Slot(before, aligned));
            if (!s.union()) {
                cur = off + bits(m);
            }
        }
        List<String> after = List.of();
        if (!s.union()) {
            long end = 8 * s.size();
            if (end > cur && roundUp(cur, 8L * layout.align()) != end) {
                after = padding(cur, end);
            }
        }
        return new Body(slots, after, s.union() ? layout.unionPad() : 0, layout.packed(), layout.aligned());
    }

    /** Where clang puts member {@code m} if the previous one ended at bit {@code cur}. */
    private long naturalOffset(BtfType.Member m, long cur, boolean packed) {
        if (packed) {
            return m.bitfieldSize() > 0 ? cur : roundUp(cur, 8);
        }
        long align = 8L * alignOf(m.type());
        if (m.bitfieldSize() == 0) {
            return roundUp(cur, align);
        }
        // A bitfield follows the previous bits unless it would cross a unit of its type's alignment.
        return cur % align + m.bitfieldSize() > 8 * btf.sizeOf(m.type()) ? roundUp(cur, align) : cur;
    }

    private long bits(BtfType.Member m) {
        return m.bitfieldSize() > 0 ? m.bitfieldSize() : 8 * btf.sizeOf(m.type());
    }

    /**
     * Anonymous bitfields from bit {@code from} to {@code to}, each in a unit of its type so clang
     * never moves it: {@code long: 64}, {@code int: 32}, {@code char: 8} and so on. Unnamed bitfields
     * do not change a struct's alignment.
     */
    static List<String> padding(long from, long to) {
        List<String> fields = new ArrayList<>(2);
        long cur = from;
        while (cur < to) {
            long chunk = Math.min(to - cur, 64 - cur % 64);
            String type = "long";
            for (int unit = 8; unit <= 32; unit *= 2) {
                if (cur % unit + chunk <= unit) {
                    type = unit == 8 ? "char" : unit == 16 ? "short" : "int";
                    break;
                }
            }
            fields.add(type + ": " + chunk);
            cur += chunk;
        }
        return fields;
    }

    private static long roundUp(long v, long to) {
        return (v + to - 1) / to * to;
    }

    /**
     * Decides how to write a struct or union, as libbpf's btf_dump does and then some: packed if a
     * member sits below its natural alignment, a bitfield crosses a unit of its type, or the size is
     * no multiple of the alignment; otherwise {@code aligned(N)} on a member whose offset lies beyond
     * its natural place exactly as far as an N-byte alignment would push it (kernel
     * {@code ____cacheline_aligned} members), and on a union whose size is its members' rounded up to
     * N. Remaining gaps get anonymous bitfields.
     */
    private Layout layout(int id) {
        Layout known = layouts[id];
        if (known != null) {
            return known;
        }
        nesting.enter(id);
        try {
            BtfType.Struct s = (BtfType.Struct) btf.type(id);
            List<BtfType.Member> members = s.members();
            int maxAlign = 1;
            boolean packed = false;
            long maxEnd = 0;
            for (BtfType.Member m : members) {
                int a = alignOf(m.type());
                maxAlign = Math.max(maxAlign, a);
                if (m.bitfieldSize() == 0) {
                    packed |= m.bitOffset() % (8L * a) != 0;
                } else {
                    packed |= m.bitOffset() % (8L * a) + m.bitfieldSize() > 8 * btf.sizeOf(m.type());
                }
                maxEnd = Math.max(maxEnd, m.bitOffset() + bits(m));
            }
            packed |= s.size() % maxAlign != 0;
            Layout result;
            if (packed) {
                long unionPad = s.union() && roundUp(maxEnd, 8) < 8 * s.size() ? s.size() : 0;
                result = new Layout(true, 1, 0, null, unionPad);
            } else if (s.union()) {
                int aligned = 0;
                long unionPad = 0;
                if (roundUp(maxEnd, 8L * maxAlign) < 8 * s.size()) {
                    aligned = alignmentReaching(maxEnd, 8 * s.size(), maxAlign, s.size());
                    unionPad = aligned == 0 ? s.size() : 0;
                }
                result = new Layout(false, Math.max(maxAlign, aligned), aligned, null, unionPad);
            } else {
                int[] memberAligned = null;
                int align = maxAlign;
                long cur = 0;
                for (int i = 0; i < members.size(); i++) {
                    BtfType.Member m = members.get(i);
                    int a = alignOf(m.type());
                    // An attribute after an anonymous member would align (and grow) its type instead.
                    if (m.bitfieldSize() == 0 && !m.name().isEmpty() && m.bitOffset() > roundUp(cur, 8L * a)) {
                        int n = alignmentReaching(cur, m.bitOffset(), a, s.size());
                        if (n > 0) {
                            if (memberAligned == null) {
                                memberAligned = new int[members.size()];
                            }
                            memberAligned[i] = n;
                            align = Math.max(align, n);
                        }
                    }
                    cur = m.bitOffset() + bits(m);
                }
                result = new Layout(false, align, 0, memberAligned, 0);
            }
            layouts[id] = result;
            return result;
        } finally {
            nesting.leave();
        }
    }

    /**
     * The smallest power of two N above {@code natural} (bytes) that moves bit {@code from} to
     * exactly bit {@code to}, and that {@code size} is a multiple of; 0 if there is none.
     */
    private static int alignmentReaching(long from, long to, int natural, long size) {
        for (long n = 2L * natural; n <= 4096 && 8 * n <= to; n *= 2) {
            if (roundUp(from, 8 * n) == to) {
                return size % n == 0 ? (int) n : 0;
            }
        }
        return 0;
    }

    /** The alignment clang gives type {@code id} as the header writes it. */
    int alignOf(int id) {
        int cached = alignCache[id];
        if (cached != 0) {
            return cached;
        }
        nesting.enter(id);
        try {
            BtfType t = btf.type(btf.resolve(id));
            int a;
            if (t instanceof BtfType.Array arr) {
                a = alignOf(arr.elementType());
            } else if (t instanceof BtfType.Struct) {
                a = layout(btf.resolve(id)).align();
            } else if (t instanceof BtfType.Ptr) {
                a = Btf.POINTER_SIZE;
            } else if (t instanceof BtfType.Int i) {
                a = i.size() == 16 ? 16 : Math.max(1, Math.min(i.size(), 8)); // BPF aligns __int128 to 16
            } else if (t instanceof BtfType.Enum e) {
                a = Math.max(1, Math.min(e.size(), 8));
            } else if (t instanceof BtfType.Float f) {
                a = f.size() == 16 ? 16 : Math.max(1, Math.min(f.size(), 8));
            } else {
                a = 1; // void, fwd, function: never laid out by value
            }
            alignCache[id] = a;
            return a;
        } finally {
            nesting.leave();
        }
    }

    // ---- enums and integers ----------------------------------------------------------------------

    /** The size clang gives the enum without attributes: 4 unless a value does not fit an int. */
    private static int naturalEnumSize(BtfType.Enum e) {
        boolean negative = false;
        boolean bigPositive = false; // above INT_MAX
        boolean huge = false; // does not fit 32 bits at all
        for (BtfType.EnumValue v : e.values()) {
            long x = e.wide() ? v.value() : (e.signed() ? (int) v.value() : v.value() & 0xffffffffL);
            boolean signed = e.signed();
            if (signed && x < 0) {
                negative = true;
                huge |= x < Integer.MIN_VALUE;
            } else if (!signed && x < 0 || x > 0xffffffffL) {
                huge = true; // unsigned above 2^63, or above UINT_MAX
            } else if (x > Integer.MAX_VALUE) {
                bigPositive = true;
            }
        }
        return huge || negative && bigPositive ? 8 : 4;
    }

    /** The mode attribute that gives the enum BTF's size, or null if none is needed (or none helps). */
    static String enumMode(BtfType.Enum e) {
        if (e.values().isEmpty() || naturalEnumSize(e) == e.size()) {
            return null;
        }
        return switch (e.size()) {
            case 1 -> fitsIn(e, 8) ? "byte" : null;
            case 2 -> fitsIn(e, 16) ? "HI" : null;
            case 8 -> "DI";
            default -> null;
        };
    }

    private static boolean fitsIn(BtfType.Enum e, int bits) {
        long min = 0;
        long max = 0;
        for (BtfType.EnumValue v : e.values()) {
            long x = e.wide() ? v.value() : (e.signed() ? (int) v.value() : v.value() & 0xffffffffL);
            if (!e.signed() && x < 0) {
                return false;
            }
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        return min < 0 ? min >= -(1L << (bits - 1)) && max < 1L << (bits - 1) : max < 1L << bits;
    }

    /** Whether the enum as written has BTF's size (else by-value uses are written as integers). */
    static boolean enumSizeExact(BtfType.Enum e) {
        return e.values().isEmpty() || naturalEnumSize(e) == e.size() || enumMode(e) != null;
    }

    /**
     * BTF's own name of an integer if it is a C spelling of the right size (kernel BTF has GCC's
     * internal {@code ssizetype}, for example); otherwise a spelling from size and signedness.
     */
    static String intName(BtfType.Int i) {
        if (i.isBool() && i.size() == 1) {
            return "_Bool";
        }
        return cIntegerSize(i.name()) == i.size() ? i.name() : integerOfSize(i.size(), i.signed());
    }

    /** The size of a C integer type spelled {@code name} on BPF (LP64), or -1 if it is not one. */
    private static int cIntegerSize(String name) {
        int sign = 0, chars = 0, shorts = 0, ints = 0, longs = 0, int128 = 0, bools = 0;
        for (String word : name.split(" ")) {
            switch (word) {
                case "signed", "unsigned" -> sign++;
                case "char" -> chars++;
                case "short" -> shorts++;
                case "int" -> ints++;
                case "long" -> longs++;
                case "__int128" -> int128++;
                case "_Bool" -> bools++;
                default -> {
                    return -1;
                }
            }
        }
        if (sign > 1 || ints > 1 || chars + shorts + int128 + bools > 1) {
            return -1;
        } else if (bools == 1) {
            return sign + ints + longs == 0 ? 1 : -1;
        } else if (chars == 1) {
            return ints + longs == 0 ? 1 : -1;
        } else if (int128 == 1) {
            return ints + longs == 0 ? 16 : -1;
        } else if (shorts == 1) {
            return longs == 0 ? 2 : -1;
        } else if (longs > 0) {
            return longs <= 2 ? 8 : -1;
        }
        return sign + ints > 0 ? 4 : -1;
    }

    /** A C integer type of {@code size} bytes (BPF is LP64). */
    static String integerOfSize(int size, boolean signed) {
        String base = switch (size) {
            case 1 -> "char";
            case 2 -> "short";
            case 4 -> "int";
            case 8 -> "long";
            case 16 -> "__int128";
            default -> throw new BeeException(ErrorKind.INPUT, "BTF has a " + size + "-byte integer; C has none",
                    "the BTF is corrupt or not from a C compiler; regenerate it");
        };
        return (signed ? (size == 1 ? "signed " : "") : "unsigned ") + base;
    }
}
