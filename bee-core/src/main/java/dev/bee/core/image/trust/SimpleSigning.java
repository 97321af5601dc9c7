package dev.bee.core.image.trust;

import dev.bee.core.io.JsonTree;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The payload a cosign signature signs: Red Hat's simple signing JSON, with the image's manifest digest and
 * the repository it was signed for, and {@code critical.type} "cosign container image signature". Written
 * byte for byte as cosign writes it; read as cosign reads it (Go's JSON: field names match whatever their
 * case), refusing what cosign would take two ways (the same field twice in different cases).
 *
 * @param dockerReference the repository the signer named ({@code critical.identity.docker-reference})
 * @param digest          the manifest digest signed ({@code critical.image.docker-manifest-digest})
 */
public record SimpleSigning(String dockerReference, String digest) {
    public static final String MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
    public static final String TYPE = "cosign container image signature";

    /** The payload's bytes: cosign's field order, compact, {@code optional} null. */
    public byte[] bytes() {
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("docker-reference", dockerReference);
        Map<String, Object> image = new LinkedHashMap<>();
        image.put("docker-manifest-digest", digest);
        Map<String, Object> critical = new LinkedHashMap<>();
        critical.put("identity", identity);
        critical.put("image", image);
        critical.put("type", TYPE);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("critical", critical);
        root.put("optional", null);
        return JsonTree.write(root);
    }

    /** Thrown for a payload that is not a cosign simple signing document; the message is one short reason. */
    public static final class Malformed extends Exception {
        Malformed(String why) {
            super(why);
        }
    }

    public static SimpleSigning parse(byte[] payload) throws Malformed {
        Object root;
        try {
            root = JsonTree.parse(payload);
        } catch (IOException e) {
            throw new Malformed("the payload is not JSON");
        }
        Object critical = field(root, "critical");
        String type = string(field(critical, "type"), "critical.type");
        if (!TYPE.equals(type)) {
            throw new Malformed("critical.type is not '" + TYPE + "'");
        }
        String reference = string(field(field(critical, "identity"), "docker-reference"),
                "critical.identity.docker-reference");
        String digest = string(field(field(critical, "image"), "docker-manifest-digest"),
                "critical.image.docker-manifest-digest");
        return new SimpleSigning(reference, digest);
    }

    private static Object field(Object node, String name) throws Malformed {
        Map<String, Object> m = JsonTree.object(node);
        if (m == null) {
            throw new Malformed("the payload has no object where " + name + " is expected");
        }
        Object found = null;
        int matches = 0;
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (e.getKey().toLowerCase(Locale.ROOT).equals(name)) {
                found = e.getValue();
                matches++;
            }
        }
        if (matches > 1) {
            throw new Malformed("the payload has " + name + " twice");
        }
        if (matches == 0) {
            throw new Malformed("the payload has no " + name);
        }
        return found;
    }

    private static String string(Object v, String what) throws Malformed {
        if (!(v instanceof String s)) {
            throw new Malformed(what + " is not a string");
        }
        return s;
    }
}
