package dev.bee.core.btf;

import dev.bee.core.testing.BtfBuilder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The C text written for hand-made BTF: declarators, padding, packing, anonymous members, name clashes. */
class BtfCWriterTest {

    @Test
    void writesDeclaratorsLayoutsAndUniqueNames() {
        BtfBuilder b = new BtfBuilder();
        int i32 = b.integer("int", 4, 1);                                  // 1
        int u8 = b.integer("unsigned char", 1, 0);                         // 2
        int ch = b.integer("char", 1, 1);                                  // 3
        int chp = b.ptr(ch);                                               // 4
        int ptrs = b.array(chp, i32, 4);                                   // 5: char *[4]
        int proto = b.raw("", 13, 1, i32);                                 // 6: int (int)
        b.u32(0);
        b.u32(i32);
        int fnp = b.ptr(proto);                                            // 7
        int anon = b.struct("", 4, true, new Object[]{"a", i32, 0}, new Object[]{"b", u8, 0}); // 8: union
        int fwdSelf = b.raw("node", 7, 0, 0);                              // 9: struct node;
        int self = b.ptr(fwdSelf);                                         // 10
        b.struct("node", 32, false,
                new Object[]{"flags", i32, 0, 3}, new Object[]{"kind", i32, 3, 5},
                new Object[]{"cb", fnp, 64}, new Object[]{"", anon, 128}, new Object[]{"next", self, 192});
        b.struct("odd", 5, false, new Object[]{"tag", u8, 0}, new Object[]{"value", i32, 8});
        b.struct("names", 32, false, new Object[]{"argv", ptrs, 0});
        b.struct("dup", 4, false, new Object[]{"x", i32, 0});
        b.struct("dup", 8, false, new Object[]{"y", i32, 32});
        String c = BtfCWriter.toC(BtfReader.read("t", b.build()));
        assertTrue(c.contains("\tint flags: 3;\n\tint kind: 5;\n"), c);
        assertTrue(c.contains("\tint (*cb)(int);\n"), c);
        assertTrue(c.contains("\tunion {\n\t\tint a;\n\t\tunsigned char b;\n\t};\n"), c);
        assertTrue(c.contains("\tstruct node *next;\n"), c);
        assertTrue(c.contains("struct odd {\n\tunsigned char tag;\n\tint value;\n} __attribute__((packed));"), c);
        assertTrue(c.contains("\tchar *argv[4];\n"), c);
        assertTrue(c.contains("struct dup {\n\tint x;\n};") && c.contains("struct dup___2 {\n\tlong: 32;\n\tint y;\n};"), c);
        assertTrue(c.contains("#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)"), c);
    }
}
