package dev.bee.core.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;

import java.util.Collections;
import java.util.Iterator;
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

    public static Descriptor parse(JsonNode n, String where) {
        if (n == null || !n.isObject()) {
            throw new BeeException(ErrorKind.INPUT, where + ": descriptor is missing or not an object");
        }
        String digest = n.path("digest").asText(null);
        Digests.requireSha256(digest, where + " digest");
        JsonNode size = n.get("size");
        if (size == null || !size.canConvertToLong() || size.asLong() < 0) {
            throw new BeeException(ErrorKind.INPUT, where + ": descriptor of " + digest + " has no valid size");
        }
        return new Descriptor(n.path("mediaType").asText(null), digest, size.asLong(), stringMap(n.get("annotations")),
                Platform.of(n.get("platform")), n.path("artifactType").asText(null));
    }

    static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> out = new TreeMap<>();
        if (node != null && node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
            }
        }
        return out;
    }

    public String title() {
        return annotations.get(MediaTypes.TITLE);
    }

    public Descriptor withAnnotations(Map<String, String> a) {
        return new Descriptor(mediaType, digest, size, a, platform, artifactType);
    }

    /** The OCI JSON form, fields in the order the spec lists them. */
    public ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("mediaType", mediaType);
        n.put("digest", digest);
        n.put("size", size);
        if (!annotations.isEmpty()) {
            ObjectNode a = n.putObject("annotations");
            annotations.forEach(a::put);
        }
        if (artifactType != null) {
            n.put("artifactType", artifactType);
        }
        if (platform != null) {
            n.set("platform", platform.toJson());
        }
        return n;
    }

    /** The same descriptor for another platform (none: null). */
    public Descriptor withPlatform(Platform p) {
        return new Descriptor(mediaType, digest, size, annotations, p, artifactType);
    }
}
