package dev.bee.core.image.trust;

import dev.bee.core.BeeException;
import dev.bee.core.BeeHome;
import dev.bee.core.ErrorKind;
import dev.bee.core.image.ImageRef;
import dev.bee.core.io.JsonTree;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a trust policy file ({@code policy.json} in bee's folder, or {@code --policy FILE}):
 *
 * <pre>{
 *   "default": {"type": "reject"},
 *   "scopes": {
 *     "ghcr.io/acme": {"type": "signedBy", "keyPaths": ["acme.pub"]},
 *     "localhost:5000": {"type": "any"}
 *   }
 * }</pre>
 *
 * Strictly: an unknown field, rule type or a scope that names no registry is an error, never ignored, since
 * a typo must not open the door. Key paths are relative to the policy file's folder.
 */
public final class PolicyFile {
    public static final String NAME = "policy.json";
    private static final int MAX_BYTES = 1 << 20;

    private PolicyFile() {
    }

    /** {@code policy.json} in bee's folder ({@code $BEE_HOME}, {@code --config-dir}, else {@code ~/.bee}). */
    public static Path defaultPath() {
        return BeeHome.root().resolve(NAME);
    }

    public static TrustPolicy read(Path file) {
        String where = file.toString();
        Object root;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] raw = in.readNBytes(MAX_BYTES + 1);
            if (raw.length > MAX_BYTES) {
                throw invalid(where, "it is larger than " + MAX_BYTES + " bytes");
            }
            root = JsonTree.parse(raw);
        } catch (NoSuchFileException e) {
            throw new BeeException(ErrorKind.NOT_FOUND, "no such policy file: " + where,
                    "write one (docs/signing.md shows the format), or leave --policy out");
        } catch (IOException e) {
            throw invalid(where, "it is not valid JSON");
        }
        Map<String, Object> top = JsonTree.object(root);
        if (top == null) {
            throw invalid(where, "it is not a JSON object");
        }
        onlyFields(top, Set.of("default", "scopes"), where, "the policy");
        if (!top.containsKey("default")) {
            throw invalid(where, "it has no \"default\" rule (say {\"type\": \"reject\"} or {\"type\": \"any\"})");
        }
        Path dir = file.toAbsolutePath().getParent();
        TrustPolicy.Rule defaultRule = rule(top.get("default"), dir, where, "default");
        Map<String, TrustPolicy.Rule> scopes = new LinkedHashMap<>();
        Object s = top.get("scopes");
        if (s != null) {
            Map<String, Object> m = JsonTree.object(s);
            if (m == null) {
                throw invalid(where, "\"scopes\" is not an object");
            }
            for (Map.Entry<String, Object> e : m.entrySet()) {
                String scope = scope(e.getKey(), where);
                if (scopes.put(scope, rule(e.getValue(), dir, where, "scope " + e.getKey())) != null) {
                    throw invalid(where, "scope " + scope + " is given twice");
                }
            }
        }
        return new TrustPolicy(where, defaultRule, scopes);
    }

    private static TrustPolicy.Rule rule(Object node, Path dir, String where, String what) {
        Map<String, Object> m = JsonTree.object(node);
        if (m == null) {
            throw invalid(where, what + " is not an object like {\"type\": \"reject\"}");
        }
        String type = JsonTree.text(m.get("type"), null);
        for (TrustPolicy.Kind k : TrustPolicy.Kind.values()) {
            if (k.word().equals(type)) {
                if (k != TrustPolicy.Kind.SIGNED_BY) {
                    onlyFields(m, Set.of("type"), where, what);
                    return new TrustPolicy.Rule(k, List.of(), List.of());
                }
                onlyFields(m, Set.of("type", "keyPath", "keyPaths"), where, what);
                List<Path> files = new ArrayList<>();
                if (m.get("keyPath") instanceof String p) {
                    files.add(dir.resolve(p));
                } else if (m.containsKey("keyPath")) {
                    throw invalid(where, what + ": \"keyPath\" is not a string");
                }
                if (m.containsKey("keyPaths")) {
                    List<Object> l = JsonTree.array(m.get("keyPaths"));
                    if (l == null) {
                        throw invalid(where, what + ": \"keyPaths\" is not an array of strings");
                    }
                    for (Object o : l) {
                        if (!(o instanceof String p)) {
                            throw invalid(where, what + ": \"keyPaths\" is not an array of strings");
                        }
                        files.add(dir.resolve(p));
                    }
                }
                if (files.isEmpty()) {
                    throw invalid(where, what + ": signedBy needs \"keyPath\" or \"keyPaths\" (public key files)");
                }
                return new TrustPolicy.Rule(k, files, files.stream().map(KeyFiles::readPublic).toList());
            }
        }
        throw invalid(where, what + " has type " + (type == null ? "none" : "\"" + type + "\"")
                + "; the types are signedBy, any and reject");
    }

    /** A scope in bee's spelling: {@code HOST[:PORT]} or {@code HOST[:PORT]/PATH}, no tag or digest. */
    static String scope(String text, String where) {
        String host = text.contains("/") ? text.substring(0, text.indexOf('/')) : text;
        if (!(host.contains(".") || host.contains(":") || host.equals("localhost"))
                || !host.toLowerCase(Locale.ROOT).equals(host)) {
            throw invalid(where, "scope \"" + text + "\" does not start with a registry host (e.g. ghcr.io/acme,"
                    + " docker.io/library/x, localhost:5000)");
        }
        if (text.contains("@") || text.endsWith("/")) {
            throw invalid(where, "scope \"" + text + "\" is not a registry or repository (no tags, digests or trailing /)");
        }
        if (!text.contains("/")) {
            return host.equals("index.docker.io") || host.equals("registry-1.docker.io") ? ImageRef.DOCKER_HUB : host;
        }
        if (text.lastIndexOf(':') > text.indexOf('/') || !ImageRef.isValid(text)) {
            throw invalid(where, "scope \"" + text + "\" is not a registry or repository (no tags, digests or trailing /)");
        }
        return ImageRef.parse(text).repository();
    }

    private static void onlyFields(Map<String, Object> m, Set<String> allowed, String where, String what) {
        for (String k : m.keySet()) {
            if (!allowed.contains(k)) {
                throw invalid(where, what + " has an unknown field \"" + k + "\" (it takes " + String.join(", ",
                        allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    private static BeeException invalid(String where, String why) {
        return new BeeException(ErrorKind.INPUT, "policy " + where + " is not valid: " + why,
                "docs/signing.md describes the policy file");
    }
}
