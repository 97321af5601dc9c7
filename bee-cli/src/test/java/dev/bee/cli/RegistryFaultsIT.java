package dev.bee.cli;

import dev.bee.core.image.MediaTypes;
import dev.bee.core.testing.Examples;
import dev.bee.core.testing.RegistryServer;
import dev.bee.core.testing.Requirements;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import static dev.bee.cli.RawRegistry.descriptor;
import static dev.bee.cli.RawRegistry.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What goes wrong with registries: a registry that stops, a tampered blob, a missing tag, a layer
 * title that would escape a folder. Each gives a one-line error with its exit code, and the local
 * store is exactly as it was (one image already in it, so "as it was" is not just "absent").
 */
class RegistryFaultsIT {
    private static byte[] elf;

    @TempDir
    Path tmp;

    private Path store;
    private Map<String, String> before;

    @BeforeAll
    static void object() throws Exception {
        elf = Files.readAllBytes(Examples.object("opensnoop"));
    }

    @BeforeEach
    void storeWithOneImage() {
        store = tmp.resolve("store");
        CliRun b = CliRun.of("build", Examples.source("opensnoop").toString(), "already/here:v1",
                "--output-file=" + tmp.resolve("o.o"), "--storage", store.toString());
        assertEquals(0, b.exitCode(), b.err());
        before = RawRegistry.snapshot(store);
    }

    private CliRun pull(String ref) {
        return CliRun.of("pull", ref, "--plain-http", "--storage", store.toString());
    }

    private void assertStoreUnchanged() {
        assertEquals(before, RawRegistry.snapshot(store), "the store is as it was");
    }

    /** A BumbleBee-style image with a config of its own (the ELF layer is already in the store). */
    private static String pushedImage(RegistryServer registry, String repo) {
        RawRegistry raw = new RawRegistry(registry.host());
        byte[] config = config();
        raw.blob(repo, config);
        raw.blob(repo, elf);
        raw.manifest(repo, "v1", MediaTypes.OCI_MANIFEST, utf8("{\"schemaVersion\":2,\"mediaType\":\""
                + MediaTypes.OCI_MANIFEST + "\",\"config\":" + descriptor(MediaTypes.EBPF_CONFIG, config, null)
                + ",\"layers\":[" + descriptor(MediaTypes.EBPF_PROGRAM, elf, null) + "]}"));
        return registry.host() + "/" + repo + ":v1";
    }

    private static byte[] config() {
        return utf8("{\"note\":\"faults\"}");
    }

    @Test
    void stoppedRegistryIsUnreachable() {
        String ref;
        try (RegistryServer registry = RegistryServer.start()) {
            ref = pushedImage(registry, "faults/stopped");
            registry.stop();
            CliRun r = pull(ref);
            assertEquals(6, r.exitCode(), r.err());
            assertTrue(r.err().contains("is unreachable"), r.err());
            assertTrue(r.err().lines().filter(l -> l.startsWith("bee: error:")).count() == 1, r.err());
            CliRun push = CliRun.of("push", "already/here:v1", "--storage", store.toString());
            assertTrue(push.exitCode() != 0, push.err());
        }
        assertStoreUnchanged();
    }

    @Test
    void tamperedBlobIsADigestMismatchAndNothingIsStored() throws Exception {
        try (RegistryServer registry = RegistryServer.start()) {
            String ref = pushedImage(registry, "faults/tampered");
            Path blob = registry.blobFile(dev.bee.core.image.Digests.sha256(config()));
            byte[] bad = utf8("{\"note\":\"FAULTS\"}");
            Files.write(blob, bad);
            CliRun r = pull(ref);
            assertEquals(3, r.exitCode(), r.err());
            assertTrue(r.err().contains("digest mismatch"), r.err());
            assertTrue(r.err().contains("nothing was stored"), r.err());
        }
        assertStoreUnchanged();
    }

    @Test
    void missingTagIsNotFound() {
        try (RegistryServer registry = RegistryServer.start()) {
            pushedImage(registry, "faults/missing");
            CliRun r = pull(registry.host() + "/faults/missing:no-such-tag");
            assertEquals(7, r.exitCode(), r.err());
            assertTrue(r.err().contains("not found in " + registry.host()), r.err());
        }
        assertStoreUnchanged();
    }

    @Test
    void layerTitleThatEscapesIsRefused() {
        try (RegistryServer registry = RegistryServer.start()) {
            RawRegistry raw = new RawRegistry(registry.host());
            String repo = "faults/escape";
            byte[] config = utf8("{}");
            raw.blob(repo, config);
            raw.blob(repo, elf);
            raw.manifest(repo, "v1", MediaTypes.OCI_MANIFEST, utf8("{\"schemaVersion\":2,\"config\":"
                    + descriptor(MediaTypes.EBPF_CONFIG, config, null) + ",\"layers\":["
                    + descriptor(MediaTypes.EBPF_PROGRAM, elf, "\"annotations\":{\"org.opencontainers.image.title\":\"../../x\"}")
                    + "]}"));
            CliRun r = pull(registry.host() + "/" + repo + ":v1");
            assertEquals(3, r.exitCode(), r.err());
            assertTrue(r.err().contains("'../../x' would escape"), r.err());
        }
        assertStoreUnchanged();
    }

    @Test
    void notAnEbpfImageIsRefused() {
        try (RegistryServer registry = RegistryServer.start()) {
            RawRegistry raw = new RawRegistry(registry.host());
            String repo = "faults/container";
            byte[] config = utf8("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\"}}");
            byte[] layer = RawRegistry.tarGz("bin/sh", utf8("#!/bin/sh\n" + UUID.randomUUID()));
            raw.blob(repo, config);
            raw.blob(repo, layer);
            raw.manifest(repo, "v1", MediaTypes.OCI_MANIFEST, utf8("{\"schemaVersion\":2,\"mediaType\":\""
                    + MediaTypes.OCI_MANIFEST + "\",\"config\":" + descriptor(MediaTypes.OCI_CONFIG, config, null)
                    + ",\"layers\":[" + descriptor(MediaTypes.OCI_LAYER_TAR_GZIP, layer, null) + "]}"));
            CliRun r = pull(registry.host() + "/" + repo + ":v1");
            assertEquals(3, r.exitCode(), r.err());
            assertTrue(r.err().contains("is not an eBPF image bee knows"), r.err());
        }
        assertStoreUnchanged();
    }
}
