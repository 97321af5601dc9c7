package dev.bee.core.object;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.testing.CraftedObjects;
import dev.bee.core.testing.Examples;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The objects a fault run crafted against bee: each is an input error (exit code 3) with a one-line
 * message, never an internal error, and the one that once decoded for 78 seconds ends at once.
 */
class CraftedObjectIT {

    @BeforeAll
    static void warmUp() throws Exception {
        // Class loading and the first compile of the example must not count against the time bound.
        ObjectReader.read("opensnoop.o", Files.readAllBytes(Examples.object("opensnoop")));
    }

    @Test
    void arrayOfZeroSizeElementsIsRejectedAtOnce() {
        byte[] bad = CraftedObjects.zeroSizeElements();
        long start = System.nanoTime();
        BeeException e = inputError(bad);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals("crafted.o: global 'target_pid' is 0 bytes by its type but 4 bytes in section .rodata",
                e.getMessage());
        assertTrue(millis < 250, "took " + millis + " ms");
    }

    @Test
    void arrayOfZeroSizeElementsWithAConsistentSectionDecodesAsEmpty() {
        byte[] odd = CraftedObjects.zeroSizeElements(true);
        long start = System.nanoTime();
        BpfObject o = ObjectReader.read("crafted.o", odd);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(List.of(), o.global("target_pid").orElseThrow().defaultValue());
        assertTrue(millis < 250, "took " + millis + " ms");
    }

    @Test
    void arrayLargerThanAnyMemoryIsRejected() {
        BeeException e = inputError(CraftedObjects.hugeArray());
        assertTrue(e.getMessage().startsWith("crafted.o .BTF: BTF type "), e.getMessage());
        assertTrue(e.getMessage().contains("larger than 2^63 bytes"), e.getMessage());
    }

    @Test
    void symbolTableLinkPastTheSectionsIsRejected() {
        BeeException e = inputError(CraftedObjects.symtabLinkMissing());
        assertTrue(e.getMessage().matches("crafted\\.o: section \\d+ '\\.symtab' links to section 4294967295, which"
                + " does not exist \\(\\d+ sections\\)"), e.getMessage());
    }

    @Test
    void intOfZeroBitsIsRejected() {
        BeeException e = inputError(CraftedObjects.intOfZeroBits());
        assertTrue(e.getMessage().matches("crafted\\.o \\.BTF: BTF int type \\d+ has 0 bits at bit offset 0; an int"
                + " has 1 to 128 bits inside its 4 bytes"), e.getMessage());
    }

    private static BeeException inputError(byte[] object) {
        BeeException e = assertThrows(BeeException.class, () -> ObjectReader.read("crafted.o", object));
        assertEquals(ErrorKind.INPUT, e.kind(), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.hint() != null && !e.hint().isBlank(), "a hint says what to do");
        return e;
    }
}
