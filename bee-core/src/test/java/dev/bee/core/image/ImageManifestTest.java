package dev.bee.core.image;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A manifest's structure ({@link ImageManifest#read}) and the checks bee adds for images it uses ({@link ImageManifest#parse}). */
class ImageManifestTest {
    private static final Descriptor CONFIG = Descriptor.of(MediaTypes.OCI_CONFIG, "sha256:" + "c".repeat(64), 2, Map.of());

    private static Descriptor layer(long size, String title) {
        return Descriptor.of(MediaTypes.OCI_LAYER_TAR_GZIP, "sha256:" + "1".repeat(64), size,
                title == null ? Map.of() : Map.of(MediaTypes.TITLE, title));
    }

    @Test
    void readGivesTheStructureThatParseChecksFurther() {
        byte[] raw = StoreBlobs.manifest(MediaTypes.OCI_MANIFEST, CONFIG, layer(10, "program.o"));
        ImageManifest read = ImageManifest.read(raw, "m");
        ImageManifest parsed = ImageManifest.parse(raw, "m");
        assertEquals(List.of(CONFIG, layer(10, "program.o")), read.blobs());
        assertEquals(parsed.blobs(), read.blobs());
        assertEquals(Digests.sha256(raw), read.digest());
        assertEquals(MediaTypes.OCI_MANIFEST, read.mediaType());
    }

    @Test
    void aLayerLargerThanBeeTakesOrATitleLeavingTheFolderFailsOnlyParse() {
        byte[] big = StoreBlobs.manifest(MediaTypes.DOCKER_MANIFEST, CONFIG, layer(Digests.MAX_LAYER + 1, null));
        assertEquals(Digests.MAX_LAYER + 1, ImageManifest.read(big, "m").layers().get(0).size());
        BeeException e = assertThrows(BeeException.class, () -> ImageManifest.parse(big, "m"));
        assertEquals(ErrorKind.INPUT, e.kind());
        assertEquals("m: layer sha256:" + "1".repeat(64) + " declares " + (Digests.MAX_LAYER + 1)
                + " bytes, more than bee accepts (" + Digests.MAX_LAYER + ")", e.getMessage());

        byte[] escaping = StoreBlobs.manifest(MediaTypes.OCI_MANIFEST, CONFIG, layer(1, "../x"));
        assertEquals("../x", ImageManifest.read(escaping, "m").layers().get(0).title());
        e = assertThrows(BeeException.class, () -> ImageManifest.parse(escaping, "m"));
        assertEquals("m: name '../x' would escape the image folder (absolute path or '..'); refusing the image", e.getMessage());
    }

    @Test
    void bothRefuseWhatIsNoManifest() {
        for (String doc : List.of("{\"schemaVersion\":1}", "{\"schemaVersion\":2,\"manifests\":[]}",
                "{\"schemaVersion\":2,\"config\":{\"digest\":\"sha256:" + "c".repeat(64) + "\",\"size\":2}}", "[]")) {
            byte[] raw = doc.getBytes();
            BeeException read = assertThrows(BeeException.class, () -> ImageManifest.read(raw, "m"), doc);
            BeeException parse = assertThrows(BeeException.class, () -> ImageManifest.parse(raw, "m"), doc);
            assertEquals(read.getMessage(), parse.getMessage(), doc);
        }
    }

    @Test
    void indexEntriesAreBoundedAsAsked() {
        Descriptor huge = Descriptor.of(MediaTypes.OCI_MANIFEST, "sha256:" + "d".repeat(64), Digests.MAX_DOCUMENT + 1, Map.of());
        byte[] index = StoreBlobs.index(huge);
        assertEquals(List.of(huge), ImageManifest.indexEntries(index, "i", Long.MAX_VALUE));
        BeeException e = assertThrows(BeeException.class, () -> ImageManifest.indexEntries(index, "i"));
        assertEquals("i: manifest " + huge.digest() + " declares " + huge.size() + " bytes, more than bee accepts ("
                + Digests.MAX_DOCUMENT + ")", e.getMessage());
    }
}
