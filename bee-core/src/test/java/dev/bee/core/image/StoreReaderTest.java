package dev.bee.core.image;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads from the store: every blob checked against its digest and a bound; an index opened at this machine's platform. */
class StoreReaderTest {
    @TempDir
    Path tmp;

    private StoreFiles files() {
        return new StoreFiles(tmp.resolve("store"));
    }

    /** A bee image's blobs written into the store; returns the manifest's descriptor. */
    private static Descriptor image(StoreFiles f, String marker, Platform platform) {
        ImageBuilder.Built b = ImageBuilder.build(ImageStoreTest.elf(marker), ImageStoreTest.config("GPL"), Map.of());
        StoreBlobs.put(f, MediaTypes.EBPF_CONFIG, b.config());
        StoreBlobs.put(f, MediaTypes.EBPF_PROGRAM, b.program());
        StoreBlobs.put(f, MediaTypes.OCI_MANIFEST, b.manifest());
        return b.descriptor(platform);
    }

    @Test
    void aBlobIsReadWhenItMatchesItsDigestAndBound() throws IOException {
        StoreFiles f = files();
        StoreReader reader = new StoreReader(f);
        Descriptor d = StoreBlobs.put(f, MediaTypes.EBPF_PROGRAM, "twelve bytes");
        assertTrue(reader.has(d.digest()));
        assertArrayEquals("twelve bytes".getBytes(), reader.read(d.digest(), 12));

        BeeException e = assertThrows(BeeException.class, () -> reader.read(d.digest(), 11));
        assertEquals(ErrorKind.INPUT, e.kind());
        assertEquals("blob " + d.digest() + " in " + f.root() + " is larger than 11 bytes", e.getMessage());

        Files.writeString(f.blob(d.digest()), "twelve bytez");
        e = assertThrows(BeeException.class, () -> reader.read(d.digest(), 12));
        assertEquals("blob " + d.digest() + " in " + f.root() + " is corrupt (its content has digest "
                + Digests.sha256("twelve bytez".getBytes()) + ")", e.getMessage());
        assertEquals("remove the image with 'bee rmi' and pull or build it again", e.hint());

        Files.delete(f.blob(d.digest()));
        assertFalse(reader.has(d.digest()));
        e = assertThrows(BeeException.class, () -> reader.read(d.digest(), 12));
        assertEquals(ErrorKind.INPUT, e.kind());
        assertEquals("blob " + d.digest() + " is missing from " + f.root(), e.getMessage());
        assertEquals("remove the image with 'bee rmi' and pull or build it again", e.hint());
    }

    @Test
    void anImageIsOpenedWithItsConfigAndProgram() {
        StoreFiles f = files();
        StoreReader reader = new StoreReader(f);
        Descriptor d = image(f, "p", null);
        LocalImage img = reader.open(new ImageStore.Entry("p:1", d));
        assertEquals("p:1", img.name());
        assertEquals(d.digest(), img.digest());
        assertEquals(ImageKind.BEE, img.kind());
        assertEquals("GPL", img.beeConfig().license());
        assertArrayEquals(ImageStoreTest.elf("p"), reader.object(img));
    }

    @Test
    void anIndexOpensAtThisMachinesPlatform() {
        StoreFiles f = files();
        StoreReader reader = new StoreReader(f);
        Platform host = Platform.host();
        Platform other = new Platform("linux", host.architecture().equals("s390x") ? "amd64" : "s390x", null, null);
        Descriptor mine = image(f, "mine", host);
        Descriptor theirs = image(f, "theirs", other);
        Descriptor index = StoreBlobs.put(f, MediaTypes.OCI_INDEX, StoreBlobs.index(theirs, mine));

        LocalImage img = reader.open(new ImageStore.Entry(null, index));
        assertNull(img.name());
        assertEquals(mine.digest(), img.digest());
        assertEquals(host, img.descriptor().platform(), "the chosen manifest's descriptor, with its platform");
        assertArrayEquals(ImageStoreTest.elf("mine"), reader.object(img));

        Descriptor foreign = StoreBlobs.put(f, MediaTypes.OCI_INDEX, StoreBlobs.index(theirs));
        BeeException e = assertThrows(BeeException.class, () -> reader.open(new ImageStore.Entry("x:1", foreign)));
        assertEquals(ErrorKind.NOT_FOUND, e.kind());
        assertEquals("x:1 has no image for " + host.shortForm() + " (it has: " + other.shortForm() + ")", e.getMessage());
    }

    @Test
    void aManifestWhoseConfigIsMissingCannotBeOpened() throws IOException {
        StoreFiles f = files();
        Descriptor d = image(f, "p", null);
        LocalImage whole = new StoreReader(f).open(new ImageStore.Entry(null, d));
        Files.delete(f.blob(whole.manifest().config().digest()));
        BeeException e = assertThrows(BeeException.class, () -> new StoreReader(f).open(new ImageStore.Entry(null, d)));
        assertEquals("blob " + whole.manifest().config().digest() + " is missing from " + f.root(), e.getMessage());
    }
}
