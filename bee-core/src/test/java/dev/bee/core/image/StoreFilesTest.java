package dev.bee.core.image;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where the store keeps what: an OCI image layout, with bee's lock and staging folders beside it. */
class StoreFilesTest {
    private static final String HEX = "ab".repeat(32);

    @TempDir
    Path tmp;

    @Test
    void pathsAreTheOciImageLayoutsUnderAnAbsoluteNormalizedRoot() {
        StoreFiles f = new StoreFiles(tmp.resolve("a/../store"));
        Path root = tmp.resolve("store").toAbsolutePath();
        assertEquals(root, f.root());
        assertEquals(root.resolve("index.json"), f.index());
        assertEquals(root.resolve("oci-layout"), f.ociLayout());
        assertEquals(root.resolve("blobs/sha256"), f.blobs());
        assertEquals(root.resolve("blobs/sha256/" + HEX), f.blob("sha256:" + HEX));
        assertEquals(root.resolve(".bee.lock"), f.lock());
        assertEquals(root.resolve(".staging"), f.staging());
        assertEquals(Path.of("rel").toAbsolutePath(), new StoreFiles(Path.of("rel")).root());
    }

    @Test
    void aBlobPathComesOnlyFromASha256Digest() {
        StoreFiles f = new StoreFiles(tmp);
        for (String bad : new String[]{"sha256:../../etc/passwd", "sha512:" + HEX + HEX, HEX, "sha256:" + HEX.toUpperCase()}) {
            BeeException e = assertThrows(BeeException.class, () -> f.blob(bad), bad);
            assertEquals(ErrorKind.INPUT, e.kind(), bad);
        }
    }

    @Test
    void onlyFilesNamedBy64LowercaseHexDigitsAreBlobs() {
        assertEquals("sha256:" + HEX, StoreFiles.blobDigest(HEX));
        assertNull(StoreFiles.blobDigest(HEX.toUpperCase()));
        assertNull(StoreFiles.blobDigest(HEX.substring(2)));
        assertNull(StoreFiles.blobDigest(HEX + "0"));
        assertNull(StoreFiles.blobDigest("." + HEX + ".1234.tmp"));
    }

    @Test
    void aStagingFolderNamesTheProcessThatMadeIt() throws IOException {
        Path made = Files.createTempDirectory(tmp, StoreFiles.stagingPrefix(4242));
        String name = made.getFileName().toString();
        assertEquals(4242, StoreFiles.stagingOwner(name));
        assertTrue(FileSystems.getDefault().getPathMatcher("glob:" + StoreFiles.stagingGlob()).matches(Path.of(name)));
        for (String foreign : new String[]{"pull-4242", "pull-x-1", "push-4242-1", "pull--1", "4242-pull-1"}) {
            assertEquals(-1, StoreFiles.stagingOwner(foreign), foreign);
        }
        assertFalse(FileSystems.getDefault().getPathMatcher("glob:" + StoreFiles.stagingGlob()).matches(Path.of("push-1-2")));
    }
}
