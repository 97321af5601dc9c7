package dev.bee.core.image;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** index.json: the store's names, rewritten without touching the entries a change does not concern. */
class StoreIndexTest {
    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);
    /** An entry as another tool may write it: fields bee does not know, in an order bee would not write. */
    private static final String FOREIGN = "{\"size\":7,\"digest\":\"" + B + "\",\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
            + "\",\"urls\":[\"https://example.com/x\"],\"annotations\":{\"z\":\"1\",\"" + MediaTypes.REF_NAME + "\":\"other:1\"}}";

    @TempDir
    Path tmp;

    private StoreFiles files() {
        return new StoreFiles(tmp.resolve("store"));
    }

    private static Descriptor manifest(String digest) {
        return new Descriptor(MediaTypes.OCI_MANIFEST, digest, 7, Map.of(), new Platform("linux", "amd64", null, null), null);
    }

    private static String text(Path p) throws IOException {
        return Files.readString(p);
    }

    @Test
    void noIndexIsNoEntriesAndCreatesNothing() {
        StoreFiles f = files();
        assertEquals(List.of(), new StoreIndex(f).entries());
        assertFalse(Files.exists(f.root()));
    }

    @Test
    void aNewLayoutHasTheMarkerAnEmptyIndexAndTheBlobsFolderAndIsKeptOnceMade() throws IOException {
        StoreFiles f = files();
        StoreIndex index = new StoreIndex(f);
        index.createLayout();
        assertEquals("{\"imageLayoutVersion\":\"1.0.0\"}", text(f.ociLayout()));
        assertEquals("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[]}", text(f.index()));
        assertTrue(Files.isDirectory(f.blobs()));

        index.name("x:1", manifest(A));
        String named = text(f.index());
        index.createLayout();
        assertEquals(named, text(f.index()), "an existing index is kept");
    }

    @Test
    void namingWritesTheEntryAtTheEndAndReplacesTheOneThatHadTheName() throws IOException {
        StoreFiles f = files();
        StoreIndex index = new StoreIndex(f);
        index.name("x:1", manifest(A));
        assertEquals("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[{\"mediaType\":\""
                + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + A + "\",\"size\":7,\"annotations\":{\"" + MediaTypes.REF_NAME
                + "\":\"x:1\"},\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}]}", text(f.index()));

        index.name("y:1", manifest(A));
        index.name("x:1", manifest(B));
        List<ImageStore.Entry> entries = index.entries();
        assertEquals(List.of("y:1", "x:1"), entries.stream().map(ImageStore.Entry::name).toList());
        assertEquals(List.of(A, B), entries.stream().map(ImageStore.Entry::digest).toList());
        assertEquals(new Platform("linux", "amd64", null, null), entries.get(0).descriptor().platform());
    }

    @Test
    void entriesBeeDidNotWriteAreKeptAsTheyAre() throws IOException {
        StoreFiles f = files();
        Files.createDirectories(f.root());
        Files.writeString(f.index(), "{\"schemaVersion\":2,\"manifests\":[" + FOREIGN + "]}");
        StoreIndex index = new StoreIndex(f);
        index.name("x:1", manifest(A));
        assertTrue(text(f.index()).contains("\"manifests\":[" + FOREIGN + ",{"), text(f.index()));
        index.remove(List.of(new ImageStore.Entry("x:1", manifest(A))));
        assertEquals("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[" + FOREIGN + "]}",
                text(f.index()));
        assertEquals(List.of("other:1"), index.entries().stream().map(ImageStore.Entry::name).toList());
    }

    @Test
    void removingTakesTheEntriesWithTheVictimsDigestAndNameAndSaysWhich() throws IOException {
        StoreFiles f = files();
        Files.createDirectories(f.root());
        String unnamed = "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + A + "\",\"size\":7}";
        Files.writeString(f.index(), "{\"schemaVersion\":2,\"manifests\":[" + unnamed + "," + FOREIGN + "]}");
        StoreIndex index = new StoreIndex(f);
        index.name("x:1", manifest(A));
        index.name("y:1", manifest(A));

        assertEquals(List.of("x:1"), index.remove(List.of(new ImageStore.Entry("x:1", manifest(A)),
                new ImageStore.Entry("x:1", manifest(B)))), "the name with another digest is not x:1's entry");
        assertEquals(List.of(A), index.remove(List.of(new ImageStore.Entry(null, manifest(A)))), "unnamed: by digest");
        assertEquals(List.of("other:1", "y:1"), index.entries().stream().map(ImageStore.Entry::name).toList());
        assertEquals(List.of(), index.remove(List.of(new ImageStore.Entry("nope:1", manifest(A)))));
    }

    @Test
    void aDamagedIndexIsAnInputErrorThatNamesTheFile() throws IOException {
        StoreFiles f = files();
        Files.createDirectories(f.root());
        StoreIndex index = new StoreIndex(f);

        Files.writeString(f.index(), "{\"manifests\":[");
        BeeException e = assertThrows(BeeException.class, index::entries);
        assertEquals(ErrorKind.INPUT, e.kind());
        assertTrue(e.getMessage().startsWith("cannot read " + f.index() + ": "), e.getMessage());
        assertEquals("the store is damaged; move it away or pass another --storage", e.hint());

        Files.writeString(f.index(), "{\"manifests\":{}}");
        e = assertThrows(BeeException.class, index::entries);
        assertEquals(f.index() + ": 'manifests' is not an array", e.getMessage());

        Files.writeString(f.index(), "{\"manifests\":[{\"digest\":\"" + A + "\"}]}");
        e = assertThrows(BeeException.class, index::entries);
        assertEquals(ErrorKind.INPUT, e.kind());
        assertTrue(e.getMessage().startsWith(f.root() + "/index.json: "), e.getMessage());

        Files.writeString(f.index(), "{\"schemaVersion\":2}");
        assertEquals(List.of(), index.entries(), "no manifests field: no entries");
    }
}
