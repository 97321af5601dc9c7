package dev.bee.core.object;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.testing.Examples;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Damaged objects end in a {@link BeeException} that names the file, never in another exception,
 * an out-of-memory error or a hang.
 */
class MalformedObjectIT {

    @Test
    void everyTruncationIsAClearError() throws Exception {
        byte[] good = Files.readAllBytes(Examples.object("tcpconnect"));
        for (int len = 0; len < good.length; len += Math.max(1, good.length / 400)) {
            byte[] cut = java.util.Arrays.copyOf(good, len);
            BeeException e = assertThrows(BeeException.class, () -> ObjectReader.read("cut.o", cut), "length " + len);
            assertEquals(ErrorKind.INPUT, e.kind());
            assertTrue(e.getMessage().startsWith("cut.o"), e.getMessage());
        }
    }

    @Test
    void flippedBytesNeverEscapeAsOtherErrors() throws Exception {
        byte[] good = Files.readAllBytes(Examples.object("opensnoop"));
        Random random = new Random(42);
        int errors = 0;
        for (int off = 0; off < good.length; off += 3) {
            byte[] bad = good.clone();
            bad[off] ^= (byte) (1 << random.nextInt(8));
            try {
                ObjectReader.read("flip.o", bad);
            } catch (BeeException e) {
                errors++;
                assertTrue(e.getMessage().contains("flip.o"), "offset " + off + ": " + e.getMessage());
            } catch (Throwable t) {
                throw new AssertionError("flipping a bit at offset " + off + " escaped as " + t, t);
            }
        }
        assertTrue(errors > 10, "some flips must be detected, saw " + errors);
    }

    @Test
    void randomBytesAreNotAnElfFile() {
        byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        BeeException e = assertThrows(BeeException.class, () -> ObjectReader.read("noise.bin", noise));
        assertEquals("noise.bin: not an ELF file (no \\x7fELF magic at offset 0)", e.getMessage());
    }

    @Test
    void sectionHeaderTableOutsideTheFile() throws Exception {
        byte[] bad = Files.readAllBytes(Examples.object("execsnoop"));
        java.nio.ByteBuffer.wrap(bad).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(40, bad.length + 100L);
        BeeException e = assertThrows(BeeException.class, () -> ObjectReader.read("shoff.o", bad));
        assertTrue(e.getMessage().startsWith("shoff.o: section header table at offset " + (bad.length + 100)),
                e.getMessage());
    }
}
