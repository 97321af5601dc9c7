package dev.bee.core.libbpf;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** jffi's stub is kept in the cache, byte for byte the jar's, and jffi is pointed at it. */
class JffiStubTest {
    private static final String LIBRARY = System.mapLibraryName("jffi-1.2");
    private String saved;

    @BeforeEach
    void clear() {
        saved = System.getProperty(JffiStub.BOOT_PATH_PROPERTY);
        System.clearProperty(JffiStub.BOOT_PATH_PROPERTY);
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(JffiStub.BOOT_PATH_PROPERTY);
        } else {
            System.setProperty(JffiStub.BOOT_PATH_PROPERTY, saved);
        }
    }

    private static byte[] jarStub() throws IOException {
        String arch = System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch");
        try (InputStream in = JffiStub.class.getResourceAsStream("/jni/" + arch + "-Linux/" + LIBRARY)) {
            assertNotNull(in, "jffi's native jar is on the class path");
            return in.readAllBytes();
        }
    }

    @Test
    void theStubIsWrittenOnceAndJffiPointedAtIt(@TempDir Path cache) throws IOException {
        JffiStub.useCached(cache);
        Path file = cache.resolve("jffi").resolve(LIBRARY);
        assertArrayEquals(jarStub(), Files.readAllBytes(file));
        assertEquals(cache.resolve("jffi").toString(), System.getProperty(JffiStub.BOOT_PATH_PROPERTY));
        long modified = Files.getLastModifiedTime(file).toMillis();
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(modified - 60_000));
        System.clearProperty(JffiStub.BOOT_PATH_PROPERTY);
        JffiStub.useCached(cache);
        assertEquals(modified - 60_000, Files.getLastModifiedTime(file).toMillis(), "a good copy is not rewritten");
    }

    @Test
    void aTruncatedOrDifferentCopyIsReplacedBeforeJffiLoadsIt(@TempDir Path cache) throws IOException {
        byte[] stub = jarStub();
        Path file = Files.createDirectories(cache.resolve("jffi")).resolve(LIBRARY);
        Files.write(file, Arrays.copyOf(stub, 5000));
        JffiStub.useCached(cache);
        assertArrayEquals(stub, Files.readAllBytes(file));
        byte[] changed = stub.clone();
        changed[stub.length / 2] ^= 1;
        Files.write(file, changed);
        System.clearProperty(JffiStub.BOOT_PATH_PROPERTY);
        JffiStub.useCached(cache);
        assertArrayEquals(stub, Files.readAllBytes(file));
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temporary file left");
        }
    }

    @Test
    void aUsersOwnSettingAndAnUnwritableCacheAreLeftToJffi(@TempDir Path cache) throws IOException {
        System.setProperty(JffiStub.BOOT_PATH_PROPERTY, "/opt/jffi");
        JffiStub.useCached(cache);
        assertEquals("/opt/jffi", System.getProperty(JffiStub.BOOT_PATH_PROPERTY));
        assertFalse(Files.exists(cache.resolve("jffi")));
        System.clearProperty(JffiStub.BOOT_PATH_PROPERTY);
        Path notADir = Files.writeString(cache.resolve("file"), "x");
        JffiStub.useCached(notADir);
        assertEquals(null, System.getProperty(JffiStub.BOOT_PATH_PROPERTY), "jffi extracts it as before");
    }
}
