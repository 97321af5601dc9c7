package dev.bee.core.btf;

import dev.bee.core.testing.BtfBuilder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The names the header gives BTF's types: unique per C namespace, clear of keywords, C23-safe. */
class BtfCNamesTest {
    private static final int FWD = 7;

    @Test
    void aSecondTypeOfANameGetsBpftoolsSuffixAndAForwardDeclarationSharesTheDefinitionsName() {
        BtfBuilder b = new BtfBuilder();
        int i32 = b.integer("int", 4, 1);
        int fwd = b.raw("x", FWD, 0, 0);
        int first = b.struct("x", 4, false, new Object[]{"a", i32, 0});
        int second = b.struct("x", 4, false, new Object[]{"b", i32, 0});
        int clash = b.struct("x___2", 4, false, new Object[]{"c", i32, 0});
        int union = b.struct("x", 4, true, new Object[]{"d", i32, 0});
        int lonely = b.raw("only_declared", FWD, 0, 0);
        BtfCNames names = new BtfCNames(BtfReader.read("t", b.build()));
        assertEquals("x", names.name(first));
        assertEquals("x___2", names.name(second));
        assertEquals("x___2___2", names.name(clash)); // BTF's own "x___2" may not take the generated name
        assertEquals("x___3", names.name(union)); // struct, union and enum tags are one namespace
        assertEquals(first, names.sameAs(fwd));
        assertEquals("x", names.name(fwd));
        assertEquals(0, names.sameAs(lonely));
        assertEquals("only_declared", names.name(lonely));
        assertNull(names.name(i32));
    }

    @Test
    void keywordsAndTheCompilersOwnTypedefsAreRenamedAndTagsAreTheirOwnNamespace() {
        BtfBuilder b = new BtfBuilder();
        int i32 = b.integer("int", 4, 1);
        int intTypedef = b.typedef("int", i32);
        int assertTypedef = b.typedef("static_assert", i32);
        int vaList = b.typedef("__builtin_va_list", i32); // not BPF's char *: must not replace the compiler's
        int tag = b.struct("handle", 4, false, new Object[]{"a", i32, 0});
        int typedef = b.typedef("handle", i32);
        int e = b.enumeration("colour", 4, false, new Object[]{"handle", 0}, new Object[]{"RED", 1});
        BtfCNames names = new BtfCNames(BtfReader.read("t", b.build()));
        assertEquals("int___2", names.name(intTypedef));
        assertEquals("static_assert___2", names.name(assertTypedef));
        assertEquals("__builtin_va_list___2", names.name(vaList));
        assertFalse(names.compilerTypedef(vaList));
        assertEquals("handle", names.name(tag));
        assertEquals("handle", names.name(typedef));
        assertArrayEquals(new String[]{"handle___2", "RED"}, names.enumerators(e)); // typedefs and constants share
    }

    @Test
    void boolTrueAndFalseAreWrittenOnlyBeforeC23UnlessSomethingUsesThem() {
        BtfBuilder b = new BtfBuilder();
        int bool = b.integer("_Bool", 1, 4);
        int chp = b.ptr(b.integer("char", 1, 2));
        int boolTypedef = b.typedef("bool", bool);
        int lonely = b.enumeration("", 4, false, new Object[]{"false", 0}, new Object[]{"true", 1});
        int mixed = b.enumeration("mixed", 4, false, new Object[]{"MAYBE", 2}, new Object[]{"true", 1});
        int used = b.enumeration("", 4, false, new Object[]{"false", 0}, new Object[]{"true", 1});
        b.struct("user", 4, false, new Object[]{"flag", used, 0});
        int vaList = b.typedef("__builtin_va_list", chp); // BPF's own: left to the compiler
        BtfCNames names = new BtfCNames(BtfReader.read("t", b.build()));
        assertTrue(names.typedefPreC23(boolTypedef));
        assertEquals("bool", names.name(boolTypedef));
        assertArrayEquals(new boolean[]{true, true}, names.enumeratorsPreC23(lonely));
        assertArrayEquals(new String[]{"false", "true"}, names.enumerators(lonely));
        assertArrayEquals(new boolean[]{false, false}, names.enumeratorsPreC23(mixed)); // "true" is taken now
        assertArrayEquals(new String[]{"MAYBE", "true___2"}, names.enumerators(mixed));
        // A used enum of only true/false would vanish in C23 and leave its user without a type: renamed.
        assertArrayEquals(new boolean[]{false, false}, names.enumeratorsPreC23(used));
        assertArrayEquals(new String[]{"false___2", "true___3"}, names.enumerators(used));
        assertTrue(names.compilerTypedef(vaList));
        assertEquals("__builtin_va_list", names.name(vaList));
    }

    @Test
    void anonymousEnumsAreCountedOnlyWhereAWrittenTypeUsesThem() {
        BtfBuilder b = new BtfBuilder();
        int once = b.enumeration("", 4, false, new Object[]{"A", 0});
        int twice = b.enumeration("", 4, false, new Object[]{"B", 0});
        int never = b.enumeration("", 4, false, new Object[]{"C", 0});
        int onlyByAFunction = b.enumeration("", 4, false, new Object[]{"D", 0});
        b.struct("one", 8, false, new Object[]{"a", once, 0}, new Object[]{"b", twice, 32});
        b.typedef("two", twice);
        int proto = b.raw("", 13, 1, onlyByAFunction); // FUNC_PROTO returning it; FUNCs are not written
        b.u32(0);
        b.u32(onlyByAFunction);
        b.raw("f", 12, 0, proto);
        BtfCNames names = new BtfCNames(BtfReader.read("t", b.build()));
        assertEquals(1, names.anonEnumUses(once));
        assertEquals(2, names.anonEnumUses(twice));
        assertEquals(0, names.anonEnumUses(never));
        assertEquals(0, names.anonEnumUses(onlyByAFunction));
    }

    @Test
    void identifiersReplaceWhatCCannotSpell() {
        assertEquals("ok_1", BtfCNames.identifier("ok_1", 3));
        assertEquals("a_b_c", BtfCNames.identifier("a.b-c", 3));
        assertEquals("_x", BtfCNames.identifier("9x", 3));
        assertEquals("__anon_7", BtfCNames.identifier("", 7));
    }

    @Test
    void aNamespaceHandsOutEachNameOnce() {
        BtfCNames.Namespace ns = new BtfCNames.Namespace(java.util.Set.of("int"));
        assertTrue(ns.taken("int"));
        assertEquals("int___2", ns.unique("int"));
        assertEquals("foo", ns.unique("foo"));
        assertEquals("foo___2", ns.unique("foo"));
        assertEquals("foo___2___2", ns.unique("foo___2"));
        assertEquals("foo___3", ns.unique("foo"));
    }
}
