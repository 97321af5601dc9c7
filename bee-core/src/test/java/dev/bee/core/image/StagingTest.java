package dev.bee.core.image;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store's writer: blobs staged and verified, held by hard links, moved in and named by a commit. */
class StagingTest {
    @TempDir
    Path tmp;

    private final ImageBuilder.Built built = ImageBuilder.build(ImageStoreTest.elf("p"), ImageStoreTest.config("GPL"), Map.of());

    private ImageStore store() {
        return new ImageStore(tmp.resolve("store"));
    }

    private static List<Path> stagingFolders(ImageStore store) throws IOException {
        Path parent = new StoreFiles(store.root()).staging();
        if (!Files.isDirectory(parent)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(parent)) {
            return s.toList();
        }
    }

    private static long links(Path p) throws IOException {
        return ((Number) Files.getAttribute(p, "unix:nlink")).longValue();
    }

    @Test
    void stagedBlobsReachTheStoreOnlyByTheCommit() throws IOException {
        ImageStore store = store();
        try (Staging s = store.stage()) {
            String config = s.put(built.config());
            s.put(built.program());
            String manifest = s.put(built.manifest());
            assertEquals(built.digest(), manifest);
            assertArrayEquals(built.config(), s.read(config, Digests.MAX_DOCUMENT));
            assertFalse(store.hasBlob(manifest));
            List<Path> folders = stagingFolders(store);
            assertEquals(1, folders.size());
            assertEquals(ProcessHandle.current().pid(), StoreFiles.stagingOwner(folders.get(0).getFileName().toString()));

            ImageStore.Entry e = s.commit("p:1", built.descriptor(null));
            assertEquals("p:1", e.name());
            assertEquals(built.digest(), e.digest());
            assertTrue(store.hasBlob(manifest) && store.hasBlob(config));
            assertEquals(List.of("p:1"), store.entries().stream().map(ImageStore.Entry::name).toList());
        }
        assertEquals(List.of(), stagingFolders(store), "the folder goes with the staging");
        assertArrayEquals(ImageStoreTest.elf("p"), store.objectBytes("p:1"));
    }

    @Test
    void aStoredBlobIsHeldByAHardLinkThatSurvivesItsCollection() throws IOException {
        ImageStore store = store();
        ImageBuilder.store(store, "p:1", built, null);
        String program = Digests.sha256(built.program());
        Path stored = store.blobPath(program);
        try (Staging s = store.stage()) {
            assertTrue(s.hardLinkIfStored(program));
            assertEquals(2, links(stored), "the staging folder links the stored blob");
            assertTrue(s.hardLinkIfStored(program), "already held");
            assertEquals(2, links(stored));

            // As a concurrent rmi would: the name and every blob go before this image is committed.
            store.remove("p:1");
            assertFalse(Files.exists(stored));
            s.put(built.config());
            s.put(built.manifest());
            s.commit("p:2", built.descriptor(null));
        }
        assertEquals(1, links(stored), "moved back from the staging folder");
        assertArrayEquals(built.program(), store.readBlob(program, Digests.MAX_LAYER));
        assertArrayEquals(ImageStoreTest.elf("p"), store.objectBytes("p:2"));
    }

    @Test
    void aBlobNeitherStagedNorStoredIsNotHeldAndMakesNoFolder() throws IOException {
        ImageStore store = store();
        try (Staging s = store.stage()) {
            assertFalse(s.hardLinkIfStored(built.digest()));
            assertEquals(List.of(), stagingFolders(store));
        }
        assertFalse(Files.exists(store.root()));
    }

    @Test
    void aStreamThatIsNotWhatItsDescriptorSaysIsNotStaged() throws IOException {
        ImageStore store = store();
        Descriptor lying = Descriptor.of(MediaTypes.EBPF_PROGRAM, Digests.sha256(built.config()), built.program().length, null);
        try (Staging s = store.stage()) {
            BeeException e = assertThrows(BeeException.class,
                    () -> s.put(new ByteArrayInputStream(built.program()), lying, "layer program.o", null));
            assertEquals(ErrorKind.INPUT, e.kind());
            try (Stream<Path> files = Files.list(stagingFolders(store).get(0))) {
                assertEquals(List.of(), files.toList(), "the partial file is deleted");
            }
            assertFalse(s.hardLinkIfStored(lying.digest()));
        }
        assertFalse(Files.exists(store.root()), "a first write that failed leaves no folder");
    }

    @Test
    void aCommitMissingABlobNamesNothing() throws IOException {
        ImageStore store = store();
        ImageBuilder.store(store, "keep:1", ImageBuilder.build(ImageStoreTest.elf("k"), ImageStoreTest.config("GPL"), Map.of()), null);
        String index = Files.readString(store.root().resolve("index.json"));
        try (Staging s = store.stage()) {
            s.put(built.config());
            s.put(built.manifest()); // the program is never staged
            BeeException e = assertThrows(BeeException.class, () -> s.commit("p:1", built.descriptor(null)));
            assertEquals(ErrorKind.INPUT, e.kind());
            assertEquals("the image " + built.digest() + " is incomplete: 1 of its blobs are missing ("
                    + Digests.sha256(built.program()) + ")", e.getMessage());
            assertEquals("run the command again; nothing was named", e.hint());
        }
        assertEquals(index, Files.readString(store.root().resolve("index.json")));
    }

    @Test
    void anUnnamedCommitStoresTheBlobsAndNoEntry() {
        ImageStore store = store();
        try (Staging s = store.stage()) {
            s.put(built.config());
            s.put(built.program());
            s.put(built.manifest());
            ImageStore.Entry e = s.commit(null, built.descriptor(null));
            assertNull(e.name());
        }
        assertTrue(store.hasBlob(built.digest()));
        assertEquals(List.of(), store.entries());
    }

    @Test
    void aCommitSweepsTheStagingOfAProcessThatEnded() throws Exception {
        ImageStore store = store();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path parent = new StoreFiles(store.root()).staging();
        Path abandoned = Files.createDirectories(parent.resolve(StoreFiles.stagingPrefix(gone.pid()) + "x"));
        Files.writeString(abandoned.resolve("blob"), "left by a killed pull");
        Path foreign = Files.createDirectories(parent.resolve("mine"));
        try (Staging s = store.stage()) {
            s.put(built.config());
            s.put(built.program());
            s.put(built.manifest());
            Path live = stagingFolders(store).stream().filter(p -> !p.equals(abandoned) && !p.equals(foreign)).findFirst()
                    .orElseThrow();
            s.commit("p:1", built.descriptor(null));
            assertFalse(Files.exists(abandoned));
            assertTrue(Files.exists(foreign), "not a name bee gives");
            assertTrue(Files.exists(live), "this process's own folder");
        }
    }
}
