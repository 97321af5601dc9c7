package dev.bee.core.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AtomicFilesTest {
    @TempDir
    Path tmp;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    /** The umask decides, as for any new file: not the 0600 of a temporary file. */
    @Test
    void aWrittenFileHasTheModeOfANewFile() throws Exception {
        Path plain = Files.createFile(tmp.resolve("plain"));
        Path atomic = tmp.resolve("atomic");
        AtomicFiles.write(atomic, "x".getBytes(StandardCharsets.UTF_8));
        assertEquals(mode(plain), mode(atomic));
        assertTrue(mode(atomic).startsWith("rw-r"), "this JVM's umask leaves the group read: " + mode(atomic));
        Path fresh = tmp.resolve("fresh");
        AtomicFiles.writeNew(fresh, "x".getBytes(StandardCharsets.UTF_8));
        assertEquals(mode(plain), mode(fresh));
    }

    @Test
    void writeNewNeverReplacesAFileOrASymlink() throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "mine");
        assertThrows(FileAlreadyExistsException.class, () -> AtomicFiles.writeNew(file, new byte[]{1}));
        assertEquals("mine", Files.readString(file));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), tmp.resolve("nowhere"));
        assertThrows(FileAlreadyExistsException.class, () -> AtomicFiles.writeNew(link, new byte[]{1}));
        assertFalse(Files.exists(tmp.resolve("nowhere")));
        assertEquals(List.of("file", "link"), Files.list(tmp).map(p -> p.getFileName().toString()).sorted().toList(),
                "no temporary file is left");
    }

    /** A temp file of a process that died is removed by the next write of the same target; a live one's stays. */
    @Test
    void tempFilesOfDeadProcessesAreSwept() throws Exception {
        Path dead = Files.writeString(tmp.resolve(".prog.o.999999999.0123456789abcdef.tmp"), "half");
        Path live = Files.writeString(tmp.resolve(".prog.o." + ProcessHandle.current().pid() + ".0123456789abcdef.tmp"), "x");
        Path other = Files.writeString(tmp.resolve(".other.o.999999999.0123456789abcdef.tmp"), "x");
        AtomicFiles.write(tmp.resolve("prog.o"), new byte[]{1});
        assertFalse(Files.exists(dead));
        assertTrue(Files.exists(live));
        assertTrue(Files.exists(other), "another target's temp file is that target's to sweep");
    }
}
