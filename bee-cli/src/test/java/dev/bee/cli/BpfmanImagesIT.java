package dev.bee.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bee.core.image.Digests;
import dev.bee.core.io.Json;
import dev.bee.core.testing.Examples;
import dev.bee.core.testing.RegistryServer;
import dev.bee.core.testing.Requirements;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bpfman-format images ({@code bee build --format bpfman}, {@code bee convert}) against a real registry,
 * read back by skopeo and checked here, without bee's code, against what bpfman's image manager reads:
 * a plain OCI image whose first layer is a gzip'd tar whose first entry is the ELF object (no directory
 * entry before it), and config labels {@code io.ebpf.programs} and {@code io.ebpf.maps} that are JSON
 * strings of program and map types. The pushed image then runs on the kernel.
 */
class BpfmanImagesIT {
    private static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    private static final String OCI_LAYER_TAR_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    /** opensnoop.c's programs and maps in bpfman's spelling (see the source: two tracepoints, a hash, a ring buffer and its lost-count per-CPU array). */
    private static final Map<String, String> PROGRAMS = Map.of("handle_enter", "tracepoint", "handle_exit", "tracepoint");
    private static final Map<String, String> MAPS = Map.of("start", "hash", "print_opens", "ringbuf",
            "bee_lost_print_opens", "per_cpu_array");
    private static RegistryServer registry;
    private static Path skopeo;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startRegistry() {
        Requirements.requireTool("clang");
        Requirements.requireKernelBtf();
        skopeo = Requirements.requireTool("skopeo");
        registry = RegistryServer.start();
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    private CliRun bee(Path store, String... args) {
        String[] all = Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--storage";
        all[args.length + 1] = store.toString();
        return CliRun.of(all);
    }

    /** What {@code bee build} made: the object file and the image's digest. */
    private record Built(Path object, String digest) {
    }

    /** Builds opensnoop as {@code ref}. */
    private Built build(Path store, String ref, String... extra) {
        Path object = tmp.resolve(UUID.randomUUID() + ".o");
        String[] args = new String[4 + extra.length];
        args[0] = "build";
        args[1] = Examples.source("opensnoop").toString();
        args[2] = ref;
        args[3] = "--output-file=" + object;
        System.arraycopy(extra, 0, args, 4, extra.length);
        CliRun r = bee(store, args);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Digests.isSha256(r.out().trim()), r.out());
        return new Built(object, r.out().trim());
    }

    private static String exec(String... command) {
        return RegistryServer.exec(List.of(command));
    }

    /** One tar header: what the ustar format puts at fixed offsets. */
    private record TarHeader(String name, char type, long size) {
    }

    private static String field(byte[] b, int offset, int length) {
        int end = offset;
        while (end < offset + length && b[end] != 0) {
            end++;
        }
        return new String(b, offset, end - offset, StandardCharsets.US_ASCII).trim();
    }

    /** Every header of a tar, in order (a reading independent of bee's TarReader and of commons-compress). */
    private static List<TarHeader> headers(byte[] tar) {
        List<TarHeader> out = new java.util.ArrayList<>();
        for (int off = 0; off + 512 <= tar.length; ) {
            byte[] h = Arrays.copyOfRange(tar, off, off + 512);
            if (field(h, 0, 100).isEmpty()) {
                break;
            }
            long size = Long.parseLong(field(h, 124, 12), 8);
            out.add(new TarHeader(field(h, 0, 100), (char) h[156], size));
            off += 512 + (int) ((size + 511) / 512 * 512);
        }
        return out;
    }

    private static byte[] gunzip(byte[] gz) throws IOException {
        assertEquals(0x1f, gz[0] & 0xff, "gzip magic");
        assertEquals(0x8b, gz[1] & 0xff, "gzip magic");
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    private static Map<String, String> jsonStringMap(JsonNode label) throws IOException {
        assertTrue(label != null && label.isTextual(), "the label is a JSON string: " + label);
        JsonNode n = Json.mapper().readTree(label.asText());
        assertTrue(n.isObject(), label.asText());
        Map<String, String> out = new java.util.TreeMap<>();
        n.fields().forEachRemaining(e -> {
            assertTrue(e.getValue().isTextual(), label.asText());
            out.put(e.getKey(), e.getValue().asText());
        });
        return out;
    }

    /**
     * The image at {@code ref} in the registry, copied out by skopeo to an OCI layout and read here: its
     * first layer, a gzip'd tar, must hold {@code object} as its first entry, and its config must carry
     * opensnoop's labels. Returns the manifest.
     */
    private JsonNode checkBpfmanLayout(String ref, byte[] object) throws IOException {
        Path layout = tmp.resolve("skopeo-" + UUID.randomUUID());
        exec(skopeo.toString(), "copy", "-q", "--src-tls-verify=false", "docker://" + ref, "oci:" + layout + ":x");
        JsonNode index = Json.mapper().readTree(layout.resolve("index.json").toFile());
        JsonNode manifest = Json.mapper().readTree(blob(layout, index.get("manifests").get(0).get("digest").asText()));
        assertEquals(OCI_CONFIG, manifest.get("config").get("mediaType").asText(), manifest.toString());
        JsonNode first = manifest.get("layers").get(0);
        assertEquals(OCI_LAYER_TAR_GZIP, first.get("mediaType").asText(), manifest.toString());
        assertEquals(1, manifest.get("layers").size(), manifest.toString());

        byte[] tar = gunzip(blob(layout, first.get("digest").asText()));
        List<TarHeader> headers = headers(tar);
        assertEquals(1, headers.size(), "one entry: " + headers);
        TarHeader entry = headers.get(0);
        assertTrue(entry.type() == '0' || entry.type() == 0, "the first entry is a regular file: " + entry);
        assertTrue(entry.name().endsWith(".o") && !entry.name().contains("/"), "at the root: " + entry);
        byte[] content = Arrays.copyOfRange(tar, 512, 512 + (int) entry.size());
        assertArrayEquals(object, content, "the first entry is the object, byte for byte");
        assertEquals(0x7f, content[0]);
        assertEquals("ELF", new String(content, 1, 3, StandardCharsets.US_ASCII));
        assertEquals(247, (content[18] & 0xff) | (content[19] & 0xff) << 8, "e_machine EM_BPF");
        // GNU tar, another reader, sees the same single regular file.
        String listing = exec("tar", "-tvzf", layout.resolve("blobs/sha256/" + first.get("digest").asText().substring(7)).toString());
        assertEquals(1, listing.strip().lines().count(), listing);
        assertTrue(listing.startsWith("-rw-r--r--") && listing.strip().endsWith(" " + entry.name()), listing);

        String rawConfig = exec(skopeo.toString(), "inspect", "--config", "--raw", "--tls-verify=false", "docker://" + ref).strip();
        assertEquals(manifest.get("config").get("digest").asText(), Digests.sha256(rawConfig.getBytes(StandardCharsets.UTF_8)));
        JsonNode config = Json.mapper().readTree(rawConfig);
        JsonNode labels = config.get("config").get("Labels");
        assertEquals(PROGRAMS, jsonStringMap(labels.get("io.ebpf.programs")), config.toString());
        assertEquals(MAPS, jsonStringMap(labels.get("io.ebpf.maps")), config.toString());
        assertEquals("linux", config.get("os").asText());
        assertEquals(Digests.sha256(tar), config.get("rootfs").get("diff_ids").get(0).asText(), "diff_id of the layer");
        return manifest;
    }

    private static byte[] blob(Path layout, String digest) throws IOException {
        return Files.readAllBytes(layout.resolve("blobs/sha256/" + digest.substring("sha256:".length())));
    }

    @Test
    void buildFormatBpfmanPushesWhatBpfmansLoaderReadsAndRunsFromTheRegistry() throws Exception {
        Path store = tmp.resolve("store");
        String ref = registry.host() + "/bpfman/opensnoop:v1";
        Built built = build(store, ref, "--format", "bpfman");
        String digest = built.digest();
        CliRun push = bee(store, "push", ref, "--plain-http");
        assertEquals(0, push.exitCode(), push.err());
        assertEquals(digest, push.out().trim(), "pushed byte for byte");
        String raw = exec(skopeo.toString(), "inspect", "--raw", "--tls-verify=false", "docker://" + ref).strip();
        assertEquals(digest, Digests.sha256(raw.getBytes(StandardCharsets.UTF_8)), raw);
        checkBpfmanLayout(ref, Files.readAllBytes(built.object()));

        // Pulled into a fresh store: bee reads it as bpfman's, describes it, and runs it on the kernel.
        Requirements.requireRoot();
        Path fresh = tmp.resolve("fresh");
        CliRun pull = bee(fresh, "pull", ref, "--plain-http");
        assertEquals(0, pull.exitCode(), pull.err());
        assertEquals(digest, pull.out().trim());
        JsonNode d = Json.mapper().readTree(bee(fresh, "describe", ref, "-o", "json").out());
        assertEquals("bpfman", d.get("kind").asText());
        assertEquals("bpfman bytecode image", d.get("format").asText());
        assertTrue(bee(fresh, "describe", ref).out().contains("format:    bpfman bytecode image\n"));
        OpensnoopCheck.runShowsThisTestsOpen(ref, fresh, tmp);
    }

    @Test
    void convertKeepsTheObjectBytesBothWays() throws Exception {
        Path store = tmp.resolve("store");
        byte[] elf = Files.readAllBytes(build(store, "probes/opensnoop:bee", "--description", "files opened").object());
        JsonNode bee = Json.mapper().readTree(bee(store, "describe", "probes/opensnoop:bee", "-o", "json").out());
        assertEquals("bee", bee.get("kind").asText());

        String ref = registry.host() + "/bpfman/converted:v1";
        CliRun convert = bee(store, "convert", "probes/opensnoop:bee", ref, "--format", "bpfman");
        assertEquals(0, convert.exitCode(), convert.err());
        String digest = convert.out().trim();
        assertTrue(convert.err().contains("bpfman layout, from a bee image"), convert.err());
        JsonNode d = Json.mapper().readTree(bee(store, "describe", ref, "-o", "json").out());
        assertEquals(digest, d.get("digest").asText());
        assertEquals("bpfman", d.get("kind").asText());
        assertEquals("files opened", d.get("annotations").get("org.opencontainers.image.description").asText(),
                "the annotations are kept");
        assertEquals(bee.get("platform"), d.get("platform"), "the platform is kept");
        assertEquals(0, bee(store, "push", ref, "--plain-http").exitCode());
        checkBpfmanLayout(ref, elf);

        // Built directly with --format bpfman from the same source: the same image as the conversion.
        Path direct = tmp.resolve("direct");
        assertEquals(digest, build(direct, "x:bpfman", "--format", "bpfman", "--description", "files opened").digest(),
                "convert of bee's image = build --format bpfman");

        // And back to bee's layout: the program layer is the object again, byte for byte.
        CliRun back = bee(store, "convert", ref, "probes/opensnoop:back");
        assertEquals(0, back.exitCode(), back.err());
        JsonNode b = Json.mapper().readTree(bee(store, "describe", "probes/opensnoop:back", "-o", "json").out());
        assertEquals("bee", b.get("kind").asText());
        String layer = b.get("layers").get(0).get("digest").asText();
        assertArrayEquals(elf, blob(store, layer));
        assertNotEquals(bee.get("digest").asText(), b.get("digest").asText(),
                "bpfman's image keeps no build record, so the way back lacks it");
        assertEquals(bee.get("object").get("programs"), b.get("object").get("programs"));
    }

    @Test
    void convertRefusesWhatItCannotDo() {
        Path store = tmp.resolve("store");
        CliRun missing = bee(store, "convert", "missing:v1", "x:v1", "--format", "bpfman");
        assertEquals(7, missing.exitCode(), missing.err());
        CliRun format = bee(store, "convert", "missing:v1", "x:v1", "--format", "docker");
        assertEquals(2, format.exitCode(), format.err());
        assertTrue(format.err().contains("--format"), format.err());
        CliRun digest = bee(store, "convert", "missing:v1", "x@sha256:" + "0".repeat(64), "--format", "bpfman");
        assertEquals(2, digest.exitCode(), digest.err());
        assertTrue(digest.err().contains("cannot name an image by digest"), digest.err());
        assertFalse(Files.exists(store.resolve("index.json")), "nothing stored");
    }
}
