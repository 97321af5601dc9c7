package dev.bee.core.image.container;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import dev.bee.core.image.ImageBuilder;
import dev.bee.core.image.ImageRef;
import dev.bee.core.image.ImageStore;
import dev.bee.core.image.LocalImage;
import dev.bee.core.image.Platform;
import dev.bee.core.image.TarReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The layers bee adds are reproducible: two source trees with the same content but other file times,
 * modes and creation orders give byte-identical images (built here from scratch, offline, by the same
 * Jib calls bee package makes), and the store copy inside is the same file for file.
 */
class ReproducibleLayersTest {
    @TempDir
    Path tmp;

    private static final byte[] PROGRAM = "\177ELF pretend object".getBytes(StandardCharsets.UTF_8);

    /** A store copy of one image, a jar and a class folder, with file times {@code time}, written in reverse order with other modes when {@code reversed}. */
    private ContainerImageBuilder.Request tree(String name, boolean reversed, Instant time, String jarContent)
            throws Exception {
        Path root = Files.createDirectories(tmp.resolve(name));
        ImageStore store = new ImageStore(root.resolve("local-store"));
        ImageBuilder.Built built = ImageBuilder.build(PROGRAM, "{}".getBytes(StandardCharsets.UTF_8), Map.of());
        ImageBuilder.store(store, "probes/x:v1", built, new Platform("linux", "amd64", null, "6.1.0"));
        LocalImage image = store.open("probes/x:v1");

        Path classes = Files.createDirectories(root.resolve("classes"));
        List<String> names = reversed ? List.of("b/B.class", "a/A.class") : List.of("a/A.class", "b/B.class");
        for (String n : names) {
            Path f = classes.resolve(n);
            Files.createDirectories(f.getParent());
            Files.writeString(f, n);
            Files.setLastModifiedTime(f, FileTime.from(time));
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(reversed ? "rwx------" : "rw-r--r--"));
        }
        Path jar = Files.writeString(root.resolve("dep.jar"), jarContent);
        Files.setLastModifiedTime(jar, FileTime.from(time));
        BeeCode code = new BeeCode(List.of(new BeeCode.FileCopy(jar, "/opt/bee/lib/dep.jar", BeeCode.DEPENDENCIES_LAYER),
                new BeeCode.FileCopy(classes, "/opt/bee/classes/0", BeeCode.BEE_LAYER)),
                List.of("-cp", "/opt/bee/lib/dep.jar:/opt/bee/classes/0", "Main"));
        Path copy = root.resolve("copy");
        List<Path> files = StoreCopy.write(store, image, "probes/x:v1", copy);
        for (Path f : files) {
            Files.setLastModifiedTime(copy.resolve(f), FileTime.from(time));
        }
        ContainerSpec spec = ContainerSpec.of(code, "probes/x:v1", RunArguments.none(), Map.of("b", "2", "a", "1"));
        return new ContainerImageBuilder.Request(ImageRef.parse("scratch-base:1"), null, spec, code, copy, files, "amd64",
                Instant.EPOCH);
    }

    /** The image of {@code r} on an empty base, as an OCI archive; returns the manifest digest. */
    private String build(ContainerImageBuilder.Request r, Path tar) throws Exception {
        JibContainer c = Jib.fromScratch()
                .setFormat(ImageFormat.OCI)
                .setCreationTime(r.created())
                .setFileEntriesLayers(ContainerImageBuilder.layers(r))
                .setEntrypoint(r.spec().entrypoint())
                .setEnvironment(r.spec().environment())
                .setLabels(r.spec().labels())
                .containerize(Containerizer.to(TarImage.at(tar).named("probes/x-pod:v1"))
                        .setBaseImageLayersCache(tar.resolveSibling(tar.getFileName() + "-base"))
                        .setApplicationLayersCache(tar.resolveSibling(tar.getFileName() + "-app")));
        return c.getDigest().toString();
    }

    @Test
    void sameContentGivesTheSameImageWhateverTheFileTimesModesAndOrder() throws Exception {
        ContainerImageBuilder.Request a = tree("a", false, Instant.parse("2020-01-01T00:00:00Z"), "jar");
        ContainerImageBuilder.Request b = tree("b", true, Instant.parse("2024-06-30T12:34:56Z"), "jar");
        assertEquals(a.storeFiles(), b.storeFiles());
        for (Path f : a.storeFiles()) {
            assertArrayEquals(Files.readAllBytes(a.store().resolve(f)), Files.readAllBytes(b.store().resolve(f)), f.toString());
        }
        Path tarA = tmp.resolve("a.tar");
        Path tarB = tmp.resolve("b.tar");
        assertEquals(build(a, tarA), build(b, tarB));
        assertArrayEquals(Files.readAllBytes(tarA), Files.readAllBytes(tarB), "the archives are byte for byte the same");

        ContainerImageBuilder.Request c = tree("c", false, Instant.parse("2020-01-01T00:00:00Z"), "other jar");
        assertNotEquals(build(a, tmp.resolve("a2.tar")), build(c, tmp.resolve("c.tar")), "content changes the digest");
    }

    @Test
    void theStoreLayerHoldsOnlyTheLayoutSortedUnderTheStorePath() throws Exception {
        ContainerImageBuilder.Request a = tree("a", false, Instant.EPOCH, "jar");
        List<String> names = a.storeFiles().stream().map(Path::toString).toList();
        assertEquals("blobs/sha256/", names.get(0).substring(0, 13));
        assertEquals(List.of("index.json", "oci-layout"), names.subList(names.size() - 2, names.size()));
        assertEquals(names.stream().sorted().toList(), names);
        assertEquals(3 + 2, names.size(), "manifest, config, program; index.json, oci-layout: " + names);

        // The layer Jib builds from them: entries sorted, under /var/lib/bee/store, nothing else of bee's.
        Path tar = tmp.resolve("layers.tar");
        build(a, tar);
        List<TarReader.Entry> outer = TarReader.read(Files.readAllBytes(tar), "archive");
        List<List<String>> layers = outer.stream().filter(e -> e.name().startsWith("blobs/") && isGzip(e.content()))
                .map(e -> TarReader.read(e.content(), "layer").stream().map(TarReader.Entry::name).toList()).toList();
        List<String> store = layers.stream().filter(l -> l.stream().anyMatch(n -> n.contains("index.json"))).findFirst()
                .orElseThrow();
        assertEquals(store.stream().sorted().toList(), store);
        store.forEach(n -> assertEquals(0, n.indexOf("var/lib/bee/store/"), n));
    }

    private static boolean isGzip(byte[] b) {
        return b.length > 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b;
    }
}
