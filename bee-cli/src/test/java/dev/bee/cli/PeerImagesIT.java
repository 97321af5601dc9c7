package dev.bee.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bee.core.image.Digests;
import dev.bee.core.image.MediaTypes;
import dev.bee.core.image.Platform;
import dev.bee.core.io.Json;
import dev.bee.core.testing.Examples;
import dev.bee.core.testing.RegistryServer;
import dev.bee.core.testing.Requirements;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.bee.cli.RawRegistry.descriptor;
import static dev.bee.cli.RawRegistry.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Images other tools make, written into a real registry byte for byte by the test, then pulled and
 * run by bee: BumbleBee's Go client's layout, a bpfman bytecode image, an Inspektor Gadget index.
 * Each runs opensnoop and must show the file this test opens.
 */
class PeerImagesIT {
    private static RegistryServer registry;
    private static RawRegistry raw;
    private static byte[] elf;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() throws Exception {
        Requirements.requireRoot();
        elf = Files.readAllBytes(Examples.object("opensnoop"));
        registry = RegistryServer.start();
        raw = new RawRegistry(registry.host());
    }

    @AfterAll
    static void tearDown() {
        if (registry != null) {
            registry.close();
        }
    }

    /** Pulls {@code ref} into a fresh store, checks the kind, runs it and expects this test's open. */
    private JsonNode pullAndRun(String ref, String kind) throws Exception {
        Path store = tmp.resolve("store");
        CliRun pull = CliRun.of("pull", ref, "--plain-http", "--storage", store.toString());
        assertEquals(0, pull.exitCode(), pull.err());
        assertTrue(pull.err().contains(kind + " image"), pull.err());
        OpensnoopCheck.runShowsThisTestsOpen(ref, store, tmp);
        CliRun describe = CliRun.of("describe", ref, "-o", "json", "--storage", store.toString());
        assertEquals(0, describe.exitCode(), describe.err());
        JsonNode d = Json.mapper().readTree(describe.out());
        assertEquals(kind, d.get("kind").asText());
        assertEquals("handle_enter", d.get("object").get("programs").get(0).get("name").asText(),
                "other tools' images are described from their ELF");
        return d;
    }

    @Test
    void bumblebeeImageAsItsGoClientWritesIt() throws Exception {
        String repo = "bumblebee/opensnoop";
        byte[] config = utf8("{}");
        raw.blob(repo, config);
        raw.blob(repo, elf);
        // BumbleBee's manifest has no mediaType field.
        byte[] manifest = utf8("{\"schemaVersion\":2,\"config\":" + descriptor(MediaTypes.EBPF_CONFIG, config,
                "\"annotations\":{\"org.opencontainers.image.title\":\"config.json\"}") + ",\"layers\":["
                + descriptor(MediaTypes.EBPF_PROGRAM, elf, "\"annotations\":{\"org.opencontainers.image.title\":\"program.o\"}")
                + "]}");
        raw.manifest(repo, "v1", MediaTypes.OCI_MANIFEST, manifest);
        JsonNode d = pullAndRun(registry.host() + "/" + repo + ":v1", "bumblebee");
        assertEquals(Digests.sha256(manifest), d.get("digest").asText());
    }

    @Test
    void bpfmanBytecodeImage() throws Exception {
        String repo = "bpfman/opensnoop";
        String arch = Platform.host().architecture();
        byte[] layer = RawRegistry.tarGz("opensnoop.o", elf);
        String diffId = Digests.sha256(ungzip(layer));
        String programs = "{\\\"handle_enter\\\":\\\"tracepoint\\\",\\\"handle_exit\\\":\\\"tracepoint\\\"}";
        String maps = "{\\\"print_opens\\\":\\\"ringbuf\\\",\\\"start\\\":\\\"hash\\\"}";
        byte[] config = utf8("{\"architecture\":\"" + arch + "\",\"os\":\"linux\",\"config\":{\"Labels\":{"
                + "\"io.ebpf.programs\":\"" + programs + "\",\"io.ebpf.maps\":\"" + maps + "\"}},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + diffId + "\"]}}");
        raw.blob(repo, config);
        raw.blob(repo, layer);
        byte[] manifest = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
                + descriptor(MediaTypes.OCI_CONFIG, config, null) + ",\"layers\":["
                + descriptor(MediaTypes.OCI_LAYER_TAR_GZIP, layer, null) + "]}");
        raw.manifest(repo, "latest", MediaTypes.OCI_MANIFEST, manifest);
        pullAndRun(registry.host() + "/" + repo, "bpfman");
    }

    @Test
    void gadgetIndexPicksThisMachinesManifest() throws Exception {
        String repo = "gadget/opensnoop";
        byte[] empty = utf8("{}");
        raw.blob(repo, empty);
        raw.blob(repo, elf);
        byte[] notThisArch = utf8("not an elf for another machine");
        raw.blob(repo, notThisArch);
        String host = Platform.host().architecture();
        String other = host.equals("arm64") ? "amd64" : "arm64";
        byte[] mine = gadgetManifest(empty, elf);
        byte[] theirs = gadgetManifest(empty, notThisArch);
        raw.manifest(repo, Digests.sha256(mine), MediaTypes.OCI_MANIFEST, mine);
        raw.manifest(repo, Digests.sha256(theirs), MediaTypes.OCI_MANIFEST, theirs);
        byte[] index = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
                + descriptor(MediaTypes.OCI_MANIFEST, theirs, "\"platform\":{\"architecture\":\"" + other + "\",\"os\":\"linux\"}") + ","
                + descriptor(MediaTypes.OCI_MANIFEST, mine, "\"platform\":{\"architecture\":\"" + host + "\",\"os\":\"linux\"}")
                + "]}");
        raw.manifest(repo, "v0.1", MediaTypes.OCI_INDEX, index);
        JsonNode d = pullAndRun(registry.host() + "/" + repo + ":v0.1", "gadget");
        assertEquals(Digests.sha256(mine), d.get("digest").asText());
        assertEquals(host, d.get("platform").get("architecture").asText());
    }

    private static byte[] gadgetManifest(byte[] config, byte[] program) {
        return utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"artifactType\":\""
                + MediaTypes.GADGET_ARTIFACT + "\",\"config\":" + descriptor(MediaTypes.OCI_EMPTY, config, null)
                + ",\"layers\":[" + descriptor(MediaTypes.GADGET_PROGRAM, program, null) + "]}");
    }

    private static byte[] ungzip(byte[] gz) throws java.io.IOException {
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }
}
