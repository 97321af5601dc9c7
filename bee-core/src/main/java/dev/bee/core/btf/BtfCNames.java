package dev.bee.core.btf;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The C names {@link BtfCWriter} gives BTF's types, unique per C namespace the way bpftool does it: the
 * second distinct {@code struct foo} becomes {@code foo___2} (CO-RE ignores {@code ___} suffixes when
 * matching). Names that are C keywords or compiler built-ins are renamed or left to the compiler;
 * {@code bool}, {@code true} and {@code false} are marked to be written only before C23, where they are
 * keywords. Also counts how often each anonymous enum is used, which decides both whether its constants
 * may vanish in C23 and where the writer puts it.
 */
final class BtfCNames {
    /** Identifiers C (up to C17) or clang's GNU mode reserve: no tag, typedef or enumerator may use them. */
    private static final Set<String> KEYWORDS = Set.of(
            "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum",
            "extern", "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return",
            "short", "signed", "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void",
            "volatile", "while", "_Alignas", "_Alignof", "_Atomic", "_Bool", "_Complex", "_Generic",
            "_Imaginary", "_Noreturn", "_Static_assert", "_Thread_local", "asm", "typeof", "__asm", "__asm__",
            "__attribute", "__attribute__", "__typeof", "__typeof__", "__inline", "__inline__", "__const",
            "__const__", "__volatile", "__volatile__", "__restrict", "__restrict__", "__signed", "__signed__",
            "__extension__", "__label__", "__alignof", "__alignof__", "__real", "__real__", "__imag",
            "__imag__", "__complex", "__complex__", "__thread", "__auto_type", "__int128", "_Float16", "__fp16",
            "__bf16", "__float128", "_Decimal32", "_Decimal64", "_Decimal128", "_BitInt", "__builtin_va_arg",
            "__builtin_offsetof", "__builtin_types_compatible_p", "__builtin_ms_va_list", "__NSConstantString",
            // C23 keywords other than bool/true/false, which get a version check instead of a new name.
            "nullptr", "constexpr", "static_assert", "alignas", "alignof", "thread_local", "typeof_unqual");

    /** Typedefs the compiler itself provides; written only when BTF's differs from the compiler's. */
    private static final Set<String> COMPILER_TYPEDEFS = Set.of("__builtin_va_list", "__int128_t", "__uint128_t");

    private final Btf btf;
    /** The C name of each struct, union, enum, fwd and typedef (null: anonymous). */
    private final String[] names;
    /** A fwd or enum forward declaration that names the same C type as a full definition: that type's id. */
    private final int[] sameAs;
    /** The C names of each enum's constants. */
    private final String[][] enumeratorNames;
    /** Enumerators ({@code true}, {@code false}) written only before C23: per enum, per constant. */
    private final boolean[][] enumeratorPreC23;
    /** Typedefs left to the compiler (its own {@code __builtin_va_list}). */
    private final boolean[] compilerTypedef;
    /** Typedefs ({@code bool}) written only before C23. */
    private final boolean[] typedefPreC23;
    /** How often each anonymous enum is used by a written type: 0 means it stands alone. */
    private final int[] anonEnumUses;

    BtfCNames(Btf btf) {
        this.btf = btf;
        int count = btf.count();
        this.names = new String[count];
        this.sameAs = new int[count];
        this.enumeratorNames = new String[count][];
        this.enumeratorPreC23 = new boolean[count][];
        this.compilerTypedef = new boolean[count];
        this.typedefPreC23 = new boolean[count];
        this.anonEnumUses = new int[count];
        countAnonEnumUses();
        assignNames();
    }

    /** The C name of struct, union, enum, fwd or typedef {@code id}; null for an anonymous one. */
    String name(int id) {
        return names[id];
    }

    /** For a fwd or enum forward declaration of a type also defined: the definition's id; else 0. */
    int sameAs(int id) {
        return sameAs[id];
    }

    /** The C names of enum {@code id}'s constants, in order. */
    String[] enumerators(int id) {
        return enumeratorNames[id];
    }

    /** Per constant of enum {@code id}: whether it is {@code true} or {@code false}, written only before C23. */
    boolean[] enumeratorsPreC23(int id) {
        return enumeratorPreC23[id];
    }

    /** Whether typedef {@code id} is the compiler's own and is not written. */
    boolean compilerTypedef(int id) {
        return compilerTypedef[id];
    }

    /** Whether typedef {@code id} is {@code bool}, written only before C23. */
    boolean typedefPreC23(int id) {
        return typedefPreC23[id];
    }

    /** How many written types use anonymous enum {@code id}: one writes it inline, none leaves it on its own. */
    int anonEnumUses(int id) {
        return anonEnumUses[id];
    }

    /**
     * Counts the uses of each anonymous enum by types that are written (walked from every named
     * struct, union, enum and typedef; FUNC and VAR are not written): an enum used once is written
     * inline there, one used by nothing on its own.
     */
    private void countAnonEnumUses() {
        int count = btf.count();
        boolean[] seen = new boolean[count];
        ArrayDeque<Integer> todo = new ArrayDeque<>();
        for (int id = 1; id < count; id++) {
            BtfType t = btf.type(id);
            if ((t instanceof BtfType.Struct || t instanceof BtfType.Typedef) && !t.name().isEmpty()) {
                seen[id] = true;
                todo.push(id);
            }
        }
        while (!todo.isEmpty()) {
            BtfType t = btf.type(todo.pop());
            if (t instanceof BtfType.Typedef d && COMPILER_TYPEDEFS.contains(d.name()) && matchesCompiler(d)) {
                continue; // may be left to the compiler; its target then is never written through it
            }
            for (int ref : t.references()) {
                if (btf.type(ref) instanceof BtfType.Enum e && e.name().isEmpty()) {
                    anonEnumUses[ref]++;
                }
                if (!seen[ref]) {
                    seen[ref] = true;
                    BtfType r = btf.type(ref);
                    // Named types are roots already; only anonymous ones are reached through others.
                    if (r.name().isEmpty() || r instanceof BtfType.Modifier) {
                        todo.push(ref);
                    }
                }
            }
        }
    }

    /**
     * Gives every written type a C name unique in its namespace: struct, union and enum tags share
     * one; typedefs and enum constants the other. Names go out in id order (bpftool's are in order of
     * writing, which for kernel BTF gives the same names).
     */
    private void assignNames() {
        int count = btf.count();
        Namespace tags = new Namespace(KEYWORDS);
        Set<String> reserved = new HashSet<>(KEYWORDS);
        reserved.addAll(COMPILER_TYPEDEFS); // never redefine the compiler's own
        Namespace ordinary = new Namespace(reserved);
        Map<String, Integer> firstDefinition = new HashMap<>(); // "struct foo" -> id of the first full one
        for (int id = 1; id < count; id++) {
            BtfType t = btf.type(id);
            if (t instanceof BtfType.Struct s && !s.name().isEmpty()) {
                names[id] = tags.unique(identifier(s.name(), id));
                firstDefinition.putIfAbsent(tagKey(s.union(), s.name()), id);
            } else if (t instanceof BtfType.Enum e && !e.name().isEmpty() && !e.values().isEmpty()) {
                names[id] = tags.unique(identifier(e.name(), id));
                firstDefinition.putIfAbsent("enum " + e.name(), id);
            }
        }
        Map<String, Integer> forwards = new HashMap<>();
        for (int id = 1; id < count; id++) {
            BtfType t = btf.type(id);
            String key = null;
            if (t instanceof BtfType.Fwd f) {
                key = tagKey(f.union(), f.name());
            } else if (t instanceof BtfType.Enum e && !e.name().isEmpty() && e.values().isEmpty()) {
                key = "enum " + e.name(); // an enum forward declaration
            }
            if (key != null) {
                // A forward declaration is the same C type as the definition of that name, if any.
                Integer def = firstDefinition.get(key);
                if (def == null) {
                    def = forwards.get(key);
                }
                if (def != null) {
                    sameAs[id] = def;
                    names[id] = names[def];
                } else {
                    forwards.put(key, id);
                    names[id] = tags.unique(identifier(t.name(), id));
                }
            }
            if (t instanceof BtfType.Typedef d) {
                if (COMPILER_TYPEDEFS.contains(d.name()) && matchesCompiler(d)) {
                    compilerTypedef[id] = true;
                    names[id] = d.name();
                } else if (d.name().equals("bool") && !ordinary.taken("bool") && isBool(d.type())) {
                    typedefPreC23[id] = true;
                    names[id] = ordinary.unique("bool");
                } else {
                    names[id] = ordinary.unique(identifier(d.name(), id));
                }
            } else if (t instanceof BtfType.Enum e) {
                nameEnumerators(id, e, ordinary);
            }
        }
    }

    private void nameEnumerators(int id, BtfType.Enum e, Namespace ordinary) {
        List<BtfType.EnumValue> values = e.values();
        String[] n = new String[values.size()];
        boolean[] preC23 = new boolean[values.size()];
        int guarded = 0;
        for (int i = 0; i < n.length; i++) {
            BtfType.EnumValue v = values.get(i);
            if ((v.name().equals("false") && v.value() == 0 || v.name().equals("true") && v.value() == 1)
                    && !ordinary.taken(v.name())) {
                preC23[i] = true;
                guarded++;
            }
        }
        // An enum of nothing but true/false vanishes in C23; that is only harmless if nothing uses it.
        boolean guard = guarded < n.length || (e.name().isEmpty() && anonEnumUses[id] == 0);
        for (int i = 0; i < n.length; i++) {
            preC23[i] &= guard;
            n[i] = ordinary.unique(preC23[i] ? values.get(i).name() : identifier(values.get(i).name(), id));
            if (!preC23[i] && (n[i].equals("true") || n[i].equals("false"))) {
                n[i] = ordinary.unique(n[i]); // a keyword in C23: keep it out of the way
            }
        }
        enumeratorNames[id] = n;
        enumeratorPreC23[id] = preC23;
    }

    private static String tagKey(boolean union, String name) {
        return (union ? "union " : "struct ") + name;
    }

    /** Whether the compiler's own typedef of that name (for the BPF target) is the one BTF describes. */
    private boolean matchesCompiler(BtfType.Typedef d) {
        BtfType target = btf.type(btf.resolve(d.type()));
        return switch (d.name()) {
            case "__builtin_va_list" -> target instanceof BtfType.Ptr; // BPF's is a char *; x86's is not
            case "__int128_t" -> target instanceof BtfType.Int i && i.size() == 16 && i.signed();
            case "__uint128_t" -> target instanceof BtfType.Int i && i.size() == 16 && !i.signed();
            default -> false;
        };
    }

    private boolean isBool(int id) {
        return btf.type(btf.resolve(id)) instanceof BtfType.Int i && i.isBool() && i.size() == 1;
    }

    /** {@code name} as a C identifier: other characters become '_' (BTF from C never has any). */
    static String identifier(String name, int id) {
        if (name.isEmpty()) {
            return "__anon_" + id;
        }
        StringBuilder sb = null;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9';
            if (!ok && sb == null) {
                sb = new StringBuilder(name.substring(0, i));
            }
            if (sb != null) {
                sb.append(ok ? c : '_');
            }
        }
        return sb == null ? name : sb.toString();
    }

    /** One C namespace: hands out each name once, the second {@code foo} as {@code foo___2} like bpftool. */
    static final class Namespace {
        private final Map<String, Integer> counts = new HashMap<>();
        private final Set<String> used = new HashSet<>();

        Namespace(Set<String> reserved) {
            for (String r : reserved) {
                counts.put(r, 1);
                used.add(r);
            }
        }

        boolean taken(String name) {
            return used.contains(name);
        }

        String unique(String name) {
            int n = counts.merge(name, 1, Integer::sum);
            String candidate = n == 1 ? name : name + "___" + n;
            while (!used.add(candidate)) { // BTF names a type like a generated name ("foo___2")
                counts.put(name, ++n);
                candidate = name + "___" + n;
            }
            return candidate;
        }
    }
}
