package dev.bee.core.image;

import dev.bee.core.image.container.TestObjects;
import dev.bee.core.io.JsonTree;
import dev.bee.core.object.BpfObject;
import dev.bee.core.object.MapType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bpfman layout checked byte by byte against the tar and gzip formats (POSIX ustar headers, RFC 1952)
 * and bpfman's image manager's reading: the first layer's first tar entry is the object.
 */
class BpfmanImageBuilderTest {
    private static final Platform PLATFORM = new Platform("linux", "amd64", null, "6.1.0-test");

    @TempDir
    Path tmp;

    private static BpfObject object(byte[] bytes) {
        BpfObject o = TestObjects.object(List.of("tracepoint/syscalls/sys_enter_openat", "xdp"),
                List.of(BpfmanLabelsTest.map("print_opens", MapType.RINGBUF), BpfmanLabelsTest.map("start", MapType.PERCPU_HASH)));
        return new BpfObject(o.origin(), o.license(), o.programs(), o.maps(), o.globals(), null, null, bytes);
    }

    private static byte[] elf(int size) {
        byte[] o = ImageStoreTest.elf("bpfman");
        return Arrays.copyOf(o, Math.max(size, o.length)); // 2-block-plus contents test the padding
    }

    private static byte[] gunzip(byte[] gz) throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
    }

    @Test
    void layerIsOneGzipTarWhoseFirstEntryIsTheObject() throws Exception {
        byte[] elf = elf(1500);
        ImageBuilder.Built b = BpfmanImageBuilder.build(object(elf), "opensnoop.o", PLATFORM, Map.of());
        byte[] layer = b.program();
        assertEquals(0x1f, layer[0] & 0xff);
        assertEquals(0x8b, layer[1] & 0xff);
        assertEquals(0, layer[4] | layer[5] | layer[6] | layer[7], "no time in the gzip header");
        assertEquals(0, layer[3] & 0x08, "no file name in the gzip header");
        byte[] tar = gunzip(layer);
        byte[] header = Arrays.copyOf(tar, 512);
        assertEquals("opensnoop.o", field(header, 0, 100), "the first entry is the object, no directory before it");
        assertEquals('0', (char) header[156], "a regular file");
        assertEquals(elf.length, Long.parseLong(field(header, 124, 12).trim(), 8));
        assertEquals(0644, Integer.parseInt(field(header, 100, 8).trim(), 8) & 07777);
        assertEquals(0, Long.parseLong(field(header, 136, 12).trim(), 8), "time 0");
        assertEquals("", field(header, 265, 32), "no user name");
        assertEquals("ustar", field(header, 257, 6));
        long sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : header[i] & 0xff;
        }
        assertEquals(sum, Long.parseLong(field(header, 148, 8).trim(), 8), "header checksum");
        assertArrayEquals(elf, Arrays.copyOfRange(tar, 512, 512 + elf.length));
        int next = 512 + (elf.length + 511) / 512 * 512;
        assertTrue(tar.length >= next + 1024, "two zero blocks end the archive");
        for (int i = next; i < tar.length; i++) {
            assertEquals(0, tar[i], "nothing after the object but the end blocks");
        }
    }

    @Test
    void configIsAnOciImageConfigWithBpfmansLabelsAsJsonStrings() throws Exception {
        byte[] elf = elf(100);
        ImageBuilder.Built b = BpfmanImageBuilder.build(object(elf), "opensnoop.o", PLATFORM, Map.of());
        Map<String, Object> config = JsonTree.object(JsonTree.parse(b.config()));
        assertEquals("amd64", config.get("architecture"));
        assertEquals("linux", config.get("os"));
        assertEquals("6.1.0-test", config.get("os.version"));
        assertFalse(config.containsKey("created"), "no time unless SOURCE_DATE_EPOCH asks");
        Object labels = JsonTree.get(JsonTree.get(config, "config"), "Labels");
        assertEquals("{\"prog0\":\"tracepoint\",\"prog1\":\"xdp\"}", JsonTree.get(labels, "io.ebpf.programs"));
        assertEquals("{\"print_opens\":\"ringbuf\",\"start\":\"per_cpu_hash\"}", JsonTree.get(labels, "io.ebpf.maps"));
        assertEquals(List.of(Digests.sha256(gunzip(b.program()))), JsonTree.get(JsonTree.get(config, "rootfs"), "diff_ids"));
        assertEquals("layers", JsonTree.get(JsonTree.get(config, "rootfs"), "type"));

        Map<String, Object> m = JsonTree.object(JsonTree.parse(b.manifest()));
        assertEquals(MediaTypes.OCI_MANIFEST, m.get("mediaType"));
        assertEquals(MediaTypes.OCI_CONFIG, JsonTree.get(m.get("config"), "mediaType"));
        assertEquals(Digests.sha256(b.config()), JsonTree.get(m.get("config"), "digest"));
        List<Object> layers = JsonTree.array(m.get("layers"));
        assertEquals(1, layers.size());
        assertEquals(MediaTypes.OCI_LAYER_TAR_GZIP, JsonTree.get(layers.get(0), "mediaType"));
        assertEquals(Digests.sha256(b.program()), JsonTree.get(layers.get(0), "digest"));
        assertNull(JsonTree.get(layers.get(0), "annotations"), "a plain image layer, no title");
    }

    @Test
    void sameObjectSameDigestAndTheDateOnlyWhenAsked() {
        byte[] elf = elf(100);
        ImageBuilder.Built a = BpfmanImageBuilder.build(object(elf), "x.o", PLATFORM, Map.of());
        ImageBuilder.Built again = BpfmanImageBuilder.build(object(elf.clone()), "x.o", PLATFORM, Map.of());
        assertEquals(a.digest(), again.digest());
        Map<String, String> dated = ImageBuilder.annotations("d", null, null, "1700000000");
        ImageBuilder.Built b = BpfmanImageBuilder.build(object(elf), "x.o", PLATFORM, dated);
        assertEquals("2023-11-14T22:13:20Z", JsonTree.object(uncheckedParse(b.config())).get("created"));
        assertEquals(dated, JsonTree.object(uncheckedParse(b.manifest())).get("annotations"));
    }

    private static Object uncheckedParse(byte[] raw) {
        try {
            return JsonTree.parse(raw);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void beeReadsItBackAsABpfmanImageWithTheSameObject() {
        byte[] elf = elf(3000);
        ImageStore store = new ImageStore(tmp.resolve("store"));
        ImageBuilder.Built b = BpfmanImageBuilder.build(object(elf), "opensnoop.o", PLATFORM, Map.of());
        ImageBuilder.store(store, "probe:bpfman", b, PLATFORM);
        LocalImage image = store.open("probe:bpfman");
        assertEquals(ImageKind.BPFMAN, image.kind());
        assertEquals(PLATFORM, Platform.ofConfig(image.config()));
        assertArrayEquals(elf, store.objectBytes(image));
    }

    @Test
    void objectFileNameFollowsTheSourceWhenItIsPlain() {
        assertEquals("opensnoop.o", BpfmanImageBuilder.fileName("opensnoop.c"));
        assertEquals("probe.bpf.o", BpfmanImageBuilder.fileName("probe.bpf.c"));
        assertEquals("program.o", BpfmanImageBuilder.fileName(null));
        assertEquals("program.o", BpfmanImageBuilder.fileName("../evil.c"));
        assertEquals("program.o", BpfmanImageBuilder.fileName("sp ace.c"));
        assertEquals("program.o", BpfmanImageBuilder.fileName("é.c"));
        assertEquals("program.o", BpfmanImageBuilder.fileName("a".repeat(120) + ".c"), "longer than a ustar name");
    }
}
