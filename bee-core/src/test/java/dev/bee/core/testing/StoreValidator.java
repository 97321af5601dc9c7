package dev.bee.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bee.core.image.Digests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Checks an image store folder after a stress run: every name in index.json reaches a manifest whose
 * config and layers exist and match their digests, and no staging folder is left behind. Returns the
 * problems found (empty: the store is sound).
 */
public final class StoreValidator {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StoreValidator() {
    }

    public static List<String> problems(Path root) throws IOException {
        List<String> out = new ArrayList<>();
        Path index = root.resolve("index.json");
        if (!Files.exists(index)) {
            return out;
        }
        for (JsonNode m : JSON.readTree(Files.readAllBytes(index)).path("manifests")) {
            String name = m.path("annotations").path("org.opencontainers.image.ref.name").asText("?");
            String digest = m.path("digest").asText();
            byte[] manifest = blob(root, digest, name + " manifest", out);
            if (manifest == null) {
                continue;
            }
            JsonNode doc = JSON.readTree(manifest);
            blob(root, doc.path("config").path("digest").asText(), name + " config", out);
            for (JsonNode l : doc.path("layers")) {
                blob(root, l.path("digest").asText(), name + " layer", out);
            }
        }
        Path staging = root.resolve(".staging");
        if (Files.isDirectory(staging)) {
            try (Stream<Path> s = Files.list(staging)) {
                s.forEach(p -> out.add("staging left behind: " + p.getFileName()));
            }
        }
        return out;
    }

    private static byte[] blob(Path root, String digest, String what, List<String> out) throws IOException {
        if (!Digests.isSha256(digest)) {
            out.add(what + ": bad digest " + digest);
            return null;
        }
        Path p = root.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
        if (!Files.isRegularFile(p)) {
            out.add(what + " " + digest + " is missing");
            return null;
        }
        byte[] b = Files.readAllBytes(p);
        if (!Digests.sha256(b).equals(digest)) {
            out.add(what + " " + digest + " does not match its content");
        }
        return b;
    }
}
