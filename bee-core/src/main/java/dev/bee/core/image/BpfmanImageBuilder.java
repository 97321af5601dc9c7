package dev.bee.core.image;

import dev.bee.core.io.JsonTree;
import dev.bee.core.object.BpfObject;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * Packages an eBPF object as a bpfman bytecode image, the way bpfman's image manager reads one: a plain
 * OCI image (config {@link MediaTypes#OCI_CONFIG}) whose first and only layer is a gzip'd tar
 * ({@link MediaTypes#OCI_LAYER_TAR_GZIP}) holding the object as its first and only entry, a regular
 * file at the root with no directory entry before it (bpfman loads the first entry's bytes); and
 * config labels {@code io.ebpf.programs} and {@code io.ebpf.maps} ({@link BpfmanLabels}).
 *
 * <p>Like {@link ImageBuilder}, every byte is fixed by the object, the platform and the annotations:
 * the tar entry has mode 0644, owner 0:0 with no names and time 0; the gzip header has no time or
 * name; the config has {@code created} only when the annotations carry
 * {@code org.opencontainers.image.created} ({@code SOURCE_DATE_EPOCH}).
 */
public final class BpfmanImageBuilder {
    /** The entry's name when none better is known (BumbleBee's layer title). */
    public static final String DEFAULT_FILE = MediaTypes.PROGRAM_TITLE;
    /** Names that fit a ustar header as they are (no long-name extension entry before the object). */
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,97}\\.o");

    private BpfmanImageBuilder() {
    }

    /**
     * The object file's name in the layer: the source's name with {@code .o} ({@code opensnoop.c} gives
     * {@code opensnoop.o}) when it is a plain file name, else {@link #DEFAULT_FILE}.
     */
    public static String fileName(String sourceName) {
        if (sourceName == null) {
            return DEFAULT_FILE;
        }
        int dot = sourceName.lastIndexOf('.');
        String candidate = (dot > 0 ? sourceName.substring(0, dot) : sourceName) + ".o";
        return PLAIN_NAME.matcher(candidate).matches() ? candidate : DEFAULT_FILE;
    }

    /**
     * The image of {@code object} with the object stored as {@code fileName}. {@code platform} gives
     * the config's {@code architecture}, {@code os} (both required by OCI) and {@code os.version}.
     * The built image's {@link ImageBuilder.Built#program()} is the layer (the tar+gzip).
     */
    public static ImageBuilder.Built build(BpfObject object, String fileName, Platform platform,
                                           Map<String, String> annotations) {
        byte[] tar = tar(fileName, object.bytes());
        byte[] layer = gzip(tar);
        byte[] config = config(BpfmanLabels.of(object), Digests.sha256(tar), platform,
                annotations == null ? null : annotations.get(MediaTypes.CREATED));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", 2);
        m.put("mediaType", MediaTypes.OCI_MANIFEST);
        m.put("config", Descriptor.of(MediaTypes.OCI_CONFIG, Digests.sha256(config), config.length, Map.of()).toJson());
        m.put("layers", List.of(Descriptor.of(MediaTypes.OCI_LAYER_TAR_GZIP, Digests.sha256(layer), layer.length,
                Map.of()).toJson()));
        if (annotations != null && !annotations.isEmpty()) {
            m.put("annotations", new TreeMap<String, Object>(annotations));
        }
        byte[] bytes = JsonTree.write(m);
        return new ImageBuilder.Built(bytes, Digests.sha256(bytes), config, layer);
    }

    /** A tar of one regular file, {@code name}, then the two zero blocks that end an archive. */
    static byte[] tar(String name, byte[] content) {
        if (!PLAIN_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain object file name: " + name);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 2048);
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.US_ASCII.name())) {
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setSize(content.length);
            e.setMode(0100644); // a regular file, rw-r--r--
            e.setIds(0, 0);
            e.setNames("", ""); // the constructor puts this machine's user name here
            e.setLastModifiedTime(FileTime.from(Instant.EPOCH));
            tar.putArchiveEntry(e);
            tar.write(content);
            tar.closeArchiveEntry();
            tar.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        }
        return out.toByteArray();
    }

    /** gzip with a header that names no file and no time (java.util.zip writes neither). */
    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * An OCI image config: platform, the labels under {@code config.Labels} (where bpfman reads them) and
     * {@code rootfs.diff_ids} with the digest of the uncompressed layer, so container tools
     * ({@code skopeo inspect}, podman) take it as an ordinary image.
     */
    static byte[] config(Map<String, String> labels, String diffId, Platform platform, String created) {
        Map<String, Object> c = new LinkedHashMap<>();
        if (created != null) {
            c.put("created", created);
        }
        c.putAll(platform.toJson());
        c.put("config", Map.of("Labels", new TreeMap<String, Object>(labels)));
        Map<String, Object> rootfs = new LinkedHashMap<>();
        rootfs.put("type", "layers");
        rootfs.put("diff_ids", List.of(diffId));
        c.put("rootfs", rootfs);
        return JsonTree.write(c);
    }
}
