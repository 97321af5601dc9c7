package dev.bee.core.btf;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes BTF as a C header: bee's replacement for {@code bpftool btf dump file ... format c}, the
 * {@code vmlinux.h} that BPF CO-RE programs include before {@code <bpf/bpf_helpers.h>}.
 *
 * <p>The header declares every named struct, union, enum and typedef, in an order clang accepts:
 * full definitions before any by-value use, forward declarations where a pointer is enough, and
 * anonymous structs, unions and enums written inline where they are used. Records sit inside
 * {@code #pragma clang attribute push (preserve_access_index)} so that field accesses become CO-RE
 * relocations. Layout is exact for clang's BPF target: every struct and union has BTF's size and
 * every member BTF's offset, using anonymous bitfields for gaps, {@code __attribute__((packed))}
 * where natural layout cannot match, {@code __attribute__((aligned(N)))} where a gap shows that a
 * member or union was over-aligned, and {@code __attribute__((mode(...)))} for enums whose size is
 * not the one clang would pick.
 *
 * <p>Names stay unique per C namespace the way bpftool does it: the second distinct {@code struct foo}
 * becomes {@code foo___2} (CO-RE ignores {@code ___} suffixes when matching). Names that are C
 * keywords or compiler built-ins are renamed or left to the compiler; {@code bool}, {@code true} and
 * {@code false} are wrapped in a check so the header also works as C23. FUNC, VAR, DATASEC and
 * DECL_TAG types are not written, and type tags are ignored.
 *
 * <p>Malformed input never makes the writer recurse without bound: nesting deeper than
 * {@value #MAX_DEPTH} levels is a {@link BeeException}.
 */
public final class BtfCWriter {
    /** Far beyond any real kernel type nesting, far below what would exhaust a thread's stack. */
    static final int MAX_DEPTH = 256;

    /**
     * In C23, and in C2x as clang 15+ and gcc 13+ implement it, bool, true and false are keywords; the
     * header defines this macro when they are not, and declares them only then.
     */
    private static final String BOOL_MACRO = "__BEE_VMLINUX_BOOL";
    private static final String PRE_C23 = "#ifdef " + BOOL_MACRO + "\n";
    private static final String BOOL_CHECK = "#if !defined(__cplusplus) && (!defined(__STDC_VERSION__)"
            + " || __STDC_VERSION__ <= 201710L || (__STDC_VERSION__ < 202311L"
            + " && (defined(__clang__) ? __clang_major__ < 15 : __GNUC__ < 13)))\n"
            + "#define " + BOOL_MACRO + " 1\n#endif\n\n";

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

    private static final byte NONE = 0;
    private static final byte DECLARED = 1;
    private static final byte IN_PROGRESS = 2;
    private static final byte DONE = 3;

    private final Btf btf;
    private final int count;
    private final StringBuilder out = new StringBuilder(1 << 16);
    /** Emission state of named structs/unions/enums, fwds and typedefs; for anonymous enums: inlined yet. */
    private final byte[] state;
    /** Whether a forward declaration of the struct, union or enum has been written. */
    private final boolean[] forwardDeclared;
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
    private final Layout[] layouts;
    private final int[] alignCache;
    private int depth;

    /**
     * How a struct or union is written so that clang lays it out as BTF says. {@code align} is its
     * alignment as clang will see it; {@code aligned > 0} puts {@code aligned(N)} on the type and
     * {@code memberAligned[i] > 0} on member i; {@code unionPad} is the size of a padding array a
     * union needs (0: none).
     */
    private record Layout(boolean packed, int align, int aligned, int[] memberAligned, long unionPad) {
    }

    private BtfCWriter(Btf btf) {
        this.btf = btf;
        this.count = btf.count();
        this.state = new byte[count];
        this.names = new String[count];
        this.forwardDeclared = new boolean[count];
        this.sameAs = new int[count];
        this.enumeratorNames = new String[count][];
        this.enumeratorPreC23 = new boolean[count][];
        this.compilerTypedef = new boolean[count];
        this.typedefPreC23 = new boolean[count];
        this.anonEnumUses = new int[count];
        this.layouts = new Layout[count];
        this.alignCache = new int[count];
        countAnonEnumUses();
        assignNames();
    }

    /** The C header for {@code btf}. */
    static String toC(Btf btf) {
        StringWriter w = new StringWriter(1 << 20);
        try {
            write(btf, w);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return w.toString();
    }

    /** Writes the C header for {@code btf} to {@code w} (which is not closed). */
    public static void write(Btf btf, Writer w) throws IOException {
        new BtfCWriter(btf).writeAll(w);
    }

    private void writeAll(Writer w) throws IOException {
        out.append("/* Generated by bee from BTF (").append(btf.origin()).append("). Do not edit. */\n\n")
                .append("#ifndef __VMLINUX_H__\n#define __VMLINUX_H__\n\n")
                .append("#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n")
                .append("#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)\n")
                .append("#endif\n\n")
                .append(BOOL_CHECK);
        for (int id = 1; id < count; id++) {
            BtfType t = btf.type(id);
            if (t instanceof BtfType.Struct s && !s.name().isEmpty()) {
                define(id);
            } else if (t instanceof BtfType.Enum e) {
                if (!e.name().isEmpty()) {
                    define(id);
                } else if (anonEnumUses[id] == 0) {
                    standaloneAnonEnum(id, e); // nothing uses it: it only declares constants
                }
            } else if (t instanceof BtfType.Typedef) {
                typedef(id);
            } else if (t instanceof BtfType.Fwd) {
                declare(id);
            }
            if (out.length() > 1 << 16) {
                w.append(out);
                out.setLength(0);
            }
        }
        // Anonymous enums counted as used but never reached (their only users were not written) must
        // still declare their constants.
        for (int id = 1; id < count; id++) {
            if (btf.type(id) instanceof BtfType.Enum e && e.name().isEmpty() && state[id] == NONE) {
                standaloneAnonEnum(id, e);
            }
        }
        out.append("#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n#pragma clang attribute pop\n#endif\n\n")
                .append("#endif /* __VMLINUX_H__ */\n");
        w.append(out);
        out.setLength(0);
    }

    // ---- names -----------------------------------------------------------------------------------

    /**
     * Counts the uses of each anonymous enum by types that are written (walked from every named
     * struct, union, enum and typedef; FUNC and VAR are not written): an enum used once is written
     * inline there, one used by nothing on its own.
     */
    private void countAnonEnumUses() {
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
            if (t instanceof BtfType.Typedef d && compilerTypedefName(d.name()) && matchesCompiler(d)) {
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
                if (compilerTypedefName(d.name()) && matchesCompiler(d)) {
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

    private static boolean compilerTypedefName(String name) {
        return COMPILER_TYPEDEFS.contains(name);
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

    /** One C namespace: hands out each name once, the second {@code foo} as {@code foo___2} like bpftool. */
    private static final class Namespace {
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

    /** {@code name} as a C identifier: other characters become '_' (BTF from C never has any). */
    private static String identifier(String name, int id) {
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

    // ---- order -----------------------------------------------------------------------------------

    /** Makes {@code id} usable where a declaration is enough (behind a pointer, in a prototype). */
    private void needDeclared(int id) {
        enter(id);
        BtfType t = btf.type(id);
        if (t instanceof BtfType.Modifier m) {
            needDeclared(m.type());
        } else if (t instanceof BtfType.Ptr p) {
            needDeclared(p.type());
        } else if (t instanceof BtfType.Array a) {
            needComplete(a.elementType());
        } else if (t instanceof BtfType.FuncProto fp) {
            needDeclared(fp.returnType());
            for (BtfType.Param p : fp.params()) {
                needDeclared(p.type());
            }
        } else if (t instanceof BtfType.Struct s) {
            if (s.name().isEmpty()) {
                needMembers(s); // written inline
            } else {
                declare(id);
            }
        } else if (t instanceof BtfType.Fwd) {
            declare(id);
        } else if (t instanceof BtfType.Enum e && !e.name().isEmpty()) {
            define(id); // enum forward declarations are a GNU extension; define instead
        } else if (t instanceof BtfType.Typedef) {
            typedef(id);
        }
        depth--;
    }

    /** Makes {@code id} usable by value (a member, an array element). */
    private void needComplete(int id) {
        enter(id);
        BtfType t = btf.type(id);
        if (t instanceof BtfType.Modifier m) {
            needComplete(m.type());
        } else if (t instanceof BtfType.Typedef d) {
            typedef(id);
            needComplete(d.type());
        } else if (t instanceof BtfType.Array a) {
            needComplete(a.elementType());
        } else if (t instanceof BtfType.Struct s) {
            if (s.name().isEmpty()) {
                needMembers(s);
            } else {
                define(id);
            }
        } else {
            needDeclared(id);
        }
        depth--;
    }

    private void needMembers(BtfType.Struct s) {
        for (BtfType.Member m : s.members()) {
            needComplete(m.type());
        }
    }

    private void enter(int id) {
        if (++depth > MAX_DEPTH) {
            throw new BeeException(ErrorKind.INPUT, btf.origin() + ": BTF type " + id + " nests deeper than "
                    + MAX_DEPTH + " levels; cannot write it as C",
                    "the BTF is corrupt or not from a C compiler; regenerate it");
        }
    }

    /** A forward declaration ({@code struct foo;}), once. */
    private void declare(int id) {
        int target = sameAs[id] != 0 ? sameAs[id] : id;
        if (state[target] == DECLARED || state[target] == DONE || forwardDeclared[target]) {
            return; // a type being defined still needs this if its own members' prototypes name it
        }
        forwardDeclared[target] = true;
        if (state[target] == NONE) {
            state[target] = DECLARED;
        }
        BtfType t = btf.type(target);
        String kind;
        if (t instanceof BtfType.Struct s) {
            kind = s.union() ? "union " : "struct ";
        } else if (t instanceof BtfType.Fwd f) {
            kind = f.union() ? "union " : "struct ";
        } else {
            kind = "enum ";
        }
        out.append(kind).append(names[target]).append(";\n\n");
    }

    /** The full definition of a named struct, union or enum, after everything it needs. */
    private void define(int id) {
        if (sameAs[id] != 0) {
            define(sameAs[id]);
            return;
        }
        if (state[id] >= IN_PROGRESS) {
            return; // done, or a by-value loop (which no C type can be; clang will say so)
        }
        BtfType t = btf.type(id);
        if (t instanceof BtfType.Enum e) {
            if (e.values().isEmpty()) {
                declare(id); // declared but never defined in the source
                return;
            }
            state[id] = DONE;
            out.append(enumBody(id, e, 0)).append(";\n\n");
        } else if (t instanceof BtfType.Struct s) {
            state[id] = IN_PROGRESS;
            needMembers(s);
            out.append(structBody(id, s, 0, true)).append(";\n\n");
            state[id] = DONE;
        }
    }

    private void standaloneAnonEnum(int id, BtfType.Enum e) {
        if (e.values().isEmpty()) {
            state[id] = DONE;
            return;
        }
        boolean allPreC23 = true;
        for (boolean b : enumeratorPreC23[id]) {
            allPreC23 &= b;
        }
        String body = enumBody(id, e, 0); // marks it written
        out.append(allPreC23 ? PRE_C23 : "").append(body).append(";\n").append(allPreC23 ? "#endif\n" : "")
                .append('\n');
    }

    private void typedef(int id) {
        if (state[id] != NONE) {
            return;
        }
        if (compilerTypedef[id]) {
            state[id] = DONE;
            return;
        }
        state[id] = IN_PROGRESS;
        BtfType.Typedef d = (BtfType.Typedef) btf.type(id);
        if (d.type() == 0 && d.name().equals("__gnuc_va_list")) {
            // Old GCC wrote this typedef as void, which no compiler accepts by value (bpftool does the same).
            out.append("typedef __builtin_va_list __gnuc_va_list;\n\n");
        } else {
            needDeclared(d.type());
            String decl = "typedef " + declarator(d.type(), names[id], "", 0) + ";\n";
            out.append(typedefPreC23[id] ? PRE_C23 + decl + "#endif\n\n" : decl + "\n");
        }
        state[id] = DONE;
    }

    // ---- declarators -----------------------------------------------------------------------------

    /**
     * Declares {@code inner} (a name, a partial declarator, or "" for a type name) as type {@code id}.
     * Declarators grow outward from the name: a pointer prefixes {@code *}, an array or function
     * suffixes {@code [n]} or {@code (params)}, and a pointer to either needs parentheses. Qualifiers
     * wait in {@code quals} until they reach the pointer or base type they belong to.
     */
    private String declarator(int id, String inner, String quals, int indent) {
        enter(id);
        try {
            BtfType t = btf.type(id);
            if (t instanceof BtfType.Modifier m) {
                String q = switch (m.kind()) {
                    case CONST -> "const";
                    case VOLATILE -> "volatile";
                    case RESTRICT -> "__restrict"; // also a keyword in C89 modes, unlike restrict
                    default -> null; // a type tag: no C spelling
                };
                if (q != null && !(" " + quals + " ").contains(" " + q + " ")) {
                    quals = quals.isEmpty() ? q : quals + " " + q;
                }
                return declarator(m.type(), inner, quals, indent);
            } else if (t instanceof BtfType.Ptr p) {
                String ptr = "*" + (quals.isEmpty() ? "" : quals + (inner.isEmpty() ? "" : " ")) + inner;
                BtfType target = btf.type(btf.skipModifiers(p.type()));
                if (target instanceof BtfType.Array || target instanceof BtfType.FuncProto) {
                    ptr = "(" + ptr + ")";
                }
                return declarator(p.type(), ptr, "", indent);
            } else if (t instanceof BtfType.Array a) {
                // Qualifiers of an array are those of its elements.
                return declarator(a.elementType(), inner + "[" + a.length() + "]", quals, indent);
            } else if (t instanceof BtfType.FuncProto fp) {
                return declarator(fp.returnType(), inner + "(" + params(fp, indent) + ")", "", indent);
            }
            if (quals.contains("__restrict")) {
                quals = quals.replace("__restrict", "").trim().replaceAll(" +", " "); // only pointers may be
            }
            String base = baseName(id, t, indent);
            return (quals.isEmpty() ? "" : quals + " ") + base + (inner.isEmpty() ? "" : " " + inner);
        } finally {
            depth--;
        }
    }

    private String params(BtfType.FuncProto fp, int indent) {
        List<BtfType.Param> ps = fp.params();
        if (ps.isEmpty()) {
            return "void";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ps.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            int type = ps.get(i).type();
            sb.append(type == 0 && i == ps.size() - 1 ? "..." : declarator(type, "", "", indent));
        }
        return sb.toString();
    }

    private String baseName(int id, BtfType t, int indent) {
        if (t instanceof BtfType.Void) {
            return "void";
        } else if (t instanceof BtfType.Int i) {
            return intName(i);
        } else if (t instanceof BtfType.Float f) {
            return switch (f.size()) {
                case 4 -> "float";
                case 8 -> f.name().equals("long double") ? f.name() : "double"; // long double is 8 bytes on BPF
                // BPF has no other floating types; an integer of the same size keeps the layout.
                default -> integerOfSize(f.size(), false);
            };
        } else if (t instanceof BtfType.Struct s) {
            if (s.name().isEmpty()) {
                return structBody(id, s, indent, false); // anonymous: written where it is used
            }
            return (s.union() ? "union " : "struct ") + names[id];
        } else if (t instanceof BtfType.Fwd f) {
            return (f.union() ? "union " : "struct ") + names[id];
        } else if (t instanceof BtfType.Enum e) {
            if (!enumSizeExact(e)) {
                return integerOfSize(e.size(), e.signed()); // no C spelling has BTF's size
            } else if (!e.name().isEmpty()) {
                return "enum " + names[id];
            } else if (state[id] == NONE && !e.values().isEmpty()) {
                return enumBody(id, e, indent); // first use: its constants are declared here
            }
            // Used again: its constants must not be declared twice, and it has no name to refer to.
            return integerOfSize(e.size(), e.signed());
        } else if (t instanceof BtfType.Typedef) {
            return names[id];
        }
        throw new BeeException(ErrorKind.INPUT, btf.origin() + ": BTF type " + id + " (" + t.kind()
                + ") is used as the type of a value; cannot write it as C",
                "the BTF is corrupt or not from a C compiler; regenerate it");
    }

    /**
     * BTF's own name of an integer if it is a C spelling of the right size (kernel BTF has GCC's
     * internal {@code ssizetype}, for example); otherwise a spelling from size and signedness.
     */
    private static String intName(BtfType.Int i) {
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

    private static String integerOfSize(int size, boolean signed) {
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

    // ---- enums -----------------------------------------------------------------------------------

    private String enumBody(int id, BtfType.Enum e, int indent) {
        state[id] = DONE;
        String pad = "\t".repeat(indent);
        StringBuilder sb = new StringBuilder("enum");
        if (!e.name().isEmpty()) {
            sb.append(' ').append(names[id]);
        }
        sb.append(" {\n");
        String[] n = enumeratorNames[id];
        boolean[] preC23 = enumeratorPreC23[id];
        for (int i = 0; i < n.length; i++) {
            boolean guard = preC23[i] && !allTrue(preC23);
            sb.append(guard ? PRE_C23 : "").append(pad).append('\t').append(n[i]).append(" = ")
                    .append(enumValue(e, e.values().get(i).value())).append(",\n").append(guard ? "#endif\n" : "");
        }
        sb.append(pad).append('}');
        String mode = enumMode(e);
        if (mode != null) {
            sb.append(" __attribute__((mode(").append(mode).append(")))");
        }
        return sb.toString();
    }

    private static boolean allTrue(boolean[] b) {
        for (boolean x : b) {
            if (!x) {
                return false;
            }
        }
        return true;
    }

    /** An enumerator's value as a C literal of the right signedness (bpftool's spelling). */
    private static String enumValue(BtfType.Enum e, long v) {
        if (!e.wide()) {
            return e.signed() ? Integer.toString((int) v) : Long.toString(v & 0xffffffffL);
        } else if (!e.signed()) {
            return Long.toUnsignedString(v) + "ULL";
        }
        return v == Long.MIN_VALUE ? "(-9223372036854775807LL - 1)" : v + "LL";
    }

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
    private static String enumMode(BtfType.Enum e) {
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
    private static boolean enumSizeExact(BtfType.Enum e) {
        return e.values().isEmpty() || naturalEnumSize(e) == e.size() || enumMode(e) != null;
    }

    // ---- structs and unions ----------------------------------------------------------------------

    /** A struct or union body whose members land exactly at BTF's offsets. */
    private String structBody(int id, BtfType.Struct s, int indent, boolean tagged) {
        Layout layout = layout(id);
        String pad = "\t".repeat(indent + 1);
        StringBuilder sb = new StringBuilder(s.union() ? "union" : "struct");
        if (tagged && !s.name().isEmpty()) {
            sb.append(' ').append(names[id]);
        }
        sb.append(" {\n");
        int bodyStart = sb.length();
        long cur = 0; // bit position after the previous member (structs)
        List<BtfType.Member> members = s.members();
        for (int i = 0; i < members.size(); i++) {
            BtfType.Member m = members.get(i);
            long off = m.bitOffset();
            boolean aligned = layout.memberAligned() != null && layout.memberAligned()[i] > 0;
            if (!s.union() && off > cur && !aligned && off != naturalOffset(m, cur, layout.packed())) {
                padding(sb, pad, cur, off);
            }
            sb.append(pad).append(member(id, m, i, indent + 1));
            if (m.bitfieldSize() > 0) {
                sb.append(": ").append(m.bitfieldSize());
            }
            if (aligned) {
                sb.append(" __attribute__((aligned(").append(layout.memberAligned()[i]).append(")))");
            }
            sb.append(";\n");
            if (!s.union()) {
                cur = off + bits(m);
            }
        }
        if (!s.union()) {
            long end = 8 * s.size();
            if (end > cur && roundUp(cur, 8L * layout.align()) != end) {
                padding(sb, pad, cur, end);
            }
        } else if (layout.unionPad() > 0) {
            sb.append(pad).append("char __bee_pad[").append(layout.unionPad()).append("];\n");
        }
        if (sb.length() == bodyStart) {
            sb.setLength(bodyStart - 1); // "struct foo {}" on one line, as bpftool writes it
        } else {
            sb.append("\t".repeat(indent));
        }
        sb.append('}');
        if (layout.packed()) {
            sb.append(" __attribute__((packed))");
        }
        if (layout.aligned() > 0) {
            sb.append(" __attribute__((aligned(").append(layout.aligned()).append(")))");
        }
        return sb.toString();
    }

    /** The declaration of a member, without bitfield size and attributes. */
    private String member(int owner, BtfType.Member m, int index, int indent) {
        if (!m.name().isEmpty()) {
            return declarator(m.type(), identifier(m.name(), owner), "", indent);
        } else if (m.bitfieldSize() > 0) {
            return declarator(m.type(), "", "", indent); // anonymous padding
        }
        int target = btf.skipModifiers(m.type());
        if (btf.type(target) instanceof BtfType.Struct s) {
            // C11 anonymous members are untagged struct/union bodies; one of a named type (an MS
            // extension) is written as an untagged copy of that type, with the same layout and fields.
            return s.name().isEmpty() ? declarator(m.type(), "", "", indent) : structBody(target, s, indent, false);
        }
        return declarator(m.type(), "__unnamed_" + index, "", indent); // a value needs a name to take space
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
     * never moves it: {@code long: 64;}, {@code int: 32;}, {@code char: 8;} and so on. Unnamed
     * bitfields do not change a struct's alignment.
     */
    private static void padding(StringBuilder sb, String pad, long from, long to) {
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
            sb.append(pad).append(type).append(": ").append(chunk).append(";\n");
            cur += chunk;
        }
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
        enter(id);
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
            depth--;
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

    /** The alignment clang gives type {@code id} as this header writes it. */
    private int alignOf(int id) {
        int cached = alignCache[id];
        if (cached != 0) {
            return cached;
        }
        enter(id);
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
            depth--;
        }
    }
}
