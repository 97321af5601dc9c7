package dev.bee.core.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local OCI layout store: names, lookups, tags, removal with garbage collection, and failed writes. */
class ImageStoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Platform AMD64 = new Platform("linux", "amd64", null, "6.8.0");

    @TempDir
    Path tmp;

    /** Bytes that pass {@link ImageFormats#checkElf}: ELF magic, 64-bit little-endian, e_machine 247 (BPF). */
    static byte[] elf(String marker) {
        byte[] m = marker.getBytes(StandardCharsets.UTF_8);
        byte[] o = new byte[64 + m.length];
        o[0] = 0x7f;
        o[1] = 'E';
        o[2] = 'L';
        o[3] = 'F';
        o[4] = 2;
        o[5] = 1;
        o[6] = 1;
        o[18] = (byte) 247;
        o[19] = 0;
        System.arraycopy(m, 0, o, 64, m.length);
        return o;
    }

    static byte[] config(String license) {
        return new ImageConfig(ImageConfig.SCHEMA, null, null, null, null, license, List.of(), List.of(), List.of(), null).toBytes();
    }

    private ImageStore store() {
        return new ImageStore(tmp.resolve("store"));
    }

    private static ImageBuilder.Built built(String marker) {
        return ImageBuilder.build(elf(marker), config("GPL"), Map.of());
    }

    /** Every path under the root with its content (folders marked), to compare a store before and after. */
    private static Map<String, String> snapshot(Path root) {
        Map<String, String> out = new TreeMap<>();
        if (!Files.exists(root)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                String rel = root.relativize(p).toString();
                out.put(rel, Files.isDirectory(p) ? "<dir>" : Digests.sha256(Files.readAllBytes(p)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static Set<String> blobs(ImageStore store) throws IOException {
        try (Stream<Path> s = Files.list(store.root().resolve("blobs/sha256"))) {
            return s.map(p -> "sha256:" + p.getFileName()).collect(Collectors.toSet());
        }
    }

    private static Set<String> blobsOf(ImageBuilder.Built b) {
        return Set.of(b.digest(), Digests.sha256(b.config()), Digests.sha256(b.program()));
    }

    // ---- building ----

    @Test
    void manifestIsBumbleBeesLayoutWithTitledConfigAndProgram() throws IOException {
        ImageBuilder.Built b = built("p");
        assertEquals(Digests.sha256(b.manifest()), b.digest());
        JsonNode m = JSON.readTree(b.manifest());
        assertEquals(2, m.path("schemaVersion").asInt());
        assertEquals(MediaTypes.OCI_MANIFEST, m.path("mediaType").asText());
        assertEquals(MediaTypes.EBPF_CONFIG, m.path("config").path("mediaType").asText());
        assertEquals(Digests.sha256(b.config()), m.path("config").path("digest").asText());
        assertEquals(b.config().length, m.path("config").path("size").asLong());
        assertEquals("config.json", m.path("config").path("annotations").path(MediaTypes.TITLE).asText());
        assertEquals(1, m.path("layers").size());
        JsonNode layer = m.path("layers").get(0);
        assertEquals(MediaTypes.EBPF_PROGRAM, layer.path("mediaType").asText());
        assertEquals(Digests.sha256(b.program()), layer.path("digest").asText());
        assertEquals("program.o", layer.path("annotations").path(MediaTypes.TITLE).asText());
        assertTrue(m.path("annotations").isMissingNode(), "no annotations, no timestamp");
    }

    @Test
    void buildIsReproducibleAndSourceDateEpochChangesTheDigest() throws IOException {
        ImageBuilder.Built a = ImageBuilder.build(elf("p"), config("GPL"), Map.of());
        ImageBuilder.Built b = ImageBuilder.build(elf("p"), config("GPL"), ImageBuilder.annotations(null, " ", null, null));
        assertEquals(a.digest(), b.digest());
        assertArrayEquals(a.manifest(), b.manifest());

        Map<String, String> epoch = ImageBuilder.annotations(null, null, null, "1700000000");
        assertEquals(Map.of(MediaTypes.CREATED, "2023-11-14T22:13:20Z"), epoch);
        ImageBuilder.Built dated = ImageBuilder.build(elf("p"), config("GPL"), epoch);
        assertNotEquals(a.digest(), dated.digest());
        assertEquals(dated.digest(), ImageBuilder.build(elf("p"), config("GPL"), epoch).digest(), "same epoch, same digest");
        assertEquals("2023-11-14T22:13:20Z",
                JSON.readTree(dated.manifest()).path("annotations").path(MediaTypes.CREATED).asText());

        assertNotEquals(a.digest(), ImageBuilder.build(elf("q"), config("GPL"), Map.of()).digest());
        assertNotEquals(a.digest(), ImageBuilder.build(elf("p"), config("MIT"), Map.of()).digest());
    }

    @Test
    void annotationOrderDoesNotChangeTheDigest() {
        Map<String, String> ab = new java.util.LinkedHashMap<>();
        ab.put(MediaTypes.DESCRIPTION, "d");
        ab.put(MediaTypes.AUTHORS, "a");
        Map<String, String> ba = new java.util.LinkedHashMap<>();
        ba.put(MediaTypes.AUTHORS, "a");
        ba.put(MediaTypes.DESCRIPTION, "d");
        assertEquals(ImageBuilder.build(elf("p"), config("GPL"), ab).digest(),
                ImageBuilder.build(elf("p"), config("GPL"), ba).digest());
        assertEquals(ab, ImageBuilder.annotations("d", "a", null, null));
    }

    @Test
    void badSourceDateEpochIsAUsageError() {
        BeeException e = assertThrows(BeeException.class, () -> ImageBuilder.annotations(null, null, null, "yesterday"));
        assertEquals(ErrorKind.USAGE, e.kind());
        assertTrue(e.getMessage().contains("SOURCE_DATE_EPOCH='yesterday'"), e.getMessage());
    }

    // ---- storing and reading ----

    @Test
    void storedImageHasAnOciLayoutWithItsNameInIndexJson() throws IOException {
        ImageStore store = store();
        ImageBuilder.Built b = built("p");
        ImageStore.Entry e = ImageBuilder.store(store, "my_probe:v1", b, AMD64);
        assertEquals("my_probe:v1", e.name());
        assertEquals(b.digest(), e.digest());

        Path root = store.root();
        assertEquals("1.0.0", JSON.readTree(root.resolve("oci-layout").toFile()).path("imageLayoutVersion").asText());
        JsonNode index = JSON.readTree(root.resolve("index.json").toFile());
        assertEquals(2, index.path("schemaVersion").asInt());
        assertEquals(MediaTypes.OCI_INDEX, index.path("mediaType").asText());
        assertEquals(1, index.path("manifests").size());
        JsonNode m = index.path("manifests").get(0);
        assertEquals(MediaTypes.OCI_MANIFEST, m.path("mediaType").asText());
        assertEquals(b.digest(), m.path("digest").asText());
        assertEquals(b.manifest().length, m.path("size").asLong());
        assertEquals("my_probe:v1", m.path("annotations").path("org.opencontainers.image.ref.name").asText());
        assertEquals("amd64", m.path("platform").path("architecture").asText());
        assertEquals("linux", m.path("platform").path("os").asText());

        assertEquals(blobsOf(b), blobs(store));
        for (String d : blobsOf(b)) {
            assertTrue(Files.isRegularFile(root.resolve("blobs/sha256/" + d.substring(7))));
        }
        assertArrayEquals(b.program(), store.readBlob(Digests.sha256(b.program()), Digests.MAX_LAYER));
    }

    @Test
    void openReadsTheImageBackAndFindsTheObject() {
        ImageStore store = store();
        ImageBuilder.Built b = built("p");
        ImageBuilder.store(store, "my_probe:v1", b, AMD64);
        LocalImage img = store.open("my_probe:v1");
        assertEquals("my_probe:v1", img.name());
        assertEquals(b.digest(), img.digest());
        assertEquals(ImageKind.BEE, img.kind());
        assertEquals("GPL", img.beeConfig().license());
        assertEquals(AMD64, img.platform());
        assertArrayEquals(b.program(), store.objectBytes("my_probe:v1"));
    }

    @Test
    void withoutAPlatformOnItsDescriptorAnImageHasTheOneInItsConfig() {
        // As after skopeo copies an image into a store: the index entry has no platform.
        ImageStore store = store();
        byte[] config = new ImageConfig(ImageConfig.SCHEMA, "arm64", "linux", "6.1.0", "v8", "GPL", List.of(),
                List.of(), List.of(), null).toBytes();
        ImageBuilder.store(store, "from_config:v1", ImageBuilder.build(elf("c"), config, Map.of()), null);
        assertEquals(new Platform("linux", "arm64", "v8", "6.1.0"), store.open("from_config:v1").platform());

        ImageBuilder.store(store, "descriptor_first:v1", ImageBuilder.build(elf("d"), config, Map.of()), AMD64);
        assertEquals(AMD64, store.open("descriptor_first:v1").platform(), "the descriptor's platform comes first");

        ImageBuilder.store(store, "none:v1", built("n"), null);
        assertEquals(null, store.open("none:v1").platform());
    }

    @Test
    void findsByNameCanonicalNameDigestAndDigestPrefix() {
        ImageStore store = store();
        ImageBuilder.Built b = built("p");
        ImageBuilder.store(store, "my_probe:v1", b, AMD64);
        ImageBuilder.Built other = built("other");
        ImageBuilder.store(store, "localhost:5000/probes/x:v2", other, AMD64);

        String hex = b.digest().substring(7);
        for (String ref : List.of("my_probe:v1", "docker.io/library/my_probe:v1", "my_probe@" + b.digest(),
                "my_probe:v1@" + b.digest(), b.digest(), hex, hex.substring(0, 12), "sha256:" + hex.substring(0, 8))) {
            Optional<ImageStore.Entry> e = store.find(ref);
            assertTrue(e.isPresent(), ref);
            assertEquals(b.digest(), e.get().digest(), ref);
            assertEquals("my_probe:v1", e.get().name(), ref);
        }
        assertEquals(other.digest(), store.resolve("localhost:5000/probes/x:v2").digest());
        assertEquals(other.digest(), store.resolve("localhost:5000/probes/x@" + other.digest()).digest());

        assertEquals(List.of("my_probe:v1", "localhost:5000/probes/x:v2"),
                store.entries().stream().map(ImageStore.Entry::name).toList());
        for (String missing : List.of("my_probe", "my_probe:v2", "other/my_probe:v1", "localhost:5000/probes/x",
                "sha256:" + "0".repeat(64))) {
            assertEquals(Optional.empty(), store.find(missing), missing);
        }
        BeeException e = assertThrows(BeeException.class, () -> store.resolve("my_probe:v9"));
        assertEquals(ErrorKind.NOT_FOUND, e.kind());
    }

    @Test
    void aPrefixThatMatchesTwoImagesIsAmbiguous() throws IOException {
        // Digests sharing 6 hex digits are written into index.json directly: find() only reads the index.
        Path root = tmp.resolve("store");
        Files.createDirectories(root);
        String d1 = "sha256:abcdef" + "1".repeat(58);
        String d2 = "sha256:abcdef" + "2".repeat(58);
        Files.writeString(root.resolve("index.json"), """
                {"schemaVersion":2,"manifests":[
                 {"mediaType":"%s","digest":"%s","size":1,"annotations":{"org.opencontainers.image.ref.name":"a:1"}},
                 {"mediaType":"%s","digest":"%s","size":1,"annotations":{"org.opencontainers.image.ref.name":"b:1"}}]}
                """.formatted(MediaTypes.OCI_MANIFEST, d1, MediaTypes.OCI_MANIFEST, d2));
        ImageStore store = new ImageStore(root);
        BeeException e = assertThrows(BeeException.class, () -> store.find("abcdef"));
        assertEquals(ErrorKind.USAGE, e.kind());
        assertEquals("'abcdef' matches several images", e.getMessage());
        assertEquals(d1, store.resolve("abcdef1").digest());
        assertEquals(d2, store.resolve("sha256:abcdef2").digest());
    }

    @Test
    void storingTheSameNameAgainReplacesTheEntry() {
        ImageStore store = store();
        ImageBuilder.store(store, "my_probe:v1", built("p"), AMD64);
        ImageBuilder.Built newer = built("p2");
        ImageBuilder.store(store, "my_probe:v1", newer, AMD64);
        assertEquals(1, store.entries().size());
        assertEquals(newer.digest(), store.resolve("my_probe:v1").digest());
    }

    // ---- tag and remove ----

    @Test
    void tagAddsASecondNameForTheSameManifest() {
        ImageStore store = store();
        ImageBuilder.Built b = built("p");
        ImageBuilder.store(store, "my_probe:v1", b, AMD64);
        ImageStore.Entry t = store.tag("my_probe:v1", "localhost:5000/probes/my_probe:v1");
        assertEquals("localhost:5000/probes/my_probe:v1", t.name());
        store.tag(b.digest().substring(7, 19), "docker.io/library/short"); // by digest prefix; stored in short form
        assertEquals(List.of("my_probe:v1", "localhost:5000/probes/my_probe:v1", "short:latest"),
                store.entries().stream().map(ImageStore.Entry::name).toList());
        assertTrue(store.entries().stream().allMatch(e -> e.digest().equals(b.digest())));
        assertEquals(AMD64, store.entries().get(1).descriptor().platform(), "the tag keeps the platform");

        BeeException e = assertThrows(BeeException.class, () -> store.tag("my_probe:v1", "x@" + b.digest()));
        assertEquals(ErrorKind.USAGE, e.kind());
        e = assertThrows(BeeException.class, () -> store.tag("nope:1", "x:1"));
        assertEquals(ErrorKind.NOT_FOUND, e.kind());
    }

    @Test
    void removingOneNameKeepsBlobsThatAnotherNameUsesAndTheLastNameDeletesThem() throws IOException {
        ImageStore store = store();
        ImageBuilder.Built b = built("p");
        ImageBuilder.store(store, "my_probe:v1", b, AMD64);
        store.tag("my_probe:v1", "my_probe:stable");

        assertEquals(List.of("my_probe:v1"), store.remove("my_probe:v1"));
        assertEquals(List.of("my_probe:stable"), store.entries().stream().map(ImageStore.Entry::name).toList());
        assertEquals(blobsOf(b), blobs(store));
        assertArrayEquals(b.program(), store.objectBytes("my_probe:stable"));

        assertEquals(List.of("my_probe:stable"), store.remove("docker.io/library/my_probe:stable"));
        assertEquals(List.of(), store.entries());
        assertEquals(Set.of(), blobs(store), "no name left: every blob is garbage");
    }

    @Test
    void garbageCollectionKeepsBlobsSharedWithAnotherImage() throws IOException {
        ImageStore store = store();
        // Same program, different configs: two manifests that share the program layer.
        ImageBuilder.Built gpl = ImageBuilder.build(elf("shared"), config("GPL"), Map.of());
        ImageBuilder.Built dual = ImageBuilder.build(elf("shared"), config("Dual BSD/GPL"), Map.of());
        ImageBuilder.store(store, "a:1", gpl, AMD64);
        ImageBuilder.store(store, "b:1", dual, AMD64);
        assertEquals(5, blobs(store).size());

        store.remove("a:1");
        assertEquals(blobsOf(dual), blobs(store));
        assertArrayEquals(dual.program(), store.objectBytes("b:1"));
    }

    @Test
    void removingByDigestRemovesEveryNameOfThatImage() throws IOException {
        ImageStore store = store();
        ImageBuilder.Built b = built("p");
        ImageBuilder.Built keep = built("keep");
        ImageBuilder.store(store, "my_probe:v1", b, AMD64);
        store.tag("my_probe:v1", "my_probe:v2");
        ImageBuilder.store(store, "keep:1", keep, AMD64);

        assertEquals(List.of("my_probe:v1", "my_probe:v2"), store.remove(b.digest()));
        assertEquals(List.of("keep:1"), store.entries().stream().map(ImageStore.Entry::name).toList());
        assertEquals(blobsOf(keep), blobs(store));
        BeeException e = assertThrows(BeeException.class, () -> store.remove("my_probe:v1"));
        assertEquals(ErrorKind.NOT_FOUND, e.kind());
    }

    @Test
    void rmiDeletesNoBlobWhileANamedManifestCannotBeRead() throws IOException {
        ImageStore store = store();
        ImageBuilder.Built a = built("a");
        ImageBuilder.Built b = built("b");
        ImageBuilder.store(store, "a:1", a, AMD64);
        ImageBuilder.store(store, "b:1", b, AMD64);
        Files.writeString(store.blobPath(b.digest()), "{ damaged");
        Set<String> before = blobs(store);

        assertEquals(List.of("a:1"), store.remove("a:1"));
        assertEquals(before, blobs(store), "what b:1 refers to is unknown: nothing is collected");
        assertEquals(List.of("b:1"), store.remove("b:1"));
        assertEquals(Set.of(), blobs(store));
    }

    // ---- failed writes and damage ----

    @Test
    void stagingClosedWithoutCommitLeavesTheStoreUnchanged() throws IOException {
        ImageStore store = store();
        ImageBuilder.store(store, "my_probe:v1", built("p"), AMD64);
        Map<String, String> before = snapshot(store.root());

        ImageBuilder.Built b = built("never");
        try (Staging s = store.stage()) {
            s.put(b.config());
            s.put(b.program());
            String d = s.put(b.manifest());
            assertTrue(s.hardLinkIfStored(d));
            assertArrayEquals(b.program(), s.read(Digests.sha256(b.program()), Digests.MAX_LAYER));
            assertFalse(store.hasBlob(d), "staged blobs are not in the store before the commit");
        }
        assertEquals(before, snapshot(store.root()));
        assertEquals(List.of("my_probe:v1"), store.entries().stream().map(ImageStore.Entry::name).toList());
    }

    @Test
    void aFirstWriteThatFailsVerificationLeavesNoFolder() {
        Path root = tmp.resolve("new-store");
        ImageStore store = new ImageStore(root);
        byte[] program = elf("p");
        // The descriptor promises other content than the stream delivers, as a tampered registry would.
        Descriptor lying = Descriptor.of(MediaTypes.EBPF_PROGRAM, Digests.sha256(elf("q")), program.length, null);
        BeeException e = assertThrows(BeeException.class, () -> {
            try (Staging s = store.stage()) {
                s.put(config("GPL"));
                s.put(new ByteArrayInputStream(program), lying, "layer program.o", null);
            }
        });
        assertEquals(ErrorKind.INPUT, e.kind());
        assertTrue(e.getMessage().startsWith("digest mismatch for layer program.o"), e.getMessage());
        assertFalse(Files.exists(root), "no folder behind: " + snapshot(root));
    }

    @Test
    void aFirstCommitThatFailsLeavesNoFolder() {
        Path root = tmp.resolve("new-store");
        ImageStore store = new ImageStore(root);
        ImageBuilder.Built b = built("p");
        BeeException e = assertThrows(BeeException.class, () -> {
            try (Staging s = store.stage()) {
                s.put(b.config());
                s.put(b.program()); // the manifest itself is never staged
                s.commit("my_probe:v1", b.descriptor(AMD64));
            }
        });
        assertEquals(ErrorKind.INTERNAL, e.kind());
        assertFalse(Files.exists(root), "no folder behind: " + snapshot(root));
    }

    @Test
    void aFailedCommitLeavesAnExistingStoreUnchanged() {
        ImageStore store = store();
        ImageBuilder.store(store, "my_probe:v1", built("p"), AMD64);
        Map<String, String> before = snapshot(store.root());
        ImageBuilder.Built b = built("q");
        assertThrows(BeeException.class, () -> {
            try (Staging s = store.stage()) {
                s.put(b.config());
                s.put(b.program());
                s.commit("q:1", b.descriptor(AMD64));
            }
        });
        assertEquals(before, snapshot(store.root()));
    }

    @Test
    void aBlobAlteredOnDiskIsReportedCorrupt() throws IOException {
        ImageStore store = store();
        ImageBuilder.Built b = built("p");
        ImageBuilder.store(store, "my_probe:v1", b, AMD64);
        String programDigest = Digests.sha256(b.program());
        byte[] altered = b.program().clone();
        altered[altered.length - 1] ^= 1;
        Files.write(store.blobPath(programDigest), altered);

        BeeException e = assertThrows(BeeException.class, () -> store.readBlob(programDigest, Digests.MAX_LAYER));
        assertEquals(ErrorKind.INPUT, e.kind());
        assertEquals("blob " + programDigest + " in " + store.root() + " is corrupt (its content has digest "
                + Digests.sha256(altered) + ")", e.getMessage());
        e = assertThrows(BeeException.class, () -> store.objectBytes("my_probe:v1"));
        assertTrue(e.getMessage().contains("is corrupt"), e.getMessage());
    }

    @Test
    void missingAndOversizedBlobsAreInputErrors() throws IOException {
        ImageStore store = store();
        ImageBuilder.Built b = built("p");
        ImageBuilder.store(store, "my_probe:v1", b, AMD64);
        String programDigest = Digests.sha256(b.program());

        BeeException e = assertThrows(BeeException.class, () -> store.readBlob(programDigest, 10));
        assertEquals(ErrorKind.INPUT, e.kind());
        assertTrue(e.getMessage().contains("is larger than 10 bytes"), e.getMessage());

        Files.delete(store.blobPath(programDigest));
        e = assertThrows(BeeException.class, () -> store.readBlob(programDigest, Digests.MAX_LAYER));
        assertEquals("blob " + programDigest + " is missing from " + store.root(), e.getMessage());
    }

    @Test
    void aProgramLayerThatIsNotAnEbpfObjectIsRefused() {
        ImageStore store = store();
        byte[] x86 = elf("p");
        x86[18] = 62; // EM_X86_64
        ImageBuilder.store(store, "x:1", ImageBuilder.build(x86, config("GPL"), Map.of()), AMD64);
        BeeException e = assertThrows(BeeException.class, () -> store.objectBytes("x:1"));
        assertEquals(ErrorKind.INPUT, e.kind());
        assertEquals("x:1: the program layer is not an eBPF ELF object", e.getMessage());
    }

    @Test
    void anEmptyOrAbsentStoreHasNoEntries() {
        assertEquals(List.of(), new ImageStore(tmp.resolve("absent")).entries());
        assertEquals(Optional.empty(), new ImageStore(tmp.resolve("absent")).find("x:1"));
        assertFalse(Files.exists(tmp.resolve("absent")), "reading does not create the store");
    }
}
