package dev.bee.core.image;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.io.JsonTree;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An image manifest as stored and pushed: its exact bytes (the digest is over them), and what they
 * say: the config descriptor, the layers, annotations and artifact type. Parsing checks what bee
 * relies on: schema version 2, sha256 digests, sizes within bounds, titles that stay in a folder.
 */
public record ImageManifest(byte[] raw, String digest, String mediaType, String artifactType, Descriptor config,
                            List<Descriptor> layers, Map<String, String> annotations) {

    public static ImageManifest parse(byte[] raw, String where) {
        ImageManifest m = read(raw, where);
        checkBounds(m.config(), Digests.MAX_DOCUMENT, where, "config");
        for (Descriptor l : m.layers()) {
            checkBounds(l, Digests.MAX_LAYER, where, "layer");
        }
        Titles.check(m.config().title(), where);
        for (Descriptor l : m.layers()) {
            Titles.check(l.title(), where);
        }
        return m;
    }

    /**
     * A manifest's structure only (schema version 2, a config, layers), without the bounds and title checks
     * of {@link #parse}: what any OCI manifest refers to, such as a container image's large base layers in a
     * store that {@code bee package --to-oci} wrote to.
     */
    static ImageManifest read(byte[] raw, String where) {
        Map<String, Object> n = readJson(raw, where);
        if (JsonTree.asInt(n.get("schemaVersion")) != 2) {
            throw new BeeException(ErrorKind.INPUT, where + ": manifest schemaVersion is not 2");
        }
        if (n.containsKey("manifests") && !n.containsKey("layers")) {
            throw new BeeException(ErrorKind.INPUT, where + ": is an index, not an image manifest");
        }
        Descriptor config = Descriptor.parse(n.get("config"), where + " config");
        List<Descriptor> layers = new ArrayList<>();
        List<Object> ls = JsonTree.array(n.get("layers"));
        if (ls == null) {
            throw new BeeException(ErrorKind.INPUT, where + ": manifest has no layers array");
        }
        for (Object l : ls) {
            layers.add(Descriptor.parse(l, where + " layer"));
        }
        String mediaType = JsonTree.text(n.get("mediaType"), null);
        return new ImageManifest(raw, Digests.sha256(raw), mediaType, JsonTree.text(n.get("artifactType"), null), config,
                List.copyOf(layers), Descriptor.stringMap(n.get("annotations")));
    }

    private static void checkBounds(Descriptor d, long max, String where, String what) {
        if (d.size() > max) {
            throw new BeeException(ErrorKind.INPUT, where + ": " + what + " " + d.digest() + " declares " + d.size()
                    + " bytes, more than bee accepts (" + max + ")", "eBPF images are small; this is not one");
        }
    }

    /** Whether a document (by its declared media type, else its fields) is an index. */
    public static boolean isIndex(byte[] raw, String mediaType, String where) {
        if (MediaTypes.isIndex(mediaType)) {
            return true;
        }
        if (MediaTypes.isManifest(mediaType)) {
            return false;
        }
        Map<String, Object> n = readJson(raw, where);
        return MediaTypes.isIndex(JsonTree.text(n.get("mediaType"), null))
                || (n.containsKey("manifests") && !n.containsKey("layers"));
    }

    /** The manifests an index lists. */
    public static List<Descriptor> indexEntries(byte[] raw, String where) {
        return indexEntries(raw, where, Digests.MAX_DOCUMENT);
    }

    /** The manifests an index lists, each declaring at most {@code maxSize} bytes. */
    static List<Descriptor> indexEntries(byte[] raw, String where, long maxSize) {
        List<Object> ms = JsonTree.array(readJson(raw, where).get("manifests"));
        if (ms == null) {
            throw new BeeException(ErrorKind.INPUT, where + ": index has no manifests array");
        }
        List<Descriptor> out = new ArrayList<>();
        for (Object m : ms) {
            Descriptor d = Descriptor.parse(m, where + " index entry");
            checkBounds(d, maxSize, where, "manifest");
            out.add(d);
        }
        return out;
    }

    /** The entry of an index that runs on {@code host}: exact platform match, else the only entry without one. */
    public static Descriptor selectPlatform(List<Descriptor> entries, Platform host, String where) {
        List<Descriptor> manifests = entries.stream()
                .filter(d -> d.mediaType() == null || MediaTypes.isManifest(d.mediaType())).toList();
        for (Descriptor d : manifests) {
            if (d.platform() != null && d.platform().runsOn(host)) {
                return d;
            }
        }
        List<Descriptor> unspecified = manifests.stream().filter(d -> d.platform() == null
                || d.platform().architecture() == null).toList();
        if (unspecified.size() == 1) {
            return unspecified.get(0);
        }
        List<String> have = manifests.stream().map(d -> d.platform() == null ? "unspecified" : d.platform().shortForm())
                .toList();
        throw new BeeException(ErrorKind.NOT_FOUND, where + " has no image for " + host.shortForm()
                + " (it has: " + (have.isEmpty() ? "nothing" : String.join(", ", have)) + ")",
                "build or push an image for this machine's architecture");
    }

    static Map<String, Object> readJson(byte[] raw, String where) {
        try {
            Map<String, Object> n = JsonTree.object(JsonTree.parse(raw));
            if (n == null) {
                throw new BeeException(ErrorKind.INPUT, where + ": not a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new BeeException(ErrorKind.INPUT, where + ": not valid JSON: " + e.getMessage().lines().findFirst()
                    .orElse(""), null, e);
        }
    }

    /** The descriptors of every blob the manifest refers to: config first, then layers. */
    public List<Descriptor> blobs() {
        List<Descriptor> all = new ArrayList<>();
        all.add(config);
        all.addAll(layers);
        return all;
    }

    /** Manifest, config and layers together. */
    public long totalSize() {
        return raw.length + blobs().stream().mapToLong(Descriptor::size).sum();
    }
}
