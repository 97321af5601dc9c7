package dev.bee.core.btf;

import dev.bee.core.testing.BtfBuilder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The order of the header's declarations: what each type needs comes first, each thing once. */
class BtfCOrderTest {
    private static final int FWD = 7;

    /** What the order asks a header to write, one line per request. */
    private static List<String> order(Btf btf) {
        BtfCNames names = new BtfCNames(btf);
        List<String> asked = new ArrayList<>();
        BtfCOrder order = new BtfCOrder(btf, names, new NestingLimit("t"), new BtfCOrder.Declarations() {
            @Override
            public void forward(int id) {
                asked.add("forward " + names.name(id));
            }

            @Override
            public void definition(int id) {
                asked.add("definition " + names.name(id));
            }

            @Override
            public void typedef(int id) {
                asked.add("typedef " + names.name(id));
            }

            @Override
            public void standaloneEnum(int id) {
                asked.add("enum #" + id);
            }
        });
        for (int id = 1; id < btf.count(); id++) {
            order.declare(id);
        }
        order.declareUnreachedEnums();
        return asked;
    }

    @Test
    void byValueUsesAreDefinedFirstAndPointersOnlyDeclared() {
        BtfBuilder b = new BtfBuilder();
        int i32 = b.integer("int", 4, 1);                                   // 1
        b.struct("a", 16, false, new Object[]{"b", 3, 0}, new Object[]{"c", 4, 64}); // 2: struct b b; struct c *c;
        b.struct("b", 4, false, new Object[]{"x", i32, 0});                // 3
        b.ptr(5);                                                           // 4: struct c *
        b.struct("c", 8, false, new Object[]{"a", 6, 0});                  // 5: struct a *a;
        b.ptr(2);                                                           // 6
        assertEquals(List.of("definition b", "forward c", "definition a", "definition c"),
                order(BtfReader.read("t", b.build())));
    }

    @Test
    void aForwardDeclarationIsWrittenOnceForItsDefinitionsType() {
        BtfBuilder b = new BtfBuilder();
        int fwd = b.raw("node", FWD, 0, 0);                                // 1
        b.struct("node", 8, false, new Object[]{"next", 3, 0});            // 2
        b.ptr(fwd);                                                         // 3
        b.raw("node", FWD, 0, 0);                                          // 4: the same C type again
        b.struct("list", 8, false, new Object[]{"head", 3, 0});            // 5
        assertEquals(List.of("forward node", "definition node", "definition list"),
                order(BtfReader.read("t", b.build())));
    }

    @Test
    void typedefsComeAfterWhatTheyNameAndAnonymousTypesAreLeftToTheirUsers() {
        BtfBuilder b = new BtfBuilder();
        int i32 = b.integer("int", 4, 1);                                   // 1
        int anon = b.struct("", 4, false, new Object[]{"v", i32, 0});      // 2: written where it is used
        b.typedef("wrapped", anon);                                         // 3
        int inner = b.struct("inner", 4, false, new Object[]{"i", i32, 0}); // 4
        int holder = b.struct("", 4, false, new Object[]{"in", inner, 0}); // 5
        b.struct("outer", 4, false, new Object[]{"h", holder, 0});         // 6: needs inner through holder
        int chp = b.ptr(b.integer("char", 1, 2));                           // 7, 8
        b.typedef("__builtin_va_list", chp);                                // 9: the compiler's own
        int unused = b.enumeration("", 4, false, new Object[]{"ALONE", 1}); // 10
        int usedOnce = b.enumeration("", 4, false, new Object[]{"MODE", 1}); // 11
        b.struct("moded", 4, false, new Object[]{"m", usedOnce, 0});       // 12
        b.typedef("later", 14);                                             // 13: a struct further on: declared
        b.struct("defined_later", 4, false, new Object[]{"x", i32, 0});    // 14
        Btf btf = BtfReader.read("t", b.build());
        assertEquals(List.of("typedef wrapped", "definition inner", "definition outer", "enum #" + unused,
                "definition moded", "forward defined_later", "typedef later", "definition defined_later",
                // At the end every anonymous enum, for the writer to add those it never wrote.
                "enum #" + unused, "enum #" + usedOnce), order(btf));
    }
}
