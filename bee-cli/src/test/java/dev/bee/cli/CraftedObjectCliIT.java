package dev.bee.cli;

import dev.bee.core.testing.CraftedObjects;
import dev.bee.core.testing.Requirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The objects a fault run crafted against bee reach the user as input errors: exit code 3, one line
 * saying what is wrong and one hint, from {@code bee describe} and from {@code bee run} before anything
 * is loaded.
 */
class CraftedObjectCliIT {
    private static final Map<String, Supplier<byte[]>> CRAFTED = Map.of(
            "zero-size-elements", CraftedObjects::zeroSizeElements,
            "huge-array", CraftedObjects::hugeArray,
            "symtab-link", CraftedObjects::symtabLinkMissing,
            "int-of-zero-bits", CraftedObjects::intOfZeroBits);

    @TempDir
    Path tmp;

    @Test
    void describeSaysInputError() throws Exception {
        for (Map.Entry<String, Supplier<byte[]>> c : CRAFTED.entrySet()) {
            Path object = write(c.getKey(), c.getValue().get());
            assertInputError(CliRun.of("describe", object.toString()), object, c.getKey());
        }
    }

    @Test
    void runSaysInputErrorBeforeLoading() throws Exception {
        Requirements.requireRoot();
        Path object = write("zero-size-elements", CraftedObjects.zeroSizeElements());
        long start = System.nanoTime();
        CliRun run = CliRun.of("run", object.toString(), "--no-tty", "--duration", "5s");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertInputError(run, object, "zero-size-elements");
        // Once 78 s and 6 GB; what is left is bee run's start (libbpf binding, kernel checks), not the object.
        assertTrue(millis < 10_000, "took " + millis + " ms");
    }

    @Test
    void whatLibbpfRefusesIsShownInLibbpfsWords() throws Exception {
        Requirements.requireRoot();
        Path object = write("var-without-symbol", CraftedObjects.varWithoutSymbol());
        CliRun describe = CliRun.of("describe", object.toString());
        assertEquals(0, describe.exitCode(), "bee reads it: " + describe.err());
        assertTrue(describe.out().contains("args_t"), describe.out());

        CliRun run = CliRun.of("run", object.toString(), "--no-tty", "--duration", "5s");
        assertEquals(3, run.exitCode(), run.err());
        String[] lines = run.err().strip().split("\n");
        assertEquals(2, lines.length, run.err());
        assertTrue(lines[1].startsWith("hint: "), run.err());
        String error = lines[0];
        // libbpf 1.1 fails with ENOENT and says why only at debug level; bee once said "error ENOENT".
        assertTrue(error.startsWith("bee: error: libbpf cannot open var_without_symbol: "), error);
        assertTrue(error.contains("args_t") || error.contains(".BTF"), "libbpf's own words: " + error);
        assertFalse(error.contains("ENOENT") || error.contains("No such file"), error);
    }

    private Path write(String name, byte[] bytes) throws Exception {
        Path object = tmp.resolve(name + ".o");
        Files.write(object, bytes);
        return object;
    }

    private static void assertInputError(CliRun run, Path object, String what) {
        assertEquals(3, run.exitCode(), what + ": " + run.err());
        String[] lines = run.err().strip().split("\n");
        assertEquals(2, lines.length, what + ": " + run.err());
        assertTrue(lines[0].startsWith("bee: error: " + object), what + ": " + run.err());
        assertTrue(lines[1].startsWith("hint: "), what + ": " + run.err());
        assertEquals("", run.out(), what);
    }
}
