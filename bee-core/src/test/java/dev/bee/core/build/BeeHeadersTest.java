package dev.bee.core.build;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bee's headers unpacked from the jar into a cache folder named after their content. */
class BeeHeadersTest {
    @TempDir
    Path cache;

    @Test
    void theHeadersAreUnpackedAsTheJarHoldsThem() throws Exception {
        Path dir = BeeHeaders.includeDir(cache);
        assertEquals(cache.resolve("include"), dir.getParent());
        assertTrue(dir.getFileName().toString().matches("[0-9a-f]{16}"), dir.toString());
        for (String name : BeeHeaders.NAMES) {
            assertArrayEquals(BeeHeaders.resource(name), Files.readAllBytes(dir.resolve(name)), name);
        }
        assertTrue(Files.readString(dir.resolve("bee_types.h")).contains("bee_ringbuf_reserve"));
    }

    @Test
    void theSameHeadersGoToTheSameFolderOnce() throws Exception {
        Path dir = BeeHeaders.includeDir(cache);
        Path types = dir.resolve("bee_types.h");
        Files.writeString(types, "edited");
        assertEquals(dir, BeeHeaders.includeDir(cache));
        assertEquals("edited", Files.readString(types), "a header already there is not written again");
        Files.delete(types);
        BeeHeaders.includeDir(cache);
        assertArrayEquals(BeeHeaders.resource("bee_types.h"), Files.readAllBytes(types), "a missing one is");
    }

    @Test
    void aHeaderMissingFromTheJarIsAnIoError() {
        assertThrows(IOException.class, () -> BeeHeaders.resource("nope.h"));
    }
}
