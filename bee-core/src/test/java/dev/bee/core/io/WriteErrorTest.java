package dev.bee.core.io;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WriteErrorTest {
    @TempDir
    Path tmp;

    @Test
    void aFileWhereAFolderMustBe() throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        Path target = file.resolve("out.o");
        IOException io = assertThrows(IOException.class, () -> AtomicFiles.write(target, new byte[]{1}));
        BeeException e = WriteError.of(target, io, "choose another -o");
        assertEquals(ErrorKind.WRITE, e.kind());
        assertEquals(10, e.kind().exitCode());
        assertEquals("cannot write " + target + ": a part of the path is a file, not a folder", e.getMessage());
        assertEquals("check the path: a file stands where a folder is needed; or choose another -o", e.hint());
    }

    @Test
    void theSystemsReasonWithoutThePathTwice() {
        Path p = Path.of("/x/y");
        BeeException full = WriteError.of(p, new FileSystemException("/x/y", null, "No space left on device"), null);
        assertEquals("cannot write /x/y: No space left on device", full.getMessage());
        assertEquals("free some space on that file system", full.hint());
        BeeException ro = WriteError.of(p, new FileSystemException("/x/y", null, "Read-only file system"), "pick -o");
        assertEquals("that file system is mounted read-only; or pick -o", ro.hint());
    }
}
