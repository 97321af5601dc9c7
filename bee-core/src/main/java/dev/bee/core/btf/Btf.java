package dev.bee.core.btf;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.Plural;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntPredicate;

/**
 * A set of BTF types addressed by id (id 0 is void), as read by {@link BtfReader}. Split BTF (a
 * kernel module's) continues the ids of its base. Answers the questions the rest of bee asks: sizes,
 * alignment, what a typedef resolves to, and how a type is spelled in C.
 */
public final class Btf {
    /** Pointer size on every BPF target. */
    public static final int POINTER_SIZE = 8;

    private final String origin;
    private final Btf base;
    private final List<BtfType> own;
    private final int firstOwnId;
    private Map<String, List<Integer>> byName;
    private long stringsLength = -1;

    Btf(String origin, Btf base, List<BtfType> own) {
        this.origin = origin;
        this.base = base;
        this.own = Collections.unmodifiableList(new ArrayList<>(own));
        this.firstOwnId = base == null ? 0 : base.count();
    }

    public String origin() {
        return origin;
    }

    /** Number of type ids, including void and any base's types. */
    public int count() {
        return firstOwnId + own.size();
    }

    int firstOwnId() {
        return base == null ? 1 : firstOwnId;
    }

    public BtfType type(int id) {
        if (id < firstOwnId) {
            if (base == null || id < 0) {
                throw bad("type id " + id + " does not exist");
            }
            return base.type(id);
        }
        if (id >= count()) {
            throw bad("type id " + id + " does not exist (" + Plural.of(count(), "type") + ")");
        }
        return own.get(id - firstOwnId);
    }

    /** Ids of all types (of any kind) named {@code name}, base types first. */
    public List<Integer> idsNamed(String name) {
        if (byName == null) {
            Map<String, List<Integer>> m = new HashMap<>();
            for (int id = firstOwnId; id < count(); id++) {
                String n = own.get(id - firstOwnId).name();
                if (n != null && !n.isEmpty()) {
                    m.computeIfAbsent(n, k -> new ArrayList<>(1)).add(id);
                }
            }
            byName = m;
        }
        List<Integer> mine = byName.getOrDefault(name, List.of());
        if (base == null) {
            return mine;
        }
        List<Integer> all = new ArrayList<>(base.idsNamed(name));
        all.addAll(mine);
        return all;
    }

    /** The first type of {@code kind} named {@code name}. */
    public Optional<Integer> find(BtfKind kind, String name) {
        for (int id : idsNamed(name)) {
            if (type(id).kind() == kind) {
                return Optional.of(id);
            }
        }
        return Optional.empty();
    }

    /** What a walk down a chain of types passes through to reach the type the chain stands for. */
    public enum Through {
        /** const, volatile, restrict and type tags. */
        MODIFIERS,
        /** Modifiers and typedefs. */
        TYPEDEFS,
        /** Modifiers, typedefs, variables and array elements: the chain that decides a size. */
        ELEMENTS
    }

    /**
     * The one walk down a chain of types that stand for another: from {@code id} through every type
     * {@code through} lets pass, offering each to {@code step} before passing it (false stops the walk
     * there). Returns the id where the walk stopped. A chain longer than the type count loops, which only
     * corrupt BTF does.
     */
    public int walk(int id, Through through, IntPredicate step) {
        int cur = id;
        for (int i = 0; i <= count(); i++) {
            int next = below(type(cur), through);
            if (next < 0 || !step.test(cur)) {
                return cur;
            }
            cur = next;
        }
        throw bad("type " + id + " is part of a type loop (a typedef, modifier or array chain that refers back to"
                + " itself)");
    }

    /** The type {@code t} stands on when {@code through} lets a walk pass it, or -1 when the walk ends at it. */
    private static int below(BtfType t, Through through) {
        if (t instanceof BtfType.Modifier m) {
            return m.type();
        } else if (through != Through.MODIFIERS && t instanceof BtfType.Typedef d) {
            return d.type();
        } else if (through == Through.ELEMENTS && t instanceof BtfType.Var v) {
            return v.type();
        } else if (through == Through.ELEMENTS && t instanceof BtfType.Array a) {
            return a.elementType();
        }
        return -1;
    }

    /** Follows typedefs, const/volatile/restrict and type tags down to the underlying type id. */
    public int resolve(int id) {
        return walk(id, Through.TYPEDEFS, cur -> true);
    }

    /** Follows const/volatile/restrict and type tags, but not typedefs (which carry display hints). */
    public int skipModifiers(int id) {
        return walk(id, Through.MODIFIERS, cur -> true);
    }

    /** The size in bytes of a value of type {@code id}; a size past 2^63 bytes is corrupt BTF. */
    public long sizeOf(int id) {
        long[] elements = {1};
        int last = walk(id, Through.ELEMENTS, cur -> {
            if (type(cur) instanceof BtfType.Array a) {
                elements[0] = times(elements[0], a.length(), id);
            }
            return true;
        });
        return times(elements[0], ownSize(type(last), id), id);
    }

    private long times(long a, long b, int id) {
        if (b != 0 && a > Long.MAX_VALUE / b) {
            throw bad("type " + id + " is larger than 2^63 bytes (its array lengths and element sizes multiply past"
                    + " any memory)");
        }
        return a * b;
    }

    private long ownSize(BtfType t, int id) {
        if (t instanceof BtfType.Int i) {
            return i.size();
        } else if (t instanceof BtfType.Ptr) {
            return POINTER_SIZE;
        } else if (t instanceof BtfType.Struct s) {
            return s.size();
        } else if (t instanceof BtfType.Enum e) {
            return e.size();
        } else if (t instanceof BtfType.Float f) {
            return f.size();
        } else if (t instanceof BtfType.Datasec d) {
            return d.size();
        }
        throw bad("type " + id + " (" + t.kind() + ") has no size");
    }

    /** The natural alignment in bytes of type {@code id}, as a C compiler for BPF lays it out. */
    public int alignOf(int id) {
        return alignOf(id, 0);
    }

    private int alignOf(int id, int depth) {
        if (depth > 256) {
            throw bad("type " + id + " nests deeper than 256 levels");
        }
        BtfType t = type(resolve(id));
        if (t instanceof BtfType.Array a) {
            return alignOf(a.elementType(), depth + 1);
        } else if (t instanceof BtfType.Struct s) {
            int max = 1;
            for (BtfType.Member m : s.members()) {
                max = Math.max(max, alignOf(m.type(), depth + 1));
            }
            return max;
        } else if (t instanceof BtfType.Ptr) {
            return POINTER_SIZE;
        }
        long size = ownSize(t, id);
        return (int) Math.max(1, Math.min(size, 8));
    }

    /** How type {@code id} is written in C: {@code struct event}, {@code u32}, {@code char[16]}. */
    public String cName(int id) {
        return CTypeNames.of(this, id);
    }

    /** The offset in {@link #string(long)} space past this BTF's strings, for split BTF on top. */
    public long stringsLength() {
        return stringsLength;
    }

    void setStrings(byte[] strings) {
        this.strings = strings;
        this.stringsLength = (base == null ? 0 : base.stringsLength()) + strings.length;
    }

    private byte[] strings = new byte[0];

    /** A string by offset, for split BTF that names types through its base's string table. */
    String string(long off) {
        long own0 = base == null ? 0 : base.stringsLength();
        if (off < own0) {
            return base.string(off);
        }
        int start = (int) (off - own0);
        int end = start;
        while (end < strings.length && strings[end] != 0) {
            end++;
        }
        return new String(strings, start, end - start, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A string by offset that another section (.BTF.ext) names: an offset past the strings is an error. */
    public String stringAt(long off, String what) {
        if (off < 0 || off >= stringsLength) {
            throw bad(what + " names string offset " + off + ", past the " + stringsLength + " bytes of strings");
        }
        return string(off);
    }

    BeeException bad(String detail) {
        return new BeeException(ErrorKind.INPUT, origin + ": BTF " + detail,
                "the object's BTF is corrupt; rebuild it with clang -g");
    }
}
