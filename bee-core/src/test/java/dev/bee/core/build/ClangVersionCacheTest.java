package dev.bee.core.build;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * clang's version is asked once per clang binary: the seams are a fake clang (a script that counts its
 * runs) and the clock.
 */
class ClangVersionCacheTest {
    @TempDir
    Path tmp;

    /** A fake clang printing {@code version}, dated {@code age} back; each run adds a line to runs.log. */
    private Path clang(Path file, String version, Duration age) throws Exception {
        Files.writeString(file, "#!/bin/sh\necho x >> '" + tmp.resolve("runs.log") + "'\n"
                + "echo 'Fake clang version " + version + " (https://example.org)'\necho 'Target: bpf'\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(age)));
        return file;
    }

    private int runs() throws Exception {
        Path log = tmp.resolve("runs.log");
        return Files.exists(log) ? Files.readAllLines(log).size() : 0;
    }

    private String version(Path clang, Instant now) {
        return ClangCompiler.clangVersion(clang, tmp.resolve("cache"), now);
    }

    private static Instant later() {
        return Instant.now().plus(Duration.ofMinutes(1));
    }

    @Test
    void theVersionIsAskedOncePerBinary() throws Exception {
        Path clang = clang(tmp.resolve("clang"), "14.0.6", Duration.ofHours(1));
        assertEquals("14.0.6", version(clang, later()));
        assertEquals("14.0.6", version(clang, later()));
        assertEquals(1, runs());
    }

    @Test
    void anUpgradedBinaryIsAskedAgain() throws Exception {
        Path clang = clang(tmp.resolve("clang"), "14.0.6", Duration.ofHours(2));
        assertEquals("14.0.6", version(clang, later()));
        clang(clang, "14.0.7", Duration.ofHours(1)); // rewritten in place, same size
        assertEquals("14.0.7", version(clang, later()));
        assertEquals("14.0.7", version(clang, later()));
        assertEquals(2, runs());
    }

    @Test
    void aSymbolicLinkPointedElsewhereGivesTheOtherVersion() throws Exception {
        Path c14 = clang(tmp.resolve("clang-14"), "14.0.6", Duration.ofHours(1));
        Path c16 = clang(tmp.resolve("clang-16"), "16.0.6", Duration.ofHours(1));
        Path link = tmp.resolve("clang");
        Files.createSymbolicLink(link, c14);
        assertEquals("14.0.6", version(link, later()));
        Files.delete(link);
        Files.createSymbolicLink(link, c16);
        assertEquals("16.0.6", version(link, later()));
        assertEquals("16.0.6", version(link, later()));
        assertEquals(2, runs());
    }

    @Test
    void aBinaryThatJustChangedIsAskedUntilItSettles() throws Exception {
        Path clang = tmp.resolve("clang");
        clang(clang, "14.0.6", Duration.ZERO);
        Files.setLastModifiedTime(clang, FileTime.from(Instant.now()));
        Instant now = Instant.now();
        version(clang, now);
        version(clang, now);
        assertEquals(2, runs());
        version(clang, later());
        version(clang, later());
        assertEquals(3, runs());
    }
}
