package dev.bee.cli;

import dev.bee.core.image.MediaTypes;
import dev.bee.core.image.Platform;
import dev.bee.core.testing.RegistryServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static dev.bee.cli.RawRegistry.descriptor;
import static dev.bee.cli.RawRegistry.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bpfman-style images whose tar+gzip layer is a decompression bomb, pushed byte for byte into a real
 * registry: bee pulls them in a JVM of 32 MiB heap (less than the bombs unpack to) and must refuse
 * them with exit 3, without an OutOfMemoryError and without storing anything.
 */
class DecompressionBombIT {
    private static RegistryServer registry;
    private static RawRegistry raw;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() {
        registry = RegistryServer.start();
        raw = new RawRegistry(registry.host());
    }

    @AfterAll
    static void tearDown() {
        if (registry != null) {
            registry.close();
        }
    }

    /** One entry declaring (and holding) 250 MiB of zeros: about 250 KB compressed. */
    @Test
    void oneHugeEntry() throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(header("prog.o", 250L << 20));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 250; i++) {
                out.write(zeros);
            }
            out.write(new byte[1024]);
        }
        pullIsRefused("bombs/huge", gz.toByteArray(), "more than 16777216 bytes");
    }

    /** 200,000 empty entries (100 MiB of headers, a few hundred KB compressed). */
    @Test
    void millionsOfEmptyEntries() throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            for (int i = 0; i < 200_000; i++) {
                out.write(header("e" + i, 0));
            }
            out.write(new byte[1024]);
        }
        pullIsRefused("bombs/many", gz.toByteArray(), "more than 4096 entries");
    }

    private void pullIsRefused(String repo, byte[] layer, String why) {
        String arch = Platform.host().architecture();
        byte[] config = utf8("{\"architecture\":\"" + arch + "\",\"os\":\"linux\",\"config\":{\"Labels\":{"
                + "\"io.ebpf.programs\":\"{\\\"handle_enter\\\":\\\"tracepoint\\\"}\"}},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
        raw.blob(repo, config);
        raw.blob(repo, layer);
        byte[] manifest = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
                + descriptor(MediaTypes.OCI_CONFIG, config, null) + ",\"layers\":["
                + descriptor(MediaTypes.OCI_LAYER_TAR_GZIP, layer, null) + "]}");
        raw.manifest(repo, "latest", MediaTypes.OCI_MANIFEST, manifest);
        Path store = tmp.resolve("store");
        try (BeeProcess pull = BeeProcess.start(Map.of("JAVA_TOOL_OPTIONS", "-Xmx32m"), "pull",
                registry.host() + "/" + repo, "--plain-http", "--storage", store.toString())) {
            assertEquals(3, pull.waitFor(Duration.ofSeconds(60)), pull.err());
            assertTrue(pull.err().contains("tar layer unpacks to " + why + "; refusing it"), pull.err());
            assertFalse(pull.err().contains("OutOfMemoryError"), pull.err());
        }
        assertEquals(Map.of(), RawRegistry.snapshot(store), "nothing was stored");

        // The same image put into a store by another tool (skopeo): describe and run refuse it as well.
        Path imported = tmp.resolve("imported");
        RegistryServer.exec(List.of("skopeo", "copy", "-q", "--src-tls-verify=false",
                "docker://" + registry.host() + "/" + repo + ":latest", "oci:" + imported + ":" + repo + ":latest"));
        for (String command : new String[]{"describe", "run"}) {
            try (BeeProcess bee = BeeProcess.start(Map.of("JAVA_TOOL_OPTIONS", "-Xmx32m"), command, repo + ":latest",
                    "--storage", imported.toString())) {
                assertEquals(3, bee.waitFor(Duration.ofSeconds(60)), command + ": " + bee.err());
                assertTrue(bee.err().contains("tar layer unpacks to " + why + "; refusing it"), bee.err());
                assertFalse(bee.err().contains("OutOfMemoryError"), bee.err());
            }
        }
    }

    /** A ustar header for a regular file of {@code size} bytes. */
    private static byte[] header(String name, long size) {
        byte[] h = new byte[512];
        put(h, 0, name);
        put(h, 100, "0000644");
        put(h, 124, String.format("%011o", size));
        put(h, 257, "ustar");
        put(h, 263, "00");
        h[156] = '0';
        Arrays.fill(h, 148, 156, (byte) ' ');
        int sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o", sum));
        return h;
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, off, b.length);
    }
}
