package dev.bee.core.image;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.io.JsonTree;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * An OCI content descriptor: media type, digest, size, annotations, and (for manifests in an index)
 * platform and artifact type. Read with checks: only sha256 digests, non-negative sizes.
 */
public record Descriptor(String mediaType, String digest, long size, Map<String, String> annotations,
                         Platform platform, String artifactType) {

    public Descriptor {
        annotations = annotations == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(annotations));
    }

    public static Descriptor of(String mediaType, String digest, long size, Map<String, String> annotations) {
        return new Descriptor(mediaType, digest, size, annotations, null, null);
    }

    /** Reads a descriptor from a JSON object as {@link JsonTree} gives it. */
    public static Descriptor parse(Object node, String where) {
        Map<String, Object> n = JsonTree.object(node);
        if (n == null) {
            throw new BeeException(ErrorKind.INPUT, where + ": descriptor is missing or not an object");
        }
        String digest = JsonTree.text(n.get("digest"), null);
        Digests.requireSha256(digest, where + " digest");
        Object size = n.get("size");
        if (!JsonTree.isLong(size) || ((Number) size).longValue() < 0) {
            throw new BeeException(ErrorKind.INPUT, where + ": descriptor of " + digest + " has no valid size");
        }
        return new Descriptor(JsonTree.text(n.get("mediaType"), null), digest, ((Number) size).longValue(),
                stringMap(n.get("annotations")), Platform.of(n.get("platform")), JsonTree.text(n.get("artifactType"), null));
    }

    /** The fields of a JSON object as strings (a value that is not a string as its JSON text); empty for a non-object. */
    static Map<String, String> stringMap(Object node) {
        Map<String, String> out = new TreeMap<>();
        Map<String, Object> n = JsonTree.object(node);
        if (n != null) {
            n.forEach((k, v) -> out.put(k, v instanceof String s ? s : JsonTree.toJson(v)));
        }
        return out;
    }

    public String title() {
        return annotations.get(MediaTypes.TITLE);
    }

    public Descriptor withAnnotations(Map<String, String> a) {
        return new Descriptor(mediaType, digest, size, a, platform, artifactType);
    }

    /** The OCI JSON form (for {@link JsonTree#write}), fields in the order the spec lists them. */
    public Map<String, Object> toJson() {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("mediaType", mediaType);
        n.put("digest", digest);
        n.put("size", size);
        if (!annotations.isEmpty()) {
            n.put("annotations", new LinkedHashMap<String, Object>(annotations));
        }
        if (artifactType != null) {
            n.put("artifactType", artifactType);
        }
        if (platform != null) {
            n.put("platform", platform.toJson());
        }
        return n;
    }

    /** The same descriptor for another platform (none: null). */
    public Descriptor withPlatform(Platform p) {
        return new Descriptor(mediaType, digest, size, annotations, p, artifactType);
    }
}
