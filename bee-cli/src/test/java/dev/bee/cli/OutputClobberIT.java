package dev.bee.cli;

import dev.bee.core.testing.Examples;
import dev.bee.core.testing.Requirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Outputs that are not bee's to replace (issue 19 item 6): refused with a clear error, left as they were. */
class OutputClobberIT {
    @TempDir
    Path tmp;

    /** An existing file, symlink or folder at --ready-file: refused before loading, kept after the run. */
    @Test
    void theReadyFileMustBeANewPath() throws Exception {
        Requirements.requireRoot();
        Path obj = TestObjects.object("lifecycle");
        Path file = Files.writeString(tmp.resolve("mine.json"), "my data");
        Path target = Files.writeString(tmp.resolve("target"), "the link's target");
        Path link = Files.createSymbolicLink(tmp.resolve("link.json"), target);
        Path dangling = Files.createSymbolicLink(tmp.resolve("dangling.json"), tmp.resolve("nowhere"));
        for (Path ready : new Path[]{file, link, dangling, tmp}) {
            CliRun bee = CliRun.of("run", obj.toString(), "--duration", "1", "--prom-port", "0",
                    "--ready-file", ready.toString());
            assertEquals(2, bee.exitCode(), bee.err());
            assertTrue(bee.err().contains("--ready-file " + ready + " exists"), bee.err());
            assertTrue(bee.err().contains("hint: remove it if a bee run that ended left it, or give another path"),
                    bee.err());
        }
        assertEquals("my data", Files.readString(file));
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("the link's target", Files.readString(target));
        assertTrue(Files.isSymbolicLink(dangling));
        assertFalse(Files.exists(tmp.resolve("nowhere")));
    }

    /** As gcc: the object never replaces the source, named by the same path, another path or a hard link. */
    @Test
    void buildNeverWritesOverItsSource() throws Exception {
        Path src = Files.copy(Examples.source("opensnoop"), tmp.resolve("prog.c"));
        byte[] before = Files.readAllBytes(src);
        Files.createDirectories(tmp.resolve("sub"));
        Path hardLink = Files.createLink(tmp.resolve("hard.c"), src);
        Path symlink = Files.createSymbolicLink(tmp.resolve("soft.o"), src);
        for (String out : new String[]{src.toString(), tmp.resolve("sub/../prog.c").toString(), hardLink.toString(),
                symlink.toString()}) {
            CliRun r = CliRun.of("build", src.toString(), "-o", out);
            assertEquals(2, r.exitCode(), out + ": " + r.err());
            assertTrue(r.err().contains("is the source " + src), r.err());
            assertTrue(r.err().contains("hint: give the object another name with -o"), r.err());
            assertArrayEquals(before, Files.readAllBytes(src), "the source is untouched");
        }
        assertTrue(Files.isSymbolicLink(symlink));
        CliRun ok = CliRun.of("build", src.toString(), "-o", tmp.resolve("prog.o").toString());
        assertEquals(0, ok.exitCode(), ok.err());
    }
}
