package dev.bee.core.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the store's collection keeps: what the image model reaches from the index; everything, while it cannot tell. */
class StoreGarbageTest {
    @TempDir
    Path tmp;

    private StoreFiles files() {
        return new StoreFiles(tmp.resolve("store"));
    }

    private static Descriptor config(StoreFiles f, String text) {
        return StoreBlobs.put(f, MediaTypes.OCI_CONFIG, "{\"config\":\"" + text + "\"}");
    }

    private static Descriptor layer(StoreFiles f, String text) {
        return StoreBlobs.put(f, MediaTypes.OCI_LAYER_TAR_GZIP, text);
    }

    private static Descriptor manifest(StoreFiles f, Descriptor config, Descriptor... layers) {
        return StoreBlobs.put(f, MediaTypes.OCI_MANIFEST, StoreBlobs.manifest(MediaTypes.OCI_MANIFEST, config, layers));
    }

    private static Set<String> digests(Descriptor... ds) {
        return Stream.of(ds).map(Descriptor::digest).collect(Collectors.toSet());
    }

    private static Set<String> stored(StoreFiles f) throws IOException {
        try (Stream<Path> s = Files.list(f.blobs())) {
            return s.map(p -> "sha256:" + p.getFileName()).collect(Collectors.toSet());
        }
    }

    private static ImageStore.Entry entry(Descriptor d) {
        return new ImageStore.Entry("x:1", d);
    }

    @Test
    void aManifestReachesItsConfigAndLayersAndAnIndexItsManifests() {
        StoreFiles f = files();
        Descriptor c = config(f, "c");
        Descriptor l1 = layer(f, "l1");
        Descriptor l2 = layer(f, "l2");
        Descriptor m1 = manifest(f, c, l1);
        Descriptor m2 = manifest(f, c, l2);
        Descriptor inner = StoreBlobs.put(f, MediaTypes.OCI_INDEX, StoreBlobs.index(m2));
        Descriptor outer = StoreBlobs.put(f, MediaTypes.OCI_INDEX, StoreBlobs.index(m1, inner));
        StoreGarbage garbage = new StoreGarbage(f);

        assertEquals(new StoreGarbage.Reach(digests(m1, c, l1), Set.of()), garbage.reach(List.of(m1.digest())));
        assertEquals(new StoreGarbage.Reach(digests(outer, inner, m1, m2, c, l1, l2), Set.of()),
                garbage.reach(List.of(outer.digest())));
    }

    @Test
    void aContainerImagesLargeLayersAreReachedThoughBeeWouldNotRunIt() {
        // As `bee package --to-oci` leaves in a layout: Docker media types, a base layer larger than an eBPF image may
        // be, no titles. Only the manifest's structure decides what it reaches.
        StoreFiles f = files();
        Descriptor c = StoreBlobs.put(f, MediaTypes.DOCKER_CONFIG, "{}");
        Descriptor base = new Descriptor(MediaTypes.DOCKER_LAYER_TAR_GZIP, layer(f, "base").digest(),
                Digests.MAX_LAYER + 1, Map.of(), null, null);
        Descriptor m = StoreBlobs.put(f, MediaTypes.DOCKER_MANIFEST, StoreBlobs.manifest(MediaTypes.DOCKER_MANIFEST, c, base));
        assertEquals(new StoreGarbage.Reach(digests(m, c, base), Set.of()), new StoreGarbage(f).reach(List.of(m.digest())));
    }

    @Test
    void aDocumentIsReadByItsContentNotByTheMediaTypeItsDescriptorClaims() {
        StoreFiles f = files();
        Descriptor c = config(f, "c");
        Descriptor l = layer(f, "l");
        Descriptor m = manifest(f, c, l);
        Descriptor index = StoreBlobs.put(f, MediaTypes.OCI_INDEX, StoreBlobs.index(m));
        Descriptor claimsManifest = Descriptor.of(MediaTypes.OCI_MANIFEST, index.digest(), index.size(), Map.of());
        Descriptor top = StoreBlobs.put(f, MediaTypes.OCI_INDEX, StoreBlobs.index(claimsManifest));
        assertEquals(new StoreGarbage.Reach(digests(top, index, m, c, l), Set.of()), new StoreGarbage(f).reach(List.of(top.digest())));
    }

    @Test
    void aMissingDocumentReachesOnlyItselfAndADamagedOneIsUnreadable() throws IOException {
        StoreFiles f = files();
        Descriptor c = config(f, "c");
        Descriptor l = layer(f, "l");
        Descriptor m = manifest(f, c, l);
        Descriptor absent = Descriptor.of(MediaTypes.OCI_MANIFEST, "sha256:" + "0".repeat(64), 10, Map.of());
        Descriptor sparse = StoreBlobs.put(f, MediaTypes.OCI_INDEX, StoreBlobs.index(m, absent));
        StoreGarbage garbage = new StoreGarbage(f);
        assertEquals(new StoreGarbage.Reach(digests(sparse, m, c, l, absent), Set.of()), garbage.reach(List.of(sparse.digest())),
                "an index may list manifests the store does not hold");

        for (String damaged : List.of("not json", "{\"schemaVersion\":2,\"config\":{\"digest\":\"" + c.digest() + "\"},\"layers\":[]}",
                "{\"schemaVersion\":1,\"fsLayers\":[]}", "{\"manifests\":[{\"digest\":\"sha512:00\",\"size\":1}]}", "{")) {
            Descriptor d = StoreBlobs.put(f, MediaTypes.OCI_MANIFEST, damaged);
            StoreGarbage.Reach r = garbage.reach(List.of(m.digest(), d.digest()));
            assertEquals(Set.of(d.digest()), r.unreadable(), damaged);
            assertEquals(digests(m, c, l, d), r.blobs(), damaged);
        }
        Descriptor big = StoreBlobs.put(f, MediaTypes.OCI_MANIFEST, "{" + " ".repeat((int) Digests.MAX_DOCUMENT) + "}");
        assertEquals(Set.of(big.digest()), garbage.reach(List.of(big.digest())).unreadable(), "larger than any manifest");
    }

    @Test
    void indexesNestedDeeperThanTheBoundAreUnreadable() {
        StoreFiles f = files();
        Descriptor d = manifest(f, config(f, "c"), layer(f, "l"));
        Descriptor[] chain = new Descriptor[StoreGarbage.MAX_DEPTH + 2];
        chain[0] = d;
        for (int i = 1; i < chain.length; i++) {
            chain[i] = StoreBlobs.put(f, MediaTypes.OCI_INDEX, StoreBlobs.index(chain[i - 1]));
        }
        StoreGarbage garbage = new StoreGarbage(f);
        assertEquals(Set.of(), garbage.reach(List.of(chain[chain.length - 2].digest())).unreadable(), "at the bound");
        assertEquals(Set.of(d.digest()), garbage.reach(List.of(chain[chain.length - 1].digest())).unreadable(), "past it");
    }

    @Test
    void collectionDeletesOnlyBlobsNoEntryReaches() throws IOException {
        StoreFiles f = files();
        Descriptor shared = layer(f, "shared");
        Descriptor keptConfig = config(f, "kept");
        Descriptor kept = manifest(f, keptConfig, shared);
        manifest(f, config(f, "gone"), shared, layer(f, "only gone's"));
        Path notABlob = Files.writeString(f.blobs().resolve("." + "a".repeat(64) + ".1.tmp"), "another tool's temp file");

        new StoreGarbage(f).collect(List.of(entry(kept)));
        Set<String> left = stored(f);
        assertTrue(left.remove("sha256:" + notABlob.getFileName()), "only files named as blobs are collected");
        assertEquals(digests(kept, keptConfig, shared), left);
    }

    @Test
    void nothingIsCollectedWhileANamedDocumentCannotBeRead() throws IOException {
        StoreFiles f = files();
        Descriptor unused = layer(f, "unused");
        Descriptor damaged = StoreBlobs.put(f, MediaTypes.OCI_MANIFEST, "{\"schemaVersion\":2,\"layers\":[{\"digest\":\"x\"}]}");
        new StoreGarbage(f).collect(List.of(entry(damaged)));
        assertEquals(digests(unused, damaged), stored(f));

        new StoreGarbage(f).collect(List.of());
        assertEquals(Set.of(), stored(f), "once the damaged image is removed, the collection goes on");
    }

    @Test
    void theStagingOfAProcessThatEndedIsSweptAndNoOtherFolder() throws Exception {
        StoreFiles f = files();
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        Path dead = Files.createDirectories(f.staging().resolve(StoreFiles.stagingPrefix(ended.pid()) + "abc/sub"));
        Files.writeString(dead.resolve("blob"), "x");
        Path live = Files.createDirectories(f.staging().resolve(StoreFiles.stagingPrefix(ProcessHandle.current().pid()) + "abc"));
        Path foreign = Files.createDirectories(f.staging().resolve("pull-x-abc"));
        new StoreGarbage(f).sweepStagingQuietly();
        assertFalse(Files.exists(dead.getParent()));
        assertTrue(Files.exists(live));
        assertTrue(Files.exists(foreign));

        new StoreGarbage(new StoreFiles(tmp.resolve("absent"))).sweepStaging();
        assertFalse(Files.exists(tmp.resolve("absent")), "no store, nothing to sweep");
    }
}
