package dev.bee.core.btf;

import dev.bee.core.BeeException;
import dev.bee.core.testing.BtfBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The C text written for hand-made BTF: declarators, layouts, enums, names. {@link #sample()} is also
 * compiled by {@link BtfCWriterIT}, which checks clang's layout of it against BTF.
 */
class BtfCWriterTest {
    private static final int FUNC_PROTO = 13;
    private static String c;

    /** Hand-made BTF with one of everything the writer has to get right. */
    static Btf sample() {
        BtfBuilder b = new BtfBuilder();
        int i32 = b.integer("int", 4, 1);
        int u8 = b.integer("unsigned char", 1, 0);
        int ch = b.integer("char", 1, 0);
        int chp = b.ptr(ch);
        int ptrs = b.array(chp, i32, 4);                                   // char *[4]
        int proto = b.raw("", FUNC_PROTO, 1, i32);                         // int (int)
        b.u32(0);
        b.u32(i32);
        int fnp = b.ptr(proto);
        int anon = b.struct("", 4, true, new Object[]{"a", i32, 0}, new Object[]{"b", u8, 0});
        int fwdNode = b.raw("node", 7, 0, 0);                              // struct node;
        int nodep = b.ptr(fwdNode);
        b.struct("node", 32, false,
                new Object[]{"flags", i32, 0, 3}, new Object[]{"kind", i32, 3, 5},
                new Object[]{"cb", fnp, 64}, new Object[]{"", anon, 128}, new Object[]{"next", nodep, 192});
        b.struct("odd", 5, false, new Object[]{"tag", u8, 0}, new Object[]{"value", i32, 8});
        b.struct("names", 32, false, new Object[]{"argv", ptrs, 0});
        b.struct("dup", 4, false, new Object[]{"x", i32, 0});
        b.struct("dup", 8, false, new Object[]{"y", i32, 32});

        // Declarators.
        int grid = b.ptr(b.array(i32, i32, 4));                            // int (*)[4]
        int cch = b.modifier(10, ch);
        int cptr = b.modifier(10, b.ptr(cch));                             // const char *const
        int cchp = b.ptr(cch);
        int log = b.raw("", FUNC_PROTO, 2, i32);                           // int (const char *, ...)
        b.u32(b.str("fmt"));
        b.u32(cchp);
        b.u32(0);
        b.u32(0);
        int logp = b.ptr(log);
        int done = b.ptr(b.raw("", FUNC_PROTO, 0, 0));                     // void (*)(void)
        int pick = b.raw("", FUNC_PROTO, 1, fnp);                          // int (*(int))(int)
        b.u32(0);
        b.u32(i32);
        int pickp = b.ptr(pick);
        int handlers = b.array(fnp, i32, 2);                               // int (*[2])(int)
        int vol = b.modifier(9, i32);
        int restricted = b.modifier(11, chp);                              // char *restrict
        int tagged = b.ptr(b.raw("user", 18, 0, ch));                      // char * with a type tag
        b.struct("decls", 80, false,
                new Object[]{"grid", grid, 0}, new Object[]{"name", cptr, 64}, new Object[]{"log", logp, 128},
                new Object[]{"done", done, 192}, new Object[]{"pick", pickp, 256},
                new Object[]{"handlers", handlers, 320}, new Object[]{"counter", vol, 448},
                new Object[]{"buf", restricted, 512}, new Object[]{"uptr", tagged, 576});

        // Scalars and enums of every size.
        int bool = b.integer("_Bool", 1, 4);
        int i128 = b.integer("__int128", 16, 1);
        int u128 = b.integer("__int128 unsigned", 16, 0);
        int dbl = b.floating("double", 8);
        int small = b.enumeration("small", 1, false, new Object[]{"S0", 0}, new Object[]{"S1", 1});
        int half = b.enumeration("half", 2, true, new Object[]{"H_NEG", -1}, new Object[]{"H_POS", 300});
        b.enumeration("wide32", 8, false, new Object[]{"W0", 7});
        b.raw("big", 19, 1, 8);                                            // ENUM64
        b.u32(b.str("BIG"));
        b.u32(0xffffffffL);
        b.u32(0xffffffffL);
        b.struct("kinds", 64, false,
                new Object[]{"b", bool, 0}, new Object[]{"big", i128, 128}, new Object[]{"ubig", u128, 256},
                new Object[]{"d", dbl, 384}, new Object[]{"s", small, 448}, new Object[]{"h", half, 464});
        b.integer("ssizetype", 8, 1);                                      // GCC's internal name

        // Anonymous enums: one used by a member (inline), one used by nothing (on its own).
        int mode = b.enumeration("", 4, false, new Object[]{"MODE_A", 0}, new Object[]{"MODE_B", 1});
        b.struct("modal", 4, false, new Object[]{"mode", mode, 0});
        b.enumeration("", 4, false, new Object[]{"LONELY", 5});

        // Layout attributes: a cache-line aligned member, an over-aligned union.
        b.struct("cacheline", 128, false, new Object[]{"a", i32, 0}, new Object[]{"b", i32, 512});
        b.struct("wide_union", 16, true, new Object[]{"a", i32, 0});

        // Names that would break C: keywords, built-ins, C23's bool/true/false, clashes.
        b.typedef("int", i32);
        b.typedef("static_assert", i32);
        b.typedef("bool", bool);
        b.enumeration("", 4, false, new Object[]{"false", 0}, new Object[]{"true", 1});
        b.typedef("__builtin_va_list", chp);                               // BPF's own: left to clang
        b.typedef("handle_t", i32);
        b.typedef("handle_t", u8);

        // Kinds that are not declarations of types.
        int fn = b.raw("my_func", 12, 1, proto);
        b.raw("my_var", 14, 0, i32);
        b.u32(1);
        b.raw(".bss", 15, 1, 4);
        b.u32(fn + 1);
        b.u32(0);
        b.u32(4);
        b.raw("my_tag", 17, 0, fn);
        b.u32(0xffffffffL);
        return BtfReader.read("sample", b.build());
    }

    /** The C header for {@code btf}, as a string. */
    static String toC(Btf btf) {
        StringWriter w = new StringWriter(1 << 20);
        try {
            BtfCWriter.write(btf, w);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return w.toString();
    }

    @BeforeAll
    static void write() {
        c = toC(sample());
    }

    private static void has(String text) {
        assertTrue(c.contains(text), () -> "missing:\n" + text + "\nin:\n" + c);
    }

    @Test
    void guardsAndPreserveAccessIndex() {
        assertTrue(c.contains("#ifndef __VMLINUX_H__\n#define __VMLINUX_H__\n"), c);
        has("#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
                + "#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)\n#endif\n");
        has("#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n#pragma clang attribute pop\n#endif\n");
        assertTrue(c.endsWith("#endif /* __VMLINUX_H__ */\n"), c);
    }

    @Test
    void bitfieldsFunctionPointersAnonymousMembersAndForwardDeclarations() {
        has("struct node;\n");
        has("struct node {\n\tint flags: 3;\n\tint kind: 5;\n\tint (*cb)(int);\n"
                + "\tunion {\n\t\tint a;\n\t\tunsigned char b;\n\t};\n\tstruct node *next;\n};\n");
        assertTrue(c.indexOf("struct node;") < c.indexOf("struct node {"), c);
        has("\tchar *argv[4];\n");
    }

    @Test
    void declarators() {
        has("struct decls {\n"
                + "\tint (*grid)[4];\n"
                + "\tconst char *const name;\n"
                + "\tint (*log)(const char *, ...);\n"
                + "\tvoid (*done)(void);\n"
                + "\tint (*(*pick)(int))(int);\n"
                + "\tint (*handlers[2])(int);\n"
                + "\tvolatile int counter;\n"
                + "\tchar *__restrict buf;\n"
                + "\tchar *uptr;\n"
                + "};\n");
    }

    @Test
    void packingPaddingAndAlignment() {
        has("struct odd {\n\tunsigned char tag;\n\tint value;\n} __attribute__((packed));\n");
        has("struct cacheline {\n\tint a;\n\tint b __attribute__((aligned(64)));\n};\n");
        has("union wide_union {\n\tint a;\n} __attribute__((aligned(16)));\n");
    }

    @Test
    void scalarsAndEnums() {
        has("struct kinds {\n\t_Bool b;\n\t__int128 big;\n\t__int128 unsigned ubig;\n\tdouble d;\n"
                + "\tenum small s;\n\tenum half h;\n};\n");
        has("enum small {\n\tS0 = 0,\n\tS1 = 1,\n} __attribute__((mode(byte)));\n");
        has("enum half {\n\tH_NEG = -1,\n\tH_POS = 300,\n} __attribute__((mode(HI)));\n");
        has("enum wide32 {\n\tW0 = 7,\n} __attribute__((mode(DI)));\n");
        has("enum big {\n\tBIG = 18446744073709551615ULL,\n};\n");
        assertFalse(c.contains("ssizetype"), c);
    }

    @Test
    void anonymousEnums() {
        has("struct modal {\n\tenum {\n\t\tMODE_A = 0,\n\t\tMODE_B = 1,\n\t} mode;\n};\n");
        has("\nenum {\n\tLONELY = 5,\n};\n");
    }

    @Test
    void uniqueNamesAndKeywords() {
        has("struct dup {\n\tint x;\n};\n");
        has("struct dup___2 {\n\tint: 32;\n\tint y;\n};\n");
        assertFalse(c.contains("node___2"), c); // the forward declaration is the same type
        has("typedef int int___2;\n");
        has("typedef int static_assert___2;\n");
        has("typedef int handle_t;\n");
        has("typedef unsigned char handle_t___2;\n");
        has("#ifdef __BEE_VMLINUX_BOOL\ntypedef _Bool bool;\n#endif\n");
        has("#ifdef __BEE_VMLINUX_BOOL\nenum {\n\tfalse = 0,\n\ttrue = 1,\n};\n#endif\n");
        assertFalse(c.contains("typedef char *__builtin_va_list"), c);
    }

    @Test
    void generatedNamesNeverClashWithBtfNames() {
        BtfBuilder b = new BtfBuilder();
        int i32 = b.integer("int", 4, 1);
        b.struct("x", 4, false, new Object[]{"a", i32, 0});
        b.struct("x", 4, false, new Object[]{"b", i32, 0});
        b.struct("x___2", 4, false, new Object[]{"c", i32, 0});
        String out = toC(BtfReader.read("names", b.build()));
        assertTrue(out.contains("struct x {\n\tint a;") && out.contains("struct x___2 {\n\tint b;")
                && out.contains("struct x___2___2 {\n\tint c;"), out);
    }

    @Test
    void skipsFunctionsVariablesSectionsAndTags() {
        for (String absent : new String[]{"my_func", "my_var", ".bss", "my_tag", "user"}) {
            assertFalse(c.contains(absent), absent);
        }
    }

    @Test
    void byValueLoopIsRejectedNotOverflowed() {
        BtfBuilder b = new BtfBuilder();
        b.struct("a", 4, false, new Object[]{"b", 2, 0});
        b.struct("b", 4, false, new Object[]{"a", 1, 0});
        Btf btf = BtfReader.read("loop", b.build());
        BeeException e = assertThrows(BeeException.class, () -> toC(btf));
        assertTrue(e.getMessage().contains("nests deeper than"), e.getMessage());
    }

    @Test
    void deepNestingIsRejected() {
        BtfBuilder b = new BtfBuilder();
        int t = b.integer("int", 4, 1);
        for (int i = 0; i < 5000; i++) {
            t = b.ptr(t);
        }
        b.typedef("deep", t);
        Btf btf = BtfReader.read("deep", b.build());
        assertThrows(BeeException.class, () -> toC(btf));
    }
}
